import { cp, writeFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { runMain } from "../helpers/cli.js";
import { fixtureDir } from "../helpers/drizzle-fixtures.js";
import { useInstalledRoot } from "../helpers/installed-root.js";
import { inProject } from "../helpers/project.js";
import { createThrowawayDatabase, redisUrl, servicesAvailable } from "../helpers/services.js";
import { FIXTURE_ROOT_DEPENDENCIES } from "../helpers/shared-dependencies.js";

const available = await servicesAvailable("real-schemas e2e");
const SHAPE_TIMEOUT_MS = 300_000;

const BUNDLER = {
  strict: true,
  module: "ESNext",
  moduleResolution: "Bundler",
  target: "ES2022",
  skipLibCheck: true,
  types: ["node"],
};

interface CorpusCase {
  shape: string;
  /** What the fixture's own tsconfig would say (the corpus shares one at its root). */
  compilerOptions: Record<string, unknown>;
  /** Schema entry drizzle-kit pushes to the throwaway database (flags), or "config": the repo's own drizzle.config (e.g. its schemaFilter). */
  schema: string;
  /** `--casing` for a flag push (the repo's config says it). */
  casing?: "snake_case";
  /** The package the generators run in (a workspace package of a monorepo); the shape's root when absent. */
  packageDir?: string;
  repository: string[];
  cache?: string[];
  /** More generator runs after those (each ends with --no-install), e.g. a repository and cache over another table. */
  more?: string[][];
  /** A run after those that must stop (exit 2) before writing, with this text in its output. */
  refused?: { args: string[]; says: string };
  /** Runs after the refusal. */
  then?: string[][];
  /** A case with more runs than the others takes longer than SHAPE_TIMEOUT_MS on a loaded machine. */
  timeoutMs?: number;
}

// Each: an EXISTING table of the repo, an existing or added relation, then a cache over its repository.
const CASES: CorpusCase[] = [
  {
    shape: "t3-single-file",
    compilerOptions: { ...BUNDLER, paths: { "~/*": ["./src/*"] } },
    schema: "./src/server/db/schema.ts",
    repository: ["posts", "--with", "createdBy"],
    cache: ["post-card", "--repository", "post"],
  },
  {
    shape: "pascal-table-folder",
    compilerOptions: { ...BUNDLER, module: "NodeNext", moduleResolution: "NodeNext" },
    schema: "./src/db/schema",
    repository: ["colleges", "--with", "students"],
    cache: ["college-card", "--repository", "college"],
  },
  {
    shape: "uuid-text-keys",
    compilerOptions: BUNDLER,
    schema: "./src/schema",
    repository: ["tenants", "--with", "apiKeys"],
    cache: ["tenant-card", "--repository", "tenant"],
  },
  {
    shape: "self-reference",
    compilerOptions: BUNDLER,
    schema: "./src/db/schema.ts",
    repository: ["categories", "--with", "children"],
  },
  {
    shape: "multiple-fks",
    compilerOptions: BUNDLER,
    schema: "./db/schema.ts",
    repository: ["users", "--with", "messagesAsSender"],
  },
  {
    shape: "no-relations",
    compilerOptions: BUNDLER,
    schema: "./src/db/schema",
    repository: ["users", "--with", "posts"],
    cache: ["user-card", "--repository", "user"],
  },
  // Pushed through its config: the config's casing names the SQL columns the generated client (same casing) reads.
  // orders: the repo's own int8 key in bigint mode (by-default identity): BigInt ids through a repository and a cache over it.
  {
    shape: "snake-casing",
    compilerOptions: BUNDLER,
    schema: "config",
    repository: ["customers", "--with", "orders"],
    more: [
      ["generate", "repository", "orders", "--with", "customer"],
      ["generate", "cache", "order-card", "--repository", "order"],
    ],
  },
  // Tables in pgSchema("app"/"audit"): drizzle-kit creates those schemas only through the config's schemaFilter (its flag is not read).
  {
    shape: "pg-schema",
    compilerOptions: BUNDLER,
    schema: "config",
    repository: ["auditLog", "--with", "account"],
    cache: ["audit-entry", "--repository", "auditLog"],
  },
  // No drizzle.config: init finds the tables through the client's { schema } import; a composite-key join table under --with.
  {
    shape: "composite-join",
    compilerOptions: BUNDLER,
    schema: "./src/db/schema.ts",
    repository: ["users", "--with", "usersToGroups.group"],
    cache: ["user-card", "--repository", "user"],
  },
  // A pnpm workspace (pnpm is not on this machine: the generators run with --no-install, packages resolve from the
  // suite's shared node_modules above); its db package has its own config (casing) and client.
  {
    shape: "pnpm-monorepo",
    packageDir: "packages/db",
    compilerOptions: BUNDLER,
    schema: "./src/schema.ts",
    casing: "snake_case",
    repository: ["workspaces", "--with", "members"],
    cache: ["workspace-card", "--repository", "workspace"],
  },
  // Test data from the columns' kinds and constraints: decimal(10, 2) with a check, numeric(2, 1) between 1 and 5,
  // short unique varchars, char(2), a pgEnum, arrays, jsonb, bigint modes, string-mode timestamps, time, a
  // unique().on(collegeId, userId) pair under --with and in creates, a NOT NULL key written as foreignKey().
  {
    shape: "numeric-unique",
    compilerOptions: BUNDLER,
    schema: "./src/db/schema.ts",
    repository: ["colleges", "--with", "memberships"],
    cache: ["college-card", "--repository", "college"],
    more: [["generate", "repository", "memberships", "--with", "college"]],
    // A new key to memberships, whose repository expects no refusing rows (invoices cascade in the database): the run
    // stops naming it; with onDelete=cascade it proceeds, and the repository generated again deletes through a grade.
    refused: {
      args: [
        "generate",
        "schema",
        "grades",
        "--columns",
        "membershipId:integer:notNull:references=memberships.id,score:numeric(5,2):notNull",
        "--no-migrate",
      ],
      says: "src/repositories/memberships-repository.ts (grades.membershipId -> memberships)",
    },
    timeoutMs: 2 * SHAPE_TIMEOUT_MS,
    then: [
      [
        "generate",
        "schema",
        "grades",
        "--columns",
        "membershipId:integer:notNull:references=memberships.id:onDelete=cascade,score:numeric(5,2):notNull",
        "--no-migrate",
      ],
      ["generate", "repository", "memberships", "--with", "college"],
    ],
  },
];

async function cli(args: string[], cwd: string): Promise<void> {
  const result = await runMain([...args, "--no-install"], cwd);
  expect(result.exitCode, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(0);
}

describe.skipIf(!available)(
  "e2e: the generators on repos' OWN Drizzle schemas (the corpus), against PostgreSQL and Redis",
  () => {
    const installed = useInstalledRoot("real-schemas", FIXTURE_ROOT_DEPENDENCIES);

    for (const corpusCase of CASES) {
      it(
        `${corpusCase.shape}: init, repository ${corpusCase.repository.join(" ")}${corpusCase.cache ? ", cache" : ""}; its tsc and the generated tests pass; a second run plans nothing`,
        async () => {
          const { dir: root, bin } = installed();
          const shapeDir = path.join(root, corpusCase.shape);
          const cwd = path.join(shapeDir, corpusCase.packageDir ?? "");
          await cp(fixtureDir(corpusCase.shape), shapeDir, { recursive: true });
          // A workspace package keeps the package.json the fixture gives it.
          if (!corpusCase.packageDir)
            await writeFile(
              path.join(cwd, "package.json"),
              JSON.stringify({ name: corpusCase.shape, private: true, type: "module" }),
            );
          await writeFile(
            path.join(cwd, "tsconfig.json"),
            JSON.stringify({ compilerOptions: corpusCase.compilerOptions }),
          );

          // The repo's tsconfig is its own: every run typechecks what it would write before writing it.
          await cli(["init"], cwd);
          await cli(["generate", "repository", ...corpusCase.repository], cwd);
          if (corpusCase.cache) await cli(["generate", "cache", ...corpusCase.cache], cwd);
          for (const args of corpusCase.more ?? []) await cli(args, cwd);
          if (corpusCase.refused) {
            const refused = await runMain([...corpusCase.refused.args, "--no-install"], cwd);
            expect(refused.exitCode, `${refused.stdout}\n${refused.stderr}`).toBe(2);
            expect(`${refused.stdout}\n${refused.stderr}`).toContain(corpusCase.refused.says);
          }
          for (const args of corpusCase.then ?? []) await cli(args, cwd);
          await inProject(cwd, bin("tsc"), ["--noEmit", "-p", "."]);

          const database = await createThrowawayDatabase(corpusCase.shape);
          try {
            const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl() };
            const push =
              corpusCase.schema === "config"
                ? ["--config=drizzle.config.ts"]
                : [
                    "--dialect=postgresql",
                    `--schema=${corpusCase.schema}`,
                    `--url=${database.url}`,
                    ...(corpusCase.casing ? [`--casing=${corpusCase.casing}`] : []),
                  ];
            await inProject(cwd, bin("drizzle-kit"), ["push", ...push, "--force"], env);
            // The repository test counts statements: its eager reads pass only at one statement.
            const tests = await inProject(cwd, bin("vitest"), ["run", "src/repositories", "src/cache"], env);
            // The summary line alone: "Tests  31 passed (31)" (a test's own title may say "failed").
            expect(tests.all).toMatch(/Tests\s+\d+ passed \(\d+\)/);
          } finally {
            await database.drop();
          }

          for (const args of [
            ["generate", "repository", ...corpusCase.repository],
            ...(corpusCase.cache ? [["generate", "cache", ...corpusCase.cache]] : []),
            ...(corpusCase.more ?? []),
            ...(corpusCase.then ?? []),
          ]) {
            const again = await runMain([...args, "--no-install", "--json", "--no-typecheck"], cwd);
            expect(again.exitCode, again.stderr).toBe(0);
            expect((JSON.parse(again.stdout) as { summary: Record<string, number> }).summary).toMatchObject({
              create: 0,
              update: 0,
              conflict: 0,
            });
          }
        },
        corpusCase.timeoutMs ?? SHAPE_TIMEOUT_MS,
      );
    }
  },
);
