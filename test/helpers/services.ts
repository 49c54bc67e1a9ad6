import { randomBytes } from "node:crypto";
import net from "node:net";

import pg from "pg";

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
const PROBE_TIMEOUT_MS = 3_000;

export const databaseUrl = (): string => process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
export const redisUrl = (): string => process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
const e2eRequired = (): boolean => process.env.PERF_BACKEND_E2E === "required";

async function postgresAnswers(): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return `PostgreSQL at ${databaseUrl()}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redisAnswers(): Promise<string | null> {
  const url = new URL(redisUrl());
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || "6379") });
    const done = (problem: string | null): void => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(`Redis at ${redisUrl()}: timed out`));
    socket.on("error", (error) => done(`Redis at ${redisUrl()}: ${error.message}`));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => done(data.toString().startsWith("+PONG") ? null : `Redis at ${redisUrl()}: unexpected reply`));
  });
}

/**
 * Whether the suites that need PostgreSQL and Redis can run. Missing services skip them with one loud line,
 * unless PERF_BACKEND_E2E=required (CI), where a missing service is a failure.
 */
export async function servicesAvailable(suite: string): Promise<boolean> {
  const problems = (await Promise.all([postgresAnswers(), redisAnswers()])).filter((problem): problem is string => problem !== null);
  if (problems.length === 0) return true;
  if (e2eRequired()) throw new Error(`PERF_BACKEND_E2E=required but services are down: ${problems.join("; ")}`);
  console.warn(`\n!!! SKIPPING ${suite}: ${problems.join("; ")} (set PERF_BACKEND_E2E=required to fail instead)\n`);
  return false;
}

/** A throwaway database; returns its URL and a drop function. */
export async function createThrowawayDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cpb_${label}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: databaseUrl() });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
