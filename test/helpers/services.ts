import { randomBytes } from "node:crypto";
import net from "node:net";

import pg from "pg";

// The local PostgreSQL and Redis, for the test suites and the bench alike.
export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
const DEFAULT_REDIS_PORT = "6379";
const PROBE_TIMEOUT_MS = 3_000;
const DATABASE_SUFFIX_BYTES = 4;

export const databaseUrl = (): string => process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
export const redisUrl = (): string => process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
const e2eRequired = (): boolean => process.env.PERF_BACKEND_E2E === "required";

/** Runs one statement on a fresh connection (admin work, seeding). */
export async function execute(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return `PostgreSQL at ${databaseUrl()} does not answer: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redisProblem(): Promise<string | null> {
  const url = new URL(redisUrl());
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || DEFAULT_REDIS_PORT) });
    const done = (problem: string | null): void => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(`Redis at ${redisUrl()} does not answer: timed out`));
    socket.on("error", (error) => done(`Redis at ${redisUrl()} does not answer: ${error.message}`));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) =>
      done(data.toString().startsWith("+PONG") ? null : `Redis at ${redisUrl()}: unexpected reply to PING`),
    );
  });
}

export type Service = "postgres" | "redis";
const ALL_SERVICES: readonly Service[] = ["postgres", "redis"];
const PROBES: Record<Service, () => Promise<string | null>> = { postgres: postgresProblem, redis: redisProblem };

/** One line per service that does not answer (empty when all do). */
export async function serviceProblems(services: readonly Service[] = ALL_SERVICES): Promise<string[]> {
  return (await Promise.all(services.map((service) => PROBES[service]()))).filter(
    (problem): problem is string => problem !== null,
  );
}

/**
 * Whether the suites that need PostgreSQL and Redis can run. Missing services skip them with one loud line,
 * unless PERF_BACKEND_E2E=required (CI), where a missing service is a failure.
 */
export async function servicesAvailable(suite: string, services: readonly Service[] = ALL_SERVICES): Promise<boolean> {
  const problems = await serviceProblems(services);
  if (problems.length === 0) return true;
  if (e2eRequired()) throw new Error(`PERF_BACKEND_E2E=required but services are down: ${problems.join("; ")}`);
  console.warn(`\n!!! SKIPPING ${suite}: ${problems.join("; ")} (set PERF_BACKEND_E2E=required to fail instead)\n`);
  return false;
}

export interface ThrowawayDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** A database of its own for one suite or bench run; `drop` ends its connections and removes it. */
export async function createThrowawayDatabase(label: string): Promise<ThrowawayDatabase> {
  const name = `cpb_${label}_${randomBytes(DATABASE_SUFFIX_BYTES).toString("hex")}`;
  await execute(databaseUrl(), `create database "${name}"`);
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  // `with (force)`: a failed run may have left connections open.
  return { url: url.toString(), drop: () => execute(databaseUrl(), `drop database if exists "${name}" with (force)`) };
}
