import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { HEAVY_SEQ_SCAN_MIN_ROWS, HEAVY_SEQ_SCAN_MIN_SCANS } from "../src/doctor/live-checks.js";
import { REPO_ROOT, runCli, runMain } from "./helpers/cli.js";
import { createThrowawayDatabase, execute, servicesAvailable } from "./helpers/services.js";
import type { ThrowawayDatabase } from "./helpers/services.js";
import { makeTempDir, snapshotDir } from "./helpers/temp-dir.js";

const CORPUS = path.join(REPO_ROOT, "test", "fixtures", "playbook-corpus");
// A repo whose Drizzle schema has planted schema-rule violations (`// expect:`) and look-alikes (`// ok:`).
const SCHEMA_REPO = path.join(REPO_ROOT, "test", "fixtures", "doctor-schema");
const SCHEMA_FILE = "src/db/schema.ts";
const DOCTOR_TIMEOUT_MS = 180_000;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;
const SARIF_LEVELS = new Set(["none", "note", "warning", "error"]);

const FIXTURE_TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: "ES2023",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  },
  include: ["src"],
});
const SERVER_WITH_BLOCKING_CALL = `import { readFileSync } from "node:fs";
import http from "node:http";

export const server = http.createServer((_request, response) => {
  response.end(readFileSync("index.html"));
});
`;
const CLEAN_SERVER = `import { readFile } from "node:fs/promises";
import http from "node:http";

export const server = http.createServer((_request, response) => {
  // A disable comment for a rule of the repo's own config: doctor neither needs nor reports it.
  // eslint-disable-next-line unicorn/prefer-top-level-await
  void readFile("index.html").then((body) => response.end(body));
});
`;
const CACHE_WITHOUT_TTL = `import { createClient } from "redis";

const client = createClient();

export async function remember(key: string, value: string): Promise<void> {
  await client.set(key, value);
}
`;
// Outside the tsconfig's include: doctor must not look at it.
const OUTSIDE_TSCONFIG = `import { readFileSync } from "node:fs";
import http from "node:http";

export const server = http.createServer((_request, response) => response.end(readFileSync("x")));
`;

// Runs main() in a fresh process and prints which of the heavy lint packages it loaded (they are CommonJS: require.cache sees them).
const LOADED_LINT_PACKAGES = `
import { createRequire } from "node:module";
import { Readable, Writable } from "node:stream";
const { main } = await import(process.argv[1]);
const sink = new Writable({ write(_chunk, _encoding, done) { done(); } });
await main(process.argv.slice(2), { cwd: process.cwd(), env: {}, stdin: Readable.from([]), stdout: sink, stderr: sink, interactive: false });
const loaded = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify(["/node_modules/eslint/", "/node_modules/@typescript-eslint/", "/node_modules/typescript/"].filter((dir) => loaded.some((file) => file.includes(dir)))));
`;

async function lintPackagesLoadedBy(args: string[], cwd: string): Promise<string[]> {
  const result = await execa(
    "node",
    ["--input-type=module", "-e", LOADED_LINT_PACKAGES, path.join(REPO_ROOT, "dist/src/cli/main.js"), ...args],
    { cwd },
  );
  return JSON.parse(result.stdout) as string[];
}

interface JsonReport {
  ok: boolean;
  command: string;
  filesChecked: number;
  databaseChecked: boolean;
  failOn: string;
  summary: { error: number; warning: number; note: number };
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    file?: string;
    line?: number;
    column?: number;
    object?: string;
    fixable?: boolean;
  }[];
  rules: { id: string; playbook: string; fix: string }[];
  notes: string[];
}

/** A small repo with its own tsconfig (node_modules linked to this repo's for the types) and an ESLint config doctor must never load. */
async function makeFixtureRepo(dir: string, server: string): Promise<string> {
  const repo = path.join(dir, `repo-${String(Math.random()).slice(2)}`);
  await mkdir(path.join(repo, "src"), { recursive: true });
  await mkdir(path.join(repo, "scripts"), { recursive: true });
  await symlink(path.join(REPO_ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
  await writeFile(path.join(repo, "package.json"), JSON.stringify({ name: "fixture", type: "module" }));
  await writeFile(path.join(repo, "tsconfig.json"), FIXTURE_TSCONFIG);
  await writeFile(path.join(repo, "eslint.config.js"), 'throw new Error("doctor loaded the repo\'s ESLint config");\n');
  await writeFile(path.join(repo, "src", "server.ts"), server);
  await writeFile(path.join(repo, "scripts", "outside.ts"), OUTSIDE_TSCONFIG);
  return repo;
}

describe("doctor", () => {
  let temp: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeAll(async () => {
    temp = await makeTempDir("doctor");
  });
  afterAll(async () => {
    await temp?.cleanup();
  });
  const tempDir = (): string => {
    if (!temp) throw new Error("no temp dir");
    return temp.dir;
  };

  it(
    "reports the corpus grouped by rule with file:line, the playbook rule and the fix, and exits 1",
    async () => {
      const result = await runMain(["doctor", "--cwd", CORPUS], REPO_ROOT);
      expect(result.exitCode, result.stderr).toBe(EXIT_FINDINGS);
      const out = result.stdout;
      for (const rule of [
        "release-in-finally",
        "no-query-in-loop",
        "cache-ttl-required",
        "no-blocking-in-handler",
        "fk-needs-index",
      ]) {
        expect(out).toMatch(new RegExp(`^perf-backend/${rule} \\(\\d+\\)$`, "m"));
      }
      expect(out).toContain(
        "  playbook: Use `with` or eager loading to prevent N+1 queries; never lazy load in loops.",
      );
      expect(out).toMatch(/^ {2}fix: +Load the rows in one statement/m);
      expect(out).toMatch(
        /^ {2}error +release-in-finally\.ts:11:\d+ {2}`client` is checked out of the pool but never released/m,
      );
      // The summary counts the notes it prints (it said "0 note(s)" under a printed note before).
      expect(out).toMatch(
        /doctor: 13 files from tsconfig\.json, 5 migrations in migrations\/: 99 error\(s\), 0 warning\(s\), 2 note\(s\)/,
      );
      expect(out.match(/^note: /gm)).toHaveLength(2);
      expect(out).toContain("note: squawk-cli is not installed in this repo");
      expect(out).toContain("note: No --database-url");
      // Migrations: grouped like the lint rules, at file:line, with the playbook reason and the online fix.
      expect(out).toMatch(/^migration\/index-without-concurrently \(4\)$/m);
      expect(out).toMatch(/^ {2}fix: +CREATE INDEX CONCURRENTLY IF NOT EXISTS/m);
      expect(out).toMatch(
        /^ {2}error +migrations\/0001_unsafe_indexes\.sql:1:1 {2}CREATE INDEX on public\.order_lines without CONCURRENTLY/m,
      );
      expect(out).toMatch(/^ {2}error +cache-ttl-required\.ts:12:\d+ {2}.*\(doctor --fix\)$/m);
    },
    DOCTOR_TIMEOUT_MS,
  );

  it(
    "--json: counts, findings with file/line, the rules with their playbook pattern and fix",
    async () => {
      const result = await runMain(["doctor", "--cwd", CORPUS, "--json"], REPO_ROOT);
      expect(result.exitCode).toBe(EXIT_FINDINGS);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report).toMatchObject({
        ok: false,
        command: "doctor",
        filesChecked: 13,
        migrationsChecked: 5,
        migrationsFolder: "migrations",
        databaseChecked: false,
        failOn: "error",
      });
      expect(report.summary).toEqual({ error: report.findings.length, warning: 0, note: 0 });
      expect(report.findings.filter((finding) => finding.ruleId.startsWith("migration/"))).toHaveLength(16);
      expect(report.findings.filter((finding) => finding.fixable === true).length).toBeGreaterThan(0);
      for (const finding of report.findings) {
        expect(finding).toMatchObject({
          ruleId: expect.stringMatching(/^(?:perf-backend|migration)\//),
          severity: "error",
          file: expect.any(String),
          line: expect.any(Number),
          column: expect.any(Number),
        });
        expect(report.rules.map((rule) => rule.id)).toContain(finding.ruleId);
      }
      for (const rule of report.rules) expect(rule.playbook.length * rule.fix.length).toBeGreaterThan(0);
    },
    DOCTOR_TIMEOUT_MS,
  );

  it(
    "--sarif: a valid SARIF 2.1.0 log whose results point into the repo",
    async () => {
      const result = await runMain(["doctor", "--cwd", CORPUS, "--sarif"], REPO_ROOT);
      expect(result.exitCode).toBe(EXIT_FINDINGS);
      const sarif = JSON.parse(result.stdout) as {
        version: string;
        $schema: string;
        runs: {
          tool: {
            driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string } }[] };
          };
          originalUriBaseIds: Record<string, { uri: string }>;
          results: {
            ruleId: string;
            ruleIndex: number;
            level: string;
            message: { text: string };
            locations: {
              physicalLocation: {
                artifactLocation: { uri: string; uriBaseId: string };
                region: { startLine: number; startColumn: number };
              };
            }[];
          }[];
        }[];
      };
      expect(sarif.version).toBe("2.1.0");
      expect(sarif.$schema).toMatch(/sarif-2\.1\.0\.json$/);
      expect(sarif.runs).toHaveLength(1);
      const [run] = sarif.runs;
      if (!run) throw new Error("no run");
      expect(run.tool.driver.name).toBe("create-perf-backend doctor");
      expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
      const ruleIds = run.tool.driver.rules.map((rule) => rule.id);
      expect(new Set(ruleIds).size).toBe(ruleIds.length);
      expect(run.results.length).toBeGreaterThan(0);
      for (const entry of run.results) {
        expect(ruleIds[entry.ruleIndex]).toBe(entry.ruleId);
        expect(SARIF_LEVELS.has(entry.level)).toBe(true);
        expect(entry.message.text.length).toBeGreaterThan(0);
        const location = entry.locations[0]?.physicalLocation;
        expect(location?.artifactLocation.uri).toMatch(/^[\w./-]+\.(?:ts|sql)$/);
        expect(run.originalUriBaseIds[location?.artifactLocation.uriBaseId ?? ""]?.uri).toMatch(/^file:\/\/.*\/$/);
        expect(location?.region.startLine).toBeGreaterThanOrEqual(1);
        expect(location?.region.startColumn).toBeGreaterThanOrEqual(1);
      }
      const migration = run.results.find((entry) => entry.ruleId === "migration/set-not-null");
      expect(migration?.locations[0]?.physicalLocation.artifactLocation.uri).toBe("migrations/0002_unsafe_columns.sql");
      expect(migration?.locations[0]?.physicalLocation.region.startLine).toBe(6);
    },
    DOCTOR_TIMEOUT_MS,
  );

  it(
    "--fix --dry-run prints the plan and diff and writes nothing; --fix writes the fix (typechecked) and the finding is gone",
    async () => {
      const repo = await makeFixtureRepo(tempDir(), CACHE_WITHOUT_TTL);
      const untouched = await snapshotDir(repo);
      const dry = await runMain(["doctor", "--cwd", repo, "--fix", "--dry-run"], REPO_ROOT);
      expect(dry.exitCode, dry.stderr).toBe(EXIT_FINDINGS);
      expect(dry.stdout).toMatch(/^UPDATE +src\/server\.ts$/m);
      expect(dry.stdout).toMatch(/^\+const CACHE_TTL_SECONDS = 300;$/m);
      expect(dry.stdout).toMatch(/^- {2}await client\.set\(key, value\);$/m);
      expect(dry.stdout).toMatch(
        /^\+ {2}await client\.set\(key, value, \{ expiration: \{ type: "EX", value: CACHE_TTL_SECONDS \} \}\);$/m,
      );
      expect(dry.stdout).toContain("Dry run: 0 to create, 1 to update");
      expect(await snapshotDir(repo)).toEqual(untouched);

      const fixed = await runMain(["doctor", "--cwd", repo, "--fix"], REPO_ROOT);
      expect(fixed.exitCode, `${fixed.stdout}${fixed.stderr}`).toBe(0);
      expect(fixed.stdout).toContain("Wrote 1 file(s).");
      expect(fixed.stdout).toContain("doctor: 1 file from tsconfig.json: 0 error(s)");
      const text = await readFile(path.join(repo, "src", "server.ts"), "utf8");
      expect(text).toContain('await client.set(key, value, { expiration: { type: "EX", value: CACHE_TTL_SECONDS } });');
      // The rest of the file is as it was: the fix only added text.
      expect(
        text
          .replace(/\n\n\/\/ How long[^\n]*\nconst CACHE_TTL_SECONDS = 300;/, "")
          .replace(', { expiration: { type: "EX", value: CACHE_TTL_SECONDS } }', ""),
      ).toBe(CACHE_WITHOUT_TTL);

      const usage = await runMain(["doctor", "--cwd", repo, "--dry-run"], REPO_ROOT);
      expect(usage.exitCode).toBe(EXIT_USAGE);
    },
    DOCTOR_TIMEOUT_MS,
  );

  it(
    "--fix adding an index to an existing table says in the plan what its migration locks and how to ship it online",
    async () => {
      const schema = [
        'import { integer, pgTable } from "drizzle-orm/pg-core";',
        "",
        'export const accounts = pgTable("accounts", { id: integer().primaryKey() });',
        'export const invoices = pgTable("invoices", { id: integer().primaryKey(), accountId: integer("account_id").notNull().references(() => accounts.id) });',
        "",
      ].join("\n");
      const repo = await makeFixtureRepo(tempDir(), schema);
      const byHand = await runMain(["doctor", "--cwd", repo, "--fix", "--dry-run"], REPO_ROOT);
      expect(byHand.stdout).toMatch(/^\+.*index\(/m);
      expect(byHand.stdout).toContain(
        "New indexes in src/server.ts: the migration drizzle-kit writes for them is a plain CREATE INDEX, which holds a SHARE lock",
      );
      expect(byHand.stdout).toContain("as CREATE INDEX CONCURRENTLY IF NOT EXISTS, run outside a transaction (psql)");
      // A project whose db:generate splits migrations (one create made) is told that it will.
      await writeFile(
        path.join(repo, "package.json"),
        JSON.stringify({
          name: "fixture",
          type: "module",
          scripts: { "db:generate": "tsx src/db/migrate.ts generate" },
        }),
      );
      const online = await runMain(["doctor", "--cwd", repo, "--fix", "--dry-run"], REPO_ROOT);
      expect(online.stdout).toContain(
        'db:generate moves them to a migration of their own marked "-- perf-backend:no-transaction"',
      );
      // A fix that adds no index (a TTL) says nothing about locks.
      const ttl = await runMain(
        ["doctor", "--cwd", await makeFixtureRepo(tempDir(), CACHE_WITHOUT_TTL), "--fix", "--dry-run"],
        REPO_ROOT,
      );
      expect(ttl.stdout).not.toContain("New indexes");
    },
    DOCTOR_TIMEOUT_MS,
  );

  it(
    "checks only the files of the repo's own tsconfig, never loads its ESLint config, and exits 0 when clean (built CLI)",
    async () => {
      const dirty = await makeFixtureRepo(tempDir(), SERVER_WITH_BLOCKING_CALL);
      const found = await runCli(["doctor", "--json"], { cwd: dirty });
      expect(found.exitCode, String(found.stderr)).toBe(EXIT_FINDINGS);
      const report = JSON.parse(String(found.stdout)) as JsonReport;
      expect(report.filesChecked).toBe(1);
      expect(report.findings).toEqual([
        expect.objectContaining({ ruleId: "perf-backend/no-blocking-in-handler", file: "src/server.ts", line: 5 }),
      ]);

      const clean = await makeFixtureRepo(tempDir(), CLEAN_SERVER);
      // --cwd before the subcommand is the repo checked, not the directory the CLI started in.
      const ok = await runCli(["--cwd", clean, "doctor"], { cwd: dirty });
      expect(ok.exitCode, String(ok.stderr)).toBe(0);
      expect(String(ok.stdout)).toContain("doctor: 1 file from tsconfig.json: 0 error(s)");
    },
    DOCTOR_TIMEOUT_MS,
  );

  it(
    "loads eslint, typescript-eslint and TypeScript only when doctor runs (built CLI)",
    async () => {
      expect(await lintPackagesLoadedBy(["--help"], REPO_ROOT)).toEqual([]);
      expect(await lintPackagesLoadedBy(["init", "--help"], REPO_ROOT)).toEqual([]);
      const repo = await makeFixtureRepo(tempDir(), CLEAN_SERVER);
      expect(await lintPackagesLoadedBy(["doctor"], repo)).toEqual([
        "/node_modules/eslint/",
        "/node_modules/@typescript-eslint/",
        "/node_modules/typescript/",
      ]);
    },
    DOCTOR_TIMEOUT_MS,
  );

  it(
    "schema checks: tables without a primary key and soft-delete columns without a partial index, at file:line, exactly the planted ones",
    async () => {
      const source = await readFile(path.join(SCHEMA_REPO, SCHEMA_FILE), "utf8");
      const marked = (kind: "expect" | "ok"): string[] =>
        source
          .split("\n")
          .flatMap((text, index) =>
            [...text.matchAll(new RegExp(`// ${kind}: (schema/[\\w-]+)`, "g"))].map(
              (match) => `${match[1] ?? ""} ${SCHEMA_FILE}:${String(index + 1)}`,
            ),
          );
      expect(marked("expect").length).toBeGreaterThanOrEqual(4);
      expect(marked("ok").length).toBeGreaterThanOrEqual(4);

      const json = await runMain(["doctor", "--cwd", SCHEMA_REPO, "--json"], REPO_ROOT);
      // Both rules report warnings: the default --fail-on error exits 0, --fail-on warning exits 1.
      expect(json.exitCode, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout) as JsonReport;
      const schemaFindings = report.findings.filter((finding) => finding.ruleId.startsWith("schema/"));
      expect(
        schemaFindings.map((finding) => `${finding.ruleId} ${finding.file ?? ""}:${String(finding.line)}`).sort(),
      ).toEqual(marked("expect").sort());
      for (const finding of schemaFindings)
        expect(finding).toMatchObject({ severity: "warning", column: 1, message: expect.any(String) });
      for (const id of ["schema/no-primary-key", "schema/soft-delete-without-partial-index"]) {
        expect(report.rules).toContainEqual(
          expect.objectContaining({ id, playbook: expect.stringMatching(/\w/), fix: expect.stringMatching(/\w/) }),
        );
      }

      const text = await runMain(["doctor", "--cwd", SCHEMA_REPO, "--fail-on", "warning"], REPO_ROOT);
      expect(text.exitCode).toBe(EXIT_FINDINGS);
      expect(text.stdout).toMatch(/^schema\/no-primary-key \(2\)$/m);
      expect(text.stdout).toMatch(/^ {2}fix: +Add a key: id: integer\(\)\.primaryKey\(\)/m);
      expect(text.stdout).toMatch(
        /^ {2}warning src\/db\/schema\.ts:36:1 {2}posts\.deletedAt \(deleted_at\) marks soft-deleted rows/m,
      );
      expect(text.stdout).toMatch(/^ {2}fix: +index\("<table>_live_idx"\)/m);

      const sarif = JSON.parse((await runMain(["doctor", "--cwd", SCHEMA_REPO, "--sarif"], REPO_ROOT)).stdout) as {
        runs: {
          tool: { driver: { rules: { id: string }[] } };
          results: {
            ruleId: string;
            ruleIndex: number;
            level: string;
            locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
          }[];
        }[];
      };
      const [run] = sarif.runs;
      const schemaResults = (run?.results ?? []).filter((result) => result.ruleId.startsWith("schema/"));
      expect(
        schemaResults
          .map(
            (result) =>
              `${result.ruleId} ${result.locations[0]?.physicalLocation?.artifactLocation.uri ?? ""}:${String(result.locations[0]?.physicalLocation?.region.startLine)}`,
          )
          .sort(),
      ).toEqual(marked("expect").sort());
      for (const result of schemaResults) {
        expect(run?.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
        expect(result.level).toBe("warning");
      }
    },
    DOCTOR_TIMEOUT_MS,
  );

  it("exits 2 on usage errors, before linting anything", async () => {
    const both = await runMain(["doctor", "--cwd", CORPUS, "--json", "--sarif"], REPO_ROOT);
    expect(both.exitCode).toBe(EXIT_USAGE);
    const level = await runMain(["doctor", "--cwd", CORPUS, "--fail-on", "fatal"], REPO_ROOT);
    expect(level.exitCode).toBe(EXIT_USAGE);
    const noTsconfig = await runMain(["doctor", "--cwd", tempDir()], REPO_ROOT);
    expect(noTsconfig.exitCode).toBe(EXIT_USAGE);
    expect(noTsconfig.stderr).toContain("No tsconfig at");
    const pool = await runMain(["doctor", "--cwd", CORPUS, "--pool-size", "0"], REPO_ROOT);
    expect(pool.exitCode).toBe(EXIT_USAGE);
  });
});

const available = await servicesAvailable("doctor live checks");

describe.skipIf(!available)("doctor --database-url", () => {
  let database: ThrowawayDatabase | undefined;
  let temp: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeAll(async () => {
    database = await createThrowawayDatabase("doctor");
    temp = await makeTempDir("doctor-live");
    await execute(
      database.url,
      `create table parents (id integer primary key);
       create table children (id integer primary key, parent_id integer not null references parents (id));
       create table indexed_children (id integer primary key, parent_id integer not null references parents (id));
       create index indexed_children_parent_id_idx on indexed_children (parent_id);
       create table events (id integer primary key, kind text not null);
       insert into events select g, 'kind-' || (g % 10) from generate_series(1, ${String(HEAVY_SEQ_SCAN_MIN_ROWS)}) g;
       analyze events;
       do $$ begin for i in 1..${String(HEAVY_SEQ_SCAN_MIN_SCANS)} loop perform count(*) from events where kind = 'kind-1'; end loop; end $$;
       select pg_stat_force_next_flush();
       create extension if not exists pg_stat_statements;`,
    );
  }, DOCTOR_TIMEOUT_MS);
  afterAll(async () => {
    await database?.drop();
    await temp?.cleanup();
  });

  it(
    "finds the foreign key without an index, the unused index, and a pool too big for max_connections",
    async () => {
      if (!database || !temp) throw new Error("setup failed");
      const repo = await makeFixtureRepo(temp.dir, CLEAN_SERVER);
      const result = await runMain(
        ["doctor", "--cwd", repo, "--json", "--database-url", database.url, "--pool-size", "100000"],
        REPO_ROOT,
      );
      expect(result.exitCode, result.stderr).toBe(EXIT_FINDINGS);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.databaseChecked).toBe(true);
      const foreignKeys = report.findings.filter((finding) => finding.ruleId === "db/fk-without-index");
      expect(foreignKeys).toEqual([
        expect.objectContaining({
          severity: "error",
          object: "public.children",
          message: expect.stringContaining("(parent_id)"),
        }),
      ]);
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          ruleId: "db/unused-index",
          severity: "warning",
          object: "public.indexed_children_parent_id_idx",
        }),
      );
      expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: "db/pool-size", severity: "error" }));
      expect(report.findings).toContainEqual(
        expect.objectContaining({ ruleId: "db/heavy-seq-scan", severity: "warning", object: "public.events" }),
      );
      // Installed but not preloaded here (shared_preload_libraries): reported as a note, not a crash.
      const statements = report.findings.filter((finding) => finding.ruleId === "db/top-statement");
      expect(
        statements.length > 0 || report.notes.some((note) => note.startsWith("pg_stat_statements did not answer")),
      ).toBe(true);
      expect(report.rules.map((rule) => rule.id)).toContain("db/fk-without-index");

      // With the index in place and a sane pool, nothing at error level is left: exit 0.
      await execute(database.url, "create index children_parent_id_idx on children (parent_id)");
      const fixed = await runMain(
        ["doctor", "--cwd", repo, "--json", "--database-url", database.url, "--pool-size", "5"],
        REPO_ROOT,
      );
      expect(fixed.exitCode, fixed.stdout).toBe(0);
      const after = JSON.parse(fixed.stdout) as JsonReport;
      expect(after.findings.filter((finding) => finding.severity === "error")).toEqual([]);
      // An unused index is a warning: --fail-on warning turns it into exit 1.
      const strict = await runMain(
        ["doctor", "--cwd", repo, "--database-url", database.url, "--pool-size", "5", "--fail-on", "warning"],
        REPO_ROOT,
      );
      expect(strict.exitCode).toBe(EXIT_FINDINGS);
      expect(strict.stdout).toMatch(/^db\/unused-index \(\d+\)$/m);
    },
    DOCTOR_TIMEOUT_MS,
  );

  it("exits 2 when the database cannot be reached", async () => {
    if (!temp) throw new Error("setup failed");
    const repo = await makeFixtureRepo(temp.dir, CLEAN_SERVER);
    const result = await runMain(
      ["doctor", "--cwd", repo, "--database-url", "postgres://nobody@127.0.0.1:1/none"],
      REPO_ROOT,
    );
    expect(result.exitCode).toBe(EXIT_USAGE);
    expect(result.stderr).toContain("Cannot connect to --database-url");
  });
});
