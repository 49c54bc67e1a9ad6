import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { execa } from "execa";
import pg from "pg";
import { describe, expect, it } from "vitest";

import { runCli } from "../helpers/cli.js";
import { MUTATIONS } from "../helpers/mutations.js";
import { inProject, npmInstall, VITEST_SKIPPED_OR_FAILED } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { servicesAvailable } from "../helpers/services.js";

// The mutation check runs the generated tests once per mutation (26 of them): on a loaded 2-core machine that alone
// took over 10 minutes.
const E2E_TIMEOUT_MS = 1_500_000;
const TIMED_RUNS = 5;
const MEDIAN_INDEX = Math.floor(TIMED_RUNS / 2);

const available = await servicesAvailable("schema-repository e2e");

const GENERATE_USERS = ["generate", "schema", "users", "--columns", "email:text:notNull,name:text:notNull", "--unique", "email", "--timestamps", "--no-migrate"];
const GENERATE_POSTS = [
  "generate",
  "schema",
  "posts",
  "--columns",
  // views: a bigint, which must stay a BigInt end to end.
  "authorId:integer:notNull:references=users.id,title:varchar(255):notNull,views:bigint:notNull,status:text:notNull:default=draft",
  "--index",
  "status,createdAt",
  "--partial-index",
  "createdAt where deletedAt is null",
  "--timestamps",
  "--soft-delete",
  "--no-migrate",
];
// Comments have their own author: a user who commented on someone else's post (the case a --with-only delete misses).
const GENERATE_COMMENTS = [
  "generate",
  "schema",
  "comments",
  "--columns",
  "postId:integer:notNull:references=posts.id,authorId:integer:notNull:references=users.id,body:text:notNull,tags:text[]",
  "--gin",
  "tags",
  "--no-migrate",
];
// A high-volume table keyed by int8 (BigInt ids), and a child whose foreign key is bigint too.
const GENERATE_PAGE_VIEWS = ["generate", "schema", "pageViews", "--key", "bigint", "--columns", "userId:integer:notNull:references=users.id,path:text:notNull", "--no-migrate"];
const GENERATE_VIEW_TAGS = ["generate", "schema", "viewTags", "--columns", "pageViewId:bigint:notNull:references=pageViews.id,label:text:notNull", "--no-migrate"];
const GENERATE_REPOSITORY = ["generate", "repository", "users", "--with", "posts.comments"];
// What the tool suggests next, a second eager tree, and a cache over the users repository (the mutation check needs them).
const MORE_GENERATORS = [
  ["generate", "repository", "comments", "--no-install"],
  ["generate", "repository", "posts", "--with", "comments", "--no-install"],
  ["generate", "cache", "user-profile", "--repository", "user", "--no-install"],
  // BigInt ids end to end: the repository's range check, cursors and loader keys, and a cache keyed by them (it compiles).
  ["generate", "repository", "pageViews", "--with", "viewTags", "--no-install"],
  ["generate", "cache", "page-view-card", "--repository", "pageView", "--no-install"],
];
const MUTATION_TIMEOUT_MS = 120_000;

// Foreign keys whose first column leads no index (from the phase-1 notes): must be empty.
const UNINDEXED_FKS = `
  select c.conrelid::regclass::text as table_name, a.attname as column_name
  from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
  where c.contype = 'f'
    and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])`;

/** The plan summary from `--json` output, or from the human "Plan: …" line. */
function planSummary(stdout: string): Record<string, number> {
  if (stdout.trimStart().startsWith("{")) return (JSON.parse(stdout) as { summary: Record<string, number> }).summary;
  const match = /(\d+) to create, (\d+) to update, (\d+) unchanged, (\d+) conflict/.exec(stdout);
  return match ? { create: Number(match[1]), update: Number(match[2]), unchanged: Number(match[3]), conflict: Number(match[4]) } : {};
}

describe.skipIf(!available)("e2e: schema + repository generators on a real project and database", () => {
  const scaffolded = useScaffoldedProject("schema");

  it(
    "generates indexed tables and an N+1-free repository that typecheck, lint, migrate and pass their tests",
    async () => {
      const { project, env } = scaffolded.current();
      await scaffolded.scaffold();
      for (const args of [GENERATE_USERS, GENERATE_POSTS, GENERATE_COMMENTS, GENERATE_PAGE_VIEWS, GENERATE_VIEW_TAGS]) {
        const run = await runCli(args, { cwd: project });
        expect(run.exitCode, `${args.join(" ")}\n${run.stdout}\n${run.stderr}`).toBe(0);
      }

      // The repository adds dataloader; its install task is the project's one install.
      const repository = await runCli(GENERATE_REPOSITORY, { cwd: project });
      expect(repository.exitCode, `${repository.stdout}\n${repository.stderr}`).toBe(0);
      expect(repository.stdout).toContain("CREATE    src/repositories/users-repository.ts");
      for (const args of MORE_GENERATORS) {
        const run = await runCli(args, { cwd: project });
        expect(run.exitCode, `${args.join(" ")}\n${run.stdout}\n${run.stderr}`).toBe(0);
      }
      await npmInstall(project);

      // The same commands again: nothing to create, update or resolve (posts.ts was edited by the comments run since).
      for (const args of [GENERATE_POSTS, GENERATE_REPOSITORY]) {
        const again = await runCli([...args, "--json"], { cwd: project });
        expect(again.exitCode, again.stderr).toBe(0);
        expect(planSummary(again.stdout), `${args.join(" ")}\n${again.stdout}`).toMatchObject({ create: 0, update: 0, conflict: 0 });
      }

      // One `generate repository` run: read the schema, render, plan (nothing left to write), timed on the built CLI.
      const timings: number[] = [];
      for (let run = 0; run < TIMED_RUNS; run += 1) {
        const started = performance.now();
        const result = await runCli(GENERATE_REPOSITORY, { cwd: project });
        timings.push(performance.now() - started);
        expect(result.exitCode, result.stderr).toBe(0);
      }
      const median = [...timings].sort((a, b) => a - b)[MEDIAN_INDEX] ?? 0;
      console.info(`generate repository: median ${median.toFixed(0)} ms of ${String(TIMED_RUNS)} runs (${timings.map((t) => t.toFixed(0)).join(", ")} ms)`);

      // --add-columns edits the existing comments table through the AST; it all compiles, lints and migrates.
      const addColumns = await runCli(
        ["generate", "schema", "comments", "--add-columns", "edited:boolean:notNull:default=false,score:integer", "--no-migrate"],
        { cwd: project },
      );
      expect(addColumns.exitCode, `${addColumns.stdout}\n${addColumns.stderr}`).toBe(0);
      expect(addColumns.stdout).toContain("UPDATE    src/db/schema/comments.ts");
      // A self-reference and two keys to one table compile, lint and migrate too (relationName on both sides).
      for (const args of [
        ["generate", "schema", "categories", "--columns", "name:text:notNull,parentId:integer:references=categories.id", "--no-migrate"],
        ["generate", "schema", "reviews", "--columns", "authorId:integer:notNull:references=users.id,reviewerId:integer:notNull:references=users.id", "--no-migrate"],
      ]) {
        const run = await runCli(args, { cwd: project });
        expect(run.exitCode, `${args.join(" ")}\n${run.stdout}\n${run.stderr}`).toBe(0);
      }

      // A new key to comments, whose repository predates it (its delete expects no referencing rows): the run stops
      // before writing and names the repository; with onDelete=cascade the database removes them and it proceeds,
      // and the comments repository generated again deletes through a flag row in its test.
      const flags = (onDelete: string): string[] => ["generate", "schema", "commentFlags", "--columns", `commentId:integer:notNull:references=comments.id${onDelete},reason:text:notNull`, "--no-migrate"];
      const stale = await runCli(flags(""), { cwd: project });
      expect(stale.exitCode, `${stale.stdout}\n${stale.stderr}`).toBe(2);
      expect(`${stale.stdout}\n${stale.stderr}`).toContain("src/repositories/comments-repository.ts (commentFlags.commentId -> comments)");
      for (const args of [flags(":onDelete=cascade"), ["generate", "repository", "comments", "--no-install"]]) {
        const run = await runCli(args, { cwd: project });
        expect(run.exitCode, `${args.join(" ")}\n${run.stdout}\n${run.stderr}`).toBe(0);
      }

      await inProject(project, "npx", ["tsc", "--noEmit"]);
      const lint = await inProject(project, "npm", ["run", "lint"]);
      expect(lint.all).not.toMatch(/\d+ problems?/);

      const generated = await inProject(project, "npm", ["run", "db:generate"], env);
      expect(generated.all).toContain("Your SQL migration file");
      await inProject(project, "npm", ["run", "db:migrate"], env);

      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const indexes = await client.query<{ indexname: string; indexdef: string }>(
          "select indexname, indexdef from pg_indexes where schemaname = 'public' order by tablename, indexname",
        );
        console.info(`indexes created:\n${indexes.rows.map((row) => `  ${row.indexdef}`).join("\n")}`);
        const names = indexes.rows.map((row) => row.indexname);
        for (const expected of ["posts_author_id_idx", "comments_post_id_idx", "comments_author_id_idx", "categories_parent_id_idx", "reviews_reviewer_id_idx", "users_email_unique_idx", "posts_status_created_at_idx", "posts_created_at_partial_idx", "comments_tags_gin_idx", "view_tags_page_view_id_idx"]) {
          expect(names).toContain(expected);
        }
        expect((await client.query(UNINDEXED_FKS)).rows).toEqual([]);
        // --key bigint is int8 in the database, and so is the foreign key to it.
        const keyTypes = await client.query<{ column_name: string; data_type: string }>(
          "select table_name || '.' || column_name as column_name, data_type from information_schema.columns where (table_name, column_name) in (('page_views', 'id'), ('view_tags', 'page_view_id')) order by 1",
        );
        expect(keyTypes.rows).toEqual([
          { column_name: "page_views.id", data_type: "bigint" },
          { column_name: "view_tags.page_view_id", data_type: "bigint" },
        ]);
      } finally {
        await client.end();
      }

      const tests = await inProject(project, "npm", ["test"], env);
      expect(tests.all).toMatch(/Tests\s+\d+ passed/);
      expect(tests.all).not.toMatch(VITEST_SKIPPED_OR_FAILED);

      // Mutation check: each known breaking edit must make the generated tests fail.
      const survivors: string[] = [];
      for (const mutation of MUTATIONS) {
        const file = path.join(project, mutation.file);
        const original = await readFile(file, "utf8");
        expect(original, `${mutation.name}: the text to break is not in ${mutation.file}`).toContain(mutation.find);
        await writeFile(file, original.replaceAll(mutation.find, mutation.replace));
        try {
          const run = await execa("npx", ["vitest", "run", ...mutation.tests], {
            cwd: project,
            env: { ...env, FORCE_COLOR: "0", CI: "true" },
            reject: false,
            all: true,
            timeout: MUTATION_TIMEOUT_MS,
          });
          if (run.exitCode === 0) survivors.push(mutation.name);
          console.info(`mutation ${run.exitCode === 0 ? "SURVIVED" : "killed"}: ${mutation.name} (${mutation.tests.join(", ")})`);
        } finally {
          await writeFile(file, original);
        }
      }
      console.info(`mutation check: killed ${String(MUTATIONS.length - survivors.length)}/${String(MUTATIONS.length)}`);
      expect(survivors).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );
});
