import { readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

import { execa } from "execa";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import type { PrometheusFamily } from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";

import { DRIZZLE_LINES as DRIZZLE_LINES_PINNED } from "../../src/core/drizzle-lines.js";
import { REPO_ROOT, runCli } from "../helpers/cli.js";
import { POSTS_SCHEMA, USERS_REPOSITORY_WITH_POSTS } from "../helpers/generator-commands.js";
import { inProject, npmInstall, VITEST_SKIPPED_OR_FAILED } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { servicesAvailable } from "../helpers/services.js";

// The eager-read step (generate, install, migrate, the repository test) made a run take 7 minutes alone here.
const E2E_TIMEOUT_MS = 900_000;
const HEALTH_POLL_MS = 200;
const HEALTH_ATTEMPTS = 100;
const SHUTDOWN_TIMEOUT_MS = 10_000;
// Long enough to observe /readyz answering 503 while the server still serves.
const DRAIN_DELAY_MS = 1500;
// npm 12 is the first npm that blocks dependency install scripts allowScripts does not list.
const NPM_BLOCKING_SCRIPTS_MAJOR = 12;

const available = await servicesAvailable("create-project e2e");

// Both drizzle-orm lines `create --drizzle` offers: the default (0.45) and 1.0 (defineRelations, drizzle-kit 1.0 folders).
// E2E_DRIZZLE_LINES=0 keeps one (.ci/run's Node 22 leg: the main leg runs both).
const ONLY_LINES = process.env.E2E_DRIZZLE_LINES?.split(",");
const DRIZZLE_LINES = [
  { line: "0", label: "create", drizzleOrm: DRIZZLE_LINES_PINNED["0"]["drizzle-orm"] },
  { line: "1", label: "create-drizzle1", drizzleOrm: DRIZZLE_LINES_PINNED["1"]["drizzle-orm"] },
].filter(({ line }) => ONLY_LINES === undefined || ONLY_LINES.includes(line));
// A parent and a child, and the parent's repository loading its children: the generated test asserts one statement.
const GENERATE_EAGER_READ = [
  ["generate", "schema", "users", "--columns", "email:text:notNull", "--no-migrate"],
  POSTS_SCHEMA,
  USERS_REPOSITORY_WITH_POSTS,
];

// One file that breaks every playbook rule the generated lint promises to enforce (README "Conventions").
const PLAYBOOK_VIOLATIONS = `import { pbkdf2Sync } from "node:crypto";

import { integer, pgTable } from "drizzle-orm/pg-core";
import type { FastifyInstance } from "fastify";

import { getRedisClient } from "./cache/index.js";
import { pool } from "./db/index.js";

const ITERATIONS = 100_000;
const KEY_LENGTH = 64;

export const parents = pgTable("parents", { id: integer().primaryKey() });
export const children = pgTable("children", { id: integer().primaryKey(), parentId: integer().references(() => parents.id) });

export async function leak(): Promise<void> {
  const client = await pool.connect();
  await client.query("select 1");
  client.release();
}

export async function nPlusOne(ids: number[]): Promise<void> {
  for (const id of ids) {
    await pool.query("select $1::int", [id]);
  }
}

export async function noTtl(): Promise<void> {
  const client = await getRedisClient();
  await client.set("key", "value");
}

export function routes(app: FastifyInstance): void {
  app.get("/hash", async () => pbkdf2Sync("password", "salt", ITERATIONS, KEY_LENGTH, "sha512").toString("hex"));
}

export function fireAndForget(ids: number[]): void {
  noTtl();
  ids.forEach(async () => {
    await noTtl();
  });
}
`;
const PLAYBOOK_RULES = [
  "perf-backend/release-in-finally",
  "perf-backend/no-query-in-loop",
  "perf-backend/cache-ttl-required",
  "perf-backend/no-blocking-in-handler",
  "perf-backend/fk-needs-index",
  "no-await-in-loop",
  "@typescript-eslint/no-floating-promises",
  "@typescript-eslint/no-misused-promises",
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!available).each(DRIZZLE_LINES)(
  "e2e: a new project (--drizzle $line) installs, typechecks, lints, tests and runs",
  ({ line, label, drizzleOrm }) => {
    const scaffolded = useScaffoldedProject(label, ["--drizzle", line]);

    it(
      "runs the whole life of a generated project",
      async () => {
        const started = performance.now();
        const { project, env } = scaffolded.current();
        await scaffolded.scaffold();
        const packageJson = JSON.parse(await readFile(path.join(project, "package.json"), "utf8")) as {
          dependencies: Record<string, string>;
          devDependencies: Record<string, string>;
        };
        // Run from a checkout, the project depends on this very copy so `npm install` works before publishing.
        expect(packageJson.devDependencies["create-perf-backend"]).toBe(`file:${REPO_ROOT}`);
        expect(packageJson.dependencies["drizzle-orm"]).toBe(drizzleOrm);
        for (const args of GENERATE_EAGER_READ) {
          const run = await runCli(args, { cwd: project });
          expect(run.exitCode, `${args.join(" ")}\n${run.stdout}\n${run.stderr}`).toBe(0);
        }
        const relations = line === "1" ? await readFile(path.join(project, "src/db/schema/relations.ts"), "utf8") : "";
        if (line === "1") {
          // 1.0: the relations are entries of the one defineRelations, and no v0 relations() is written anywhere.
          expect(relations).toMatch(/posts: r\.many\.posts\(\)/);
          expect(relations).toMatch(/author: r\.one\.users\(\{ from: r\.posts\.authorId, to: r\.users\.id \}\)/);
          expect(await readFile(path.join(project, "src/db/schema/posts.ts"), "utf8")).not.toContain("relations(");
        }

        // npm 12 runs only the install scripts allowScripts approves and lists each one it blocked: none may be listed.
        // Older npm would run this checkout's `prepare` (a rebuild of dist/ under other suites), so scripts stay off there.
        const npmMajor = Number((await inProject(project, "npm", ["--version"])).stdout.split(".")[0]);
        if (npmMajor >= NPM_BLOCKING_SCRIPTS_MAJOR) {
          const install = await inProject(project, "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"]);
          expect(install.all).not.toMatch(/install scripts? blocked|not covered by allowScripts/);
        } else {
          await npmInstall(project);
        }
        await inProject(project, "npx", ["tsc", "--noEmit"]);
        // One lint run: a file that breaks each playbook rule fails it, naming every rule, and that file is the only one
        // with a problem (the generated code has none; ESLint's stylish output heads each file's problems with its path).
        const violations = path.join(project, "src", "playbook-violations.ts");
        await writeFile(violations, PLAYBOOK_VIOLATIONS);
        const failing = await execa("npm", ["run", "lint"], {
          cwd: project,
          reject: false,
          all: true,
          env: { NO_COLOR: "1", FORCE_COLOR: "0" },
        });
        await rm(violations);
        expect(failing.exitCode, String(failing.all)).toBe(1);
        for (const rule of PLAYBOOK_RULES) expect(String(failing.all)).toContain(`  ${rule}\n`);
        expect(
          String(failing.all)
            .split("\n")
            .filter((line) => line.startsWith(project)),
          String(failing.all),
        ).toEqual([violations]);
        // `doctor` (our rules only, the project's own tsconfig) agrees: nothing at error level in what we generate.
        const doctor = await runCli(["doctor", "--json"], { cwd: project });
        expect(doctor.exitCode, String(doctor.stdout)).toBe(0);
        expect((JSON.parse(String(doctor.stdout)) as { summary: { error: number } }).summary.error).toBe(0);
        // The migrations drizzle-kit writes (its journal on 0.45, a folder per migration on 1.0), applied by db:migrate.
        await inProject(project, "npm", ["run", "db:generate"], env);
        await inProject(project, "npm", ["run", "db:migrate"], env);
        const tests = await inProject(project, "npm", ["test"], env);
        // The repository's own test asserts the eager read (users with posts) is one statement: it ran and passed.
        expect(tests.all).toContain("users-repository.test.ts");
        expect(tests.all).toMatch(/Tests\s+\d+ passed/);
        expect(tests.all).not.toMatch(VITEST_SKIPPED_OR_FAILED);
        await inProject(project, "npm", ["run", "build"]);

        // The plopfile loads with the generators this package registers.
        const plop = await inProject(project, "node", [
          "--input-type=module",
          "-e",
          "const { default: nodePlop } = await import('node-plop'); const plop = await nodePlop('./plopfile.js'); console.log(JSON.stringify(plop.getGeneratorList().map((g) => g.name)));",
        ]);
        expect(JSON.parse(String(plop.stdout))).toEqual(["schema", "repository", "cache", "worker"]);
        // plop takes the CLI's flag names as named arguments; without a terminal it asks nothing and never waits.
        await inProject(project, "npx", [
          "plop",
          "worker",
          "--",
          "--name",
          "resize-image",
          "--max-threads",
          "2",
          "--output-type",
          "Thumbnail",
        ]);
        const task = await readFile(path.join(project, "src/workers/resize-image-task.ts"), "utf8");
        expect(task).toContain("const DEFAULT_RESIZE_IMAGE_MAX_THREADS = 2;");
        expect(task).toContain("ResizeImageInput, Thumbnail");

        // A production start without DATABASE_URL stops at once, naming the variable, instead of using a local default.
        const unconfigured = await execa("node", ["dist/main.js"], {
          cwd: project,
          env: { NODE_ENV: "production", DATABASE_URL: "", REDIS_URL: env.REDIS_URL },
          reject: false,
          all: true,
          timeout: SHUTDOWN_TIMEOUT_MS,
        });
        expect(unconfigured.exitCode).not.toBe(0);
        expect(unconfigured.all).toContain("DATABASE_URL must be set when NODE_ENV=production");

        // The built server is live and ready; on SIGTERM readiness goes off while it drains, then it exits cleanly.
        const port = await freePort();
        const base = `http://127.0.0.1:${String(port)}`;
        const server = execa("node", ["dist/main.js"], {
          cwd: project,
          env: { ...env, PORT: String(port), HOST: "127.0.0.1", SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS) },
          reject: false,
          all: true,
        });
        let ready: Response | undefined;
        for (let attempt = 0; attempt < HEALTH_ATTEMPTS && !ready; attempt += 1) {
          ready = await fetch(`${base}/readyz`).catch(() => undefined);
          if (!ready) await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
        }
        expect(ready?.status).toBe(200);
        expect(await ready?.json()).toMatchObject({ status: "ok" });
        expect((await fetch(`${base}/livez`)).status).toBe(200);
        // A request measured per request (Server-Timing is on outside production), then /metrics through a real
        // Prometheus text parser: pool and event-loop figures, and the statement that request sent.
        expect((await fetch(`${base}/readyz`)).headers.get("server-timing")).toMatch(
          /^db;dur=\d+\.\d;desc="[1-9]\d* quer(y|ies)", cache;desc="0 hits, 0 misses"$/,
        );
        const scrape = await fetch(`${base}/metrics`);
        expect(scrape.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
        const exposition = await scrape.text();
        const families = new Map(parsePrometheusTextFormat(exposition).map((family) => [family.name, family]));
        const value = (family: PrometheusFamily | undefined): number => Number(family?.metrics[0]?.value);
        expect(value(families.get("db_pool_connections"))).toBeGreaterThanOrEqual(1);
        expect(value(families.get("db_pool_idle_connections"))).toBeGreaterThanOrEqual(0);
        expect(value(families.get("db_pool_waiting_clients"))).toBe(0);
        const loop = families.get("event_loop_delay_seconds");
        expect(loop?.type).toBe("HISTOGRAM");
        expect(Number(loop?.metrics[0]?.count)).toBeGreaterThanOrEqual(1);
        const statements = families.get("db_statement_duration_seconds");
        expect(statements?.type).toBe("HISTOGRAM");
        expect(statements?.metrics.some((sample) => Number(sample.buckets?.["+Inf"]) >= 1)).toBe(true);
        // The parser drops the labels of histogram series whose `le` comes first (prom-client's order): read them raw.
        expect(exposition).toMatch(
          /^db_statement_duration_seconds_count\{operation="select",outcome="ok"\} [1-9]\d*$/m,
        );
        expect(families.has("nodejs_eventloop_lag_seconds")).toBe(true);
        server.kill("SIGTERM");
        await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
        const draining = await fetch(`${base}/readyz`);
        expect(draining.status).toBe(503);
        expect(await draining.json()).toEqual({ status: "draining" });
        expect((await fetch(`${base}/livez`)).status).toBe(200);
        const exited = await Promise.race([
          server,
          new Promise((resolve) => setTimeout(() => resolve("timeout"), SHUTDOWN_TIMEOUT_MS)),
        ]);
        expect(exited).not.toBe("timeout");
        expect((exited as { exitCode: number }).exitCode, (exited as { all: string }).all).toBe(0);

        console.info(
          `e2e create-project (--drizzle ${line}) wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      },
      E2E_TIMEOUT_MS,
    );
  },
);
