import { copyFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { USERS_REPOSITORY_WITH_POSTS, USERS_WITH_TIMESTAMPS_SCHEMA } from "../helpers/generator-commands.js";
import { linkSharedDependencies } from "../helpers/linked-dependencies.js";
import { findPgBouncer, pgBouncerVersion, POOL_STARTUP_PARAMETERS, startPgBouncer } from "../helpers/pgbouncer.js";
import type { PgBouncer } from "../helpers/pgbouncer.js";
import { freePort } from "../helpers/postgres-tools.js";
import { inProject, VITEST_SKIPPED_OR_FAILED } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { servicesAvailable } from "../helpers/services.js";
import {
  allowLocalReplication,
  slotExists,
  startStreamingReplica,
  streamingReplicaProblem,
} from "../helpers/streaming-replica.js";
import type { StreamingReplica } from "../helpers/streaming-replica.js";

const E2E_TIMEOUT_MS = 600_000;
const REPLICATION_WAIT_MS = 10_000;
const POLL_MS = 100;
const BENCH_READS = 2000;
const PROBE = fileURLToPath(new URL("../fixtures/scale-out/probe.mts", import.meta.url));
const GENERATE = [
  USERS_WITH_TIMESTAMPS_SCHEMA,
  [
    "generate",
    "schema",
    "posts",
    "--columns",
    "authorId:integer:notNull:references=users.id,title:varchar(255):notNull",
    "--no-migrate",
  ],
  USERS_REPOSITORY_WITH_POSTS,
];

const available = await servicesAvailable("scale-out-db e2e (read replica, PgBouncer)", ["postgres"]);
const pgBouncerBinary = available ? await findPgBouncer() : undefined;
if (available && pgBouncerBinary === undefined) {
  const message = "pgbouncer is not installed (apt-get install -y --no-install-recommends pgbouncer)";
  if (process.env.PERF_BACKEND_E2E === "required") throw new Error(`PERF_BACKEND_E2E=required but ${message}`);
  console.warn(`\n!!! SKIPPING scale-out-db e2e: ${message}\n`);
}

interface ProbeOutput<T> {
  result: T;
  primary: string[];
  replica: string[];
}

async function scalar(url: string, text: string, values: unknown[] = []): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ value: unknown }>(text, values);
    return result.rows[0]?.value;
  } finally {
    await client.end();
  }
}

async function waitForReplay(replicaUrl: string, id: number, name: string): Promise<void> {
  const deadline = Date.now() + REPLICATION_WAIT_MS;
  while ((await scalar(replicaUrl, "select name as value from users where id = $1", [id])) !== name) {
    if (Date.now() > deadline)
      throw new Error(
        `the replica did not replay user ${String(id)} = ${name} within ${String(REPLICATION_WAIT_MS)} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

describe.skipIf(!available || pgBouncerBinary === undefined)(
  "e2e: generated data access on a streaming replica and behind PgBouncer",
  () => {
    const scaffolded = useScaffoldedProject("scale-out-db");
    let bouncer: PgBouncer | undefined;
    let replica: StreamingReplica | undefined;

    // Our own processes and files only, even when a step failed half-way.
    afterAll(async () => {
      await bouncer?.stop();
      await replica?.stop();
      if (replica !== undefined)
        expect(await slotExists(scaffolded.current().env.DATABASE_URL ?? "", replica.slot)).toBe(false);
    });

    it(
      "routes repository reads to a replica and writes to the primary; passes its repository tests through PgBouncer",
      async () => {
        const { project, env } = await scaffolded.scaffold(GENERATE);
        const primaryUrl = env.DATABASE_URL ?? "";
        await linkSharedDependencies(project);
        // (tsc and lint of these templates run in the create-project and schema-repository suites.)
        await inProject(project, "npx", ["drizzle-kit", "generate"], env);
        // Migrations take DATABASE_DIRECT_URL over DATABASE_URL: with DATABASE_URL refusing connections they still apply.
        const refused = `postgres://postgres@127.0.0.1:${String(await freePort())}/postgres`;
        await inProject(project, "npx", ["drizzle-kit", "migrate"], {
          ...env,
          DATABASE_URL: refused,
          DATABASE_DIRECT_URL: primaryUrl,
        });

        // PgBouncer 1.18, transaction mode. Without ignore_startup_parameters it refuses the pool's session settings.
        const strict = await startPgBouncer(pgBouncerBinary ?? "", { serverUrl: primaryUrl });
        try {
          const client = new pg.Client({ connectionString: strict.url(primaryUrl), statement_timeout: 1000 });
          await expect(client.connect()).rejects.toThrow(/unsupported startup parameter: statement_timeout/);
          await client.end().catch(() => undefined);
        } finally {
          await strict.stop();
        }
        bouncer = await startPgBouncer(pgBouncerBinary ?? "", {
          serverUrl: primaryUrl,
          ignoreStartupParameters: POOL_STARTUP_PARAMETERS,
        });
        const pooledUrl = bouncer.url(primaryUrl);
        expect(await scalar(pooledUrl, "select inet_server_port() as value")).toBe(
          Number(new URL(primaryUrl).port || "5432"),
        );
        const pooledEnv = {
          ...env,
          DATABASE_URL: pooledUrl,
          PREPARED_STATEMENTS: "false",
          DB_SETTINGS_PER_TRANSACTION: "true",
        };
        const tests = await inProject(
          project,
          "npx",
          ["vitest", "run", "src/repositories", "src/db/transaction.test.ts"],
          pooledEnv,
        );
        expect(tests.all).toMatch(/users-repository\.test\.ts/);
        expect(tests.all).toMatch(/transaction\.test\.ts/);
        expect(tests.all).toMatch(/Tests\s+\d+ passed/);
        expect(tests.all).not.toMatch(VITEST_SKIPPED_OR_FAILED);
        await copyFile(PROBE, path.join(project, "probe.mts"));
        console.info(
          `scale-out: repository tests passed through ${await pgBouncerVersion(pgBouncerBinary ?? "")} in transaction mode`,
        );
        await bouncer.stop();
        bouncer = undefined;

        // A streaming replica of the primary, made after the migration: it has the tables.
        const problem = await streamingReplicaProblem(primaryUrl);
        expect(problem).toBeNull();
        await allowLocalReplication(primaryUrl);
        replica = await startStreamingReplica(primaryUrl);
        const replicaUrl = replica.url(primaryUrl);
        expect(await scalar(replicaUrl, "select pg_is_in_recovery() as value")).toBe(true);
        const id = Number(
          await scalar(
            primaryUrl,
            "insert into users (email, name) values ('replica@example.com', 'seeded') returning id as value",
          ),
        );
        await waitForReplay(replicaUrl, id, "seeded");

        const probe = async <T>(applicationName: string, args: string[], replicas: string): Promise<ProbeOutput<T>> => {
          const output = await inProject(project, "npx", ["tsx", "probe.mts", ...args], {
            ...env,
            DATABASE_REPLICA_URLS: replicas,
            DB_APPLICATION_NAME: applicationName,
            LOG_LEVEL: "silent",
          });
          return JSON.parse(output.stdout.trim().split("\n").at(-1) ?? "") as ProbeOutput<T>;
        };

        // Reads: every repository read ran on the replica; this process never even connected to the primary.
        const reads = await probe<{ names: unknown[] }>("cpb-probe-read", ["read", String(id)], replicaUrl);
        expect(reads.result.names).toEqual(["seeded", true, "seeded", "seeded"]);
        expect(reads.primary).toEqual([]);
        expect(reads.replica.length).toBeGreaterThan(0);
        expect(reads.replica.some((statement) => statement.includes('from "users"'))).toBe(true);

        // A write, then readYourWrites and a read in a transaction: all on the primary, nothing on the replica.
        const writes = await probe<{ fresh: string; inTransaction: string }>(
          "cpb-probe-write",
          ["write", String(id), "updated"],
          replicaUrl,
        );
        expect(writes.result).toEqual({ fresh: "updated", inTransaction: "updated" });
        expect(writes.replica).toEqual([]);
        expect(writes.primary.length).toBeGreaterThan(0);
        await waitForReplay(replicaUrl, id, "updated");

        // Reads per second, one replica vs the primary alone (same machine, same CPUs: expect them roughly equal).
        const withReplica = await probe<{ readsPerSecond: number }>(
          "cpb-probe-bench-replica",
          ["bench", String(id), "", String(BENCH_READS)],
          replicaUrl,
        );
        const primaryOnly = await probe<{ readsPerSecond: number }>(
          "cpb-probe-bench-primary",
          ["bench", String(id), "", String(BENCH_READS)],
          "",
        );
        expect(withReplica.primary).toEqual([]);
        console.info(
          `scale-out bench: findUserById reads/s (concurrency 10, ${String(BENCH_READS)} reads): replica ${String(withReplica.result.readsPerSecond)}, primary only ${String(primaryOnly.result.readsPerSecond)}`,
        );
      },
      E2E_TIMEOUT_MS,
    );
  },
);
