import { randomBytes } from "node:crypto";
import { chmod, chown, readFile, appendFile, writeFile } from "node:fs/promises";
import path from "node:path";

import pg from "pg";

import { freePort, runningAsRoot, runServerTool, serverBinDir, serviceUserIds } from "./postgres-tools.js";
import { makeTempDir } from "./temp-dir.js";

const PRIVATE_DIR_MODE = 0o700;
const SLOT_SUFFIX_BYTES = 4;
const START_TIMEOUT_SECONDS = "60";
const RELOAD_SETTLE_MS = 500;
// The line that lets a local pg_basebackup (and the standby's WAL receiver) connect for replication.
export const REPLICATION_HBA_LINE = "host replication all 127.0.0.1/32 trust";
const REPLICATION_HBA_PATTERN = /^\s*host\s+replication\s+all\s+127\.0\.0\.1\/32\s+trust\s*$/m;

export interface StreamingReplica {
  port: number;
  /** The replication slot on the primary the standby streams through. */
  slot: string;
  /** `primaryUrl` pointed at the replica. */
  url: (primaryUrl: string) => string;
  /** Stops the standby, deletes its data directory and drops its replication slot on the primary. */
  stop: () => Promise<void>;
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Lets local replication connections in (idempotent: the line is added once, then the configuration reloaded,
 * never the server restarted). Needs write access to the primary's pg_hba.conf (root or its owner).
 */
export async function allowLocalReplication(primaryUrl: string): Promise<void> {
  const [row] = await query<{ hba_file: string }>(primaryUrl, "show hba_file");
  const hbaFile = row?.hba_file ?? "";
  if (REPLICATION_HBA_PATTERN.test(await readFile(hbaFile, "utf8"))) return;
  await appendFile(hbaFile, `\n${REPLICATION_HBA_LINE}\n`);
  await query(primaryUrl, "select pg_reload_conf()");
  await new Promise((resolve) => setTimeout(resolve, RELOAD_SETTLE_MS));
}

/** What makes a streaming replica impossible here, or null. */
export async function streamingReplicaProblem(primaryUrl: string): Promise<string | null> {
  const [row] = await query<{ wal_level: string; senders: string; version: string }>(
    primaryUrl,
    "select current_setting('wal_level') as wal_level, current_setting('max_wal_senders') as senders, current_setting('server_version_num') as version",
  );
  if (row === undefined || row.wal_level === "minimal" || row.senders === "0")
    return "the primary has wal_level=minimal or max_wal_senders=0";
  if (serverBinDir(Number(row.version)) === undefined)
    return `no server tools for PostgreSQL ${row.version} under /usr/lib/postgresql`;
  return null;
}

/**
 * A hot standby of the primary on a free port: `pg_basebackup -R` (WAL streamed, through a replication slot of its
 * own) into a temp dir, started with `pg_ctl` as the service user. Always call `stop`.
 */
export async function startStreamingReplica(primaryUrl: string): Promise<StreamingReplica> {
  const primary = new URL(primaryUrl);
  const [versionRow] = await query<{ version: string }>(
    primaryUrl,
    "select current_setting('server_version_num') as version",
  );
  const binDir = serverBinDir(Number(versionRow?.version ?? "0")) ?? "";
  const temp = await makeTempDir("replica");
  const dataDir = path.join(temp.dir, "data");
  const slot = `cpb_replica_${randomBytes(SLOT_SUFFIX_BYTES).toString("hex")}`;
  const port = await freePort();
  if (runningAsRoot()) {
    const { uid, gid } = await serviceUserIds();
    await chown(temp.dir, uid, gid);
  }
  await chmod(temp.dir, PRIVATE_DIR_MODE);

  let started = false;
  const stop = async (): Promise<void> => {
    if (started) await runServerTool(path.join(binDir, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    await temp.cleanup();
    // The slot keeps WAL on the primary for as long as it exists: it must not outlive the test.
    await query(
      primaryUrl,
      "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1 and not active",
      [slot],
    );
  };

  try {
    const backup = await runServerTool(path.join(binDir, "pg_basebackup"), [
      ...["-D", dataDir, "-R", "-X", "stream", "--checkpoint=fast", "-C", "-S", slot],
      ...[
        "-h",
        primary.hostname,
        "-p",
        primary.port || "5432",
        "-U",
        decodeURIComponent(primary.username) || "postgres",
      ],
    ]);
    if (backup.exitCode !== 0) throw new Error(`pg_basebackup failed: ${String(backup.all)}`);
    // Debian keeps the configuration outside the data directory: the standby gets minimal files of its own.
    await writeFile(path.join(dataDir, "postgresql.conf"), "");
    await writeFile(path.join(dataDir, "pg_ident.conf"), "");
    await writeFile(path.join(dataDir, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
    if (runningAsRoot()) {
      const { uid, gid } = await serviceUserIds();
      await Promise.all(
        ["postgresql.conf", "pg_ident.conf", "pg_hba.conf"].map((file) => chown(path.join(dataDir, file), uid, gid)),
      );
    }
    const options = `-c port=${String(port)} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${temp.dir} -c hot_standby=on`;
    const start = await runServerTool(path.join(binDir, "pg_ctl"), [
      "-D",
      dataDir,
      "-l",
      path.join(temp.dir, "server.log"),
      "-w",
      "-t",
      START_TIMEOUT_SECONDS,
      "-o",
      options,
      "start",
    ]);
    started = true;
    if (start.exitCode !== 0) throw new Error(`the standby did not start: ${String(start.all)}`);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    port,
    slot,
    url: (url) => {
      const replica = new URL(url);
      replica.hostname = "127.0.0.1";
      replica.port = String(port);
      return replica.toString();
    },
    stop,
  };
}

/** Whether the replication slot `slot` is still on the primary (never after `stop`). */
export async function slotExists(primaryUrl: string, slot: string): Promise<boolean> {
  return (await query(primaryUrl, "select 1 from pg_replication_slots where slot_name = $1", [slot])).length > 0;
}
