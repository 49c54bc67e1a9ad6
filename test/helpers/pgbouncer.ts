import { chmod, writeFile } from "node:fs/promises";
import path from "node:path";

import { execa } from "execa";

import { findTool, freePort, runningAsRoot, SERVICE_USER, waitForPort } from "./postgres-tools.js";
import { makeTempDir } from "./temp-dir.js";

const START_TIMEOUT_MS = 10_000;
const READABLE_DIR_MODE = 0o755;
const READABLE_FILE_MODE = 0o644;
// The session settings node-postgres sends at connect (src/db/pool.ts): PgBouncer refuses them unless told to ignore them.
export const POOL_STARTUP_PARAMETERS = "statement_timeout,lock_timeout,idle_in_transaction_session_timeout";

export interface PgBouncer {
  port: number;
  /** `serverUrl` with host and port replaced by PgBouncer's. */
  url: (serverUrl: string) => string;
  log: () => string;
  stop: () => Promise<void>;
}

export interface PgBouncerOptions {
  /** PostgreSQL behind it. */
  serverUrl: string;
  ignoreStartupParameters?: string;
}

/** Debian's binary (in /usr/sbin, often not on a non-root PATH) or the one on PATH. */
export const findPgBouncer = (): Promise<string | undefined> => findTool(["pgbouncer", "/usr/sbin/pgbouncer"]);

/**
 * Our own PgBouncer in transaction mode on a free port, in front of `serverUrl`'s server (any database name, the
 * client's user, trust auth), run in the foreground as a child of this process so `stop` ends exactly it.
 */
export async function startPgBouncer(binary: string, options: PgBouncerOptions): Promise<PgBouncer> {
  const server = new URL(options.serverUrl);
  const user = decodeURIComponent(server.username) || SERVICE_USER;
  const temp = await makeTempDir("pgbouncer");
  const port = await freePort();
  const ini = path.join(temp.dir, "pgbouncer.ini");
  const users = path.join(temp.dir, "users.txt");
  await writeFile(
    ini,
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || "5432"}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${String(port)}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${users}`,
      "pool_mode = transaction",
      ...(options.ignoreStartupParameters ? [`ignore_startup_parameters = ${options.ignoreStartupParameters}`] : []),
      "",
    ].join("\n"),
  );
  await writeFile(users, `"${user}" ""\n`);
  // As root PgBouncer must drop to another user (-u), which then still reads these files.
  await chmod(temp.dir, READABLE_DIR_MODE);
  await Promise.all([chmod(ini, READABLE_FILE_MODE), chmod(users, READABLE_FILE_MODE)]);
  const child = execa(binary, [...(runningAsRoot() ? ["-u", SERVICE_USER] : []), ini], {
    all: true,
    reject: false,
    stdin: "ignore",
  });
  let output = "";
  child.all?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const stop = async (): Promise<void> => {
    // SIGTERM: immediate shutdown of this one process (never a broad kill by name).
    child.kill("SIGTERM");
    await child;
    await temp.cleanup();
  };
  try {
    await waitForPort(port, START_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return {
    port,
    url: (serverUrl) => {
      const pooled = new URL(serverUrl);
      pooled.hostname = "127.0.0.1";
      pooled.port = String(port);
      return pooled.toString();
    },
    log: () => output,
    stop,
  };
}

/** pgbouncer --version's first line, for the test log. */
export async function pgBouncerVersion(binary: string): Promise<string> {
  return (await execa(binary, ["--version"])).stdout.split("\n")[0] ?? "";
}
