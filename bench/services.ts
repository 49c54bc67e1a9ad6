import { randomBytes } from "node:crypto";
import net from "node:net";

import pg from "pg";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
const DEFAULT_REDIS_PORT = "6379";
const PROBE_TIMEOUT_MS = 3000;
const DATABASE_SUFFIX_BYTES = 4;

export const adminDatabaseUrl = (): string => process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
export const redisUrl = (): string => process.env.REDIS_URL ?? DEFAULT_REDIS_URL;

async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl(), connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return `PostgreSQL at ${adminDatabaseUrl()} does not answer: ${(error as Error).message}`;
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
    socket.on("data", (data) => done(data.toString().startsWith("+PONG") ? null : `Redis at ${redisUrl()}: unexpected reply to PING`));
  });
}

/** Throws one readable error naming every service that is down (the bench cannot measure without them). */
export async function requireServices(): Promise<void> {
  const problems = (await Promise.all([postgresProblem(), redisProblem()])).filter((problem): problem is string => problem !== null);
  if (problems.length > 0) {
    throw new Error(`npm run bench needs PostgreSQL and Redis (set DATABASE_URL / REDIS_URL to point elsewhere):\n  ${problems.join("\n  ")}`);
  }
}

export interface ThrowawayDatabase {
  url: string;
  drop: () => Promise<void>;
}

async function asAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `cpb_bench_${randomBytes(DATABASE_SUFFIX_BYTES).toString("hex")}`;
  await asAdmin(`create database "${name}"`);
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  // `with (force)` ends connections a failed measurement may have left open.
  return { url: url.toString(), drop: () => asAdmin(`drop database if exists "${name}" with (force)`) };
}

/** Runs statements against the bench database (seeding). */
export async function execute(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
