import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

import { execa } from "execa";
import pg from "pg";
import { describe, expect, it } from "vitest";

import { runCli } from "../helpers/cli.js";
import { POSTS_SCHEMA, USERS_REPOSITORY_WITH_POSTS } from "../helpers/generator-commands.js";
import { linkSharedDependencies } from "../helpers/linked-dependencies.js";
import { inProject } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { servicesAvailable } from "../helpers/services.js";

const E2E_TIMEOUT_MS = 900_000;
const STEP_TIMEOUT_MS = 300_000;
const EXIT_FINDINGS = 1;
const SEEDED_POSTS = 50;

const available = await servicesAvailable("online-migrations e2e");

const GENERATORS = [
  ["generate", "schema", "users", "--columns", "email:text:notNull,name:text:notNull", "--no-migrate"],
  POSTS_SCHEMA,
  ["generate", "schema", "categories", "--columns", "name:text:notNull", "--no-migrate"],
  USERS_REPOSITORY_WITH_POSTS,
];
// A key to another table than users: a second key from posts to users would need a relationName (not this test's subject).
const ADD_CATEGORY = ["generate", "schema", "posts", "--add-columns", "categoryId:integer:references=categories.id"];
const INDEX_PROOF = "lookups are served by an index";
const POSTS_SCHEMA_FILE = "src/db/schema/posts.ts";
const REPOSITORY_TEST = "src/repositories/users-repository.test.ts";

/** `create-perf-backend doctor --json` in the project (what its `doctor` script runs): exit code and the migration findings. */
async function doctor(project: string): Promise<{ exitCode: number; rules: string[] }> {
  const run = await runCli(["doctor", "--json"], { cwd: project });
  const report = JSON.parse(String(run.stdout)) as { findings: Array<{ ruleId: string }> };
  return {
    exitCode: run.exitCode ?? -1,
    rules: report.findings.map((finding) => finding.ruleId).filter((rule) => /^(?:migration|squawk)\//.test(rule)),
  };
}

/** The generated index proof of the users repository, against the project's migrated database. */
async function indexProof(project: string, env: Record<string, string>): Promise<{ exitCode: number; output: string }> {
  const run = await execa("npx", ["vitest", "run", REPOSITORY_TEST, "-t", INDEX_PROOF], {
    cwd: project,
    env: { ...env, FORCE_COLOR: "0", NO_COLOR: "1", CI: "true" },
    reject: false,
    all: true,
    timeout: STEP_TIMEOUT_MS,
  });
  return { exitCode: run.exitCode ?? -1, output: stripVTControlCharacters(String(run.all)) };
}

describe.skipIf(!available)("e2e: migrations of a table that has rows ship online", () => {
  const scaffolded = useScaffoldedProject("online-migrations");

  it(
    "--add-columns with a foreign key: the plan says what locks, db:generate moves the index and FK check out of the transaction, doctor passes, db:migrate builds them online; the index proof fails without the FK index",
    async () => {
      const { project, env } = await scaffolded.scaffold(GENERATORS);
      await linkSharedDependencies(project);
      await inProject(project, "npm", ["run", "db:generate"], env);
      await inProject(project, "npm", ["run", "db:migrate"], env);

      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const [user] = (
          await client.query<{ id: number }>(
            "insert into users (email, name) values ('a@example.com', 'a') returning id",
          )
        ).rows;
        await client.query(
          "insert into posts (author_id, title) select $1, 'post ' || n from generate_series(1, $2::int) n",
          [user?.id, SEEDED_POSTS],
        );

        // The plan (--json) says what the migration of posts locks and how it ships; the task runs db:generate.
        const added = await runCli([...ADD_CATEGORY, "--json"], { cwd: project, env });
        expect(added.exitCode, `${String(added.stdout)}\n${String(added.stderr)}`).toBe(0);
        const result = JSON.parse(String(added.stdout)) as { notes: string[]; tasks: Array<{ ok: boolean }> };
        expect(result.tasks.every((task) => task.ok)).toBe(true);
        expect(result.notes.join("\n")).toContain(
          "FOREIGN KEY (category_id) and index posts_category_id_idx: A plain CREATE INDEX holds a SHARE lock on posts",
        );

        const drizzle = path.join(project, "drizzle");
        const files = (await readdir(drizzle)).filter((file) => file.endsWith(".sql")).sort();
        expect(files).toHaveLength(3);
        const [, change = "", online = ""] = files;
        expect(online).toMatch(/^0002_.*_online\.sql$/);
        const changeSql = await readFile(path.join(drizzle, change), "utf8");
        expect(changeSql).toContain('ADD COLUMN "category_id" integer');
        expect(changeSql).toMatch(/FOREIGN KEY \("category_id"\) REFERENCES .* NOT VALID;/);
        expect(changeSql).not.toContain("CREATE INDEX");
        const onlineSql = await readFile(path.join(drizzle, online), "utf8");
        expect(onlineSql.split("\n")[0]).toBe("-- perf-backend:no-transaction");
        expect(onlineSql).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "posts_category_id_idx" ON "posts"');
        expect(onlineSql).toContain('ALTER TABLE "posts" VALIDATE CONSTRAINT "posts_category_id_categories_id_fk";');

        // The migration lint passes on what db:generate wrote...
        expect(await doctor(project)).toEqual({ exitCode: 0, rules: [] });
        // ...and fails on the online migration without CONCURRENTLY, and on an unsafe migration planted beside it.
        await writeFile(
          path.join(drizzle, online),
          onlineSql.replace("INDEX CONCURRENTLY IF NOT EXISTS", "INDEX IF NOT EXISTS"),
        );
        expect(await doctor(project)).toEqual({
          exitCode: EXIT_FINDINGS,
          rules: ["migration/index-without-concurrently"],
        });
        await writeFile(path.join(drizzle, online), onlineSql);
        const planted = path.join(drizzle, "0003_planted.sql");
        await writeFile(planted, 'ALTER TABLE "posts" ADD COLUMN "score" integer NOT NULL;\n');
        expect(await doctor(project)).toEqual({ exitCode: EXIT_FINDINGS, rules: ["migration/add-required-column"] });
        await rm(planted);

        const applied = await inProject(project, "npm", ["run", "db:migrate"], env);
        expect(applied.all).toContain("migrations applied: 2 (1 outside a transaction)");
        const index = await client.query<{ valid: boolean }>(
          "select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'posts_category_id_idx'",
        );
        expect(index.rows).toEqual([{ valid: true }]);
        const key = await client.query<{ validated: boolean }>(
          "select convalidated as validated from pg_constraint where conname = 'posts_category_id_categories_id_fk'",
        );
        expect(key.rows).toEqual([{ validated: true }]);
        // drizzle-kit's snapshots agree with the schema: nothing left to generate.
        expect((await inProject(project, "npm", ["run", "db:generate"], env)).all).toContain("No schema changes");

        // Indexes proven by the plan: the repository's lookups use them; without the FK index the proof fails.
        const proven = await indexProof(project, env);
        expect(proven.exitCode, proven.output).toBe(0);
        expect(proven.output).toMatch(/Tests\s+2 passed/);
        const schema = path.join(project, POSTS_SCHEMA_FILE);
        const original = await readFile(schema, "utf8");
        const withoutFkIndex = original.replace(/\s*index\("posts_author_id_idx"\)\.on\([^)]*\),/, "");
        expect(withoutFkIndex).not.toBe(original);
        await writeFile(schema, withoutFkIndex);
        await inProject(project, "npm", ["run", "db:generate"], env);
        await inProject(project, "npm", ["run", "db:migrate"], env);
        const unproven = await indexProof(project, env);
        expect(unproven.exitCode).not.toBe(0);
        expect(unproven.output).toContain("posts: posts.author_id needs an index that starts with it");
      } finally {
        await client.end();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
