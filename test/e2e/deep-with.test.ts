import { relations } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_LAYOUT } from "../../generators/app/layout.js";
import { POSTGRES_IDENTIFIER_MAX_BYTES } from "../../generators/repository/relation-paths.js";
import { runGenerator } from "../../generators/testing.js";
import { serializeManifest } from "../../src/core/manifest.js";
import { runCli } from "../helpers/cli.js";
import { linkSharedDependencies } from "../helpers/linked-dependencies.js";
import { inProject, VITEST_SKIPPED_OR_FAILED } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { createThrowawayDatabase, servicesAvailable } from "../helpers/services.js";
import type { ThrowawayDatabase } from "../helpers/services.js";

const available = await servicesAvailable("deep --with aliases");

// The table `generate schema categories --columns name:text:notNull,parentId:integer:references=categories.id` writes:
// Drizzle names the lateral subquery of `children.children` "categories_children_children" (9 bytes a level).
const categories = pgTable("categories", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull(),
  parentId: integer("parent_id").references((): AnyPgColumn => categories.id),
});
const categoriesRelations = relations(categories, ({ many, one }) => ({
  parent: one(categories, {
    fields: [categories.parentId],
    references: [categories.id],
    relationName: "categories_parent",
  }),
  children: many(categories, { relationName: "categories_parent" }),
}));
const CATEGORIES_COLUMNS = "name:text:notNull,parentId:integer:references=categories.id";
/** "categories" + 5 x "_children" = 55 bytes; a sixth level is 64. */
const DEEPEST_ACCEPTED = 5;
/** npm install, migrations and the generated tests on a shared 2-core machine. */
const GENERATED_PROJECT_TIMEOUT_MS = 600_000;
/** SQLSTATE 42712, duplicate_alias. */
const DUPLICATE_ALIAS = "42712";
/** Rows in one chain, each the child of the one before: deeper than any query below. */
const CHAIN_LENGTH = 9;

const childrenPath = (depth: number): string => Array.from({ length: depth }, () => "children").join(".");

type WithTree = { children: true | { with: WithTree } };
const nestedWith = (depth: number): WithTree => ({ children: depth === 1 ? true : { with: nestedWith(depth - 1) } });

interface Node {
  name: string;
  children?: Node[];
}

/** The names down the chain, following the first child at every level. */
function chainNames(node: Node | undefined): string[] {
  const names: string[] = [];
  for (let current = node; current; current = current.children?.[0]) names.push(current.name);
  return names;
}

async function schemaProject(): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    "src/db/schema/index.ts": "export {};\n",
    "package.json": '{\n  "dependencies": {}\n}\n',
    "perf-backend.json": serializeManifest({ version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: {} }),
  };
  return (await runGenerator("schema", { name: "categories", columns: CATEGORIES_COLUMNS, migrate: false }, files))
    .files;
}

describe("generate repository --with: the SQL aliases of nested relations stay within PostgreSQL's identifier limit", () => {
  it("accepts the deepest path whose alias fits and refuses the next level, naming the path and the limit", async () => {
    const files = await schemaProject();
    const accepted = await runGenerator(
      "repository",
      { name: "categories", with: childrenPath(DEEPEST_ACCEPTED) },
      files,
    );
    // One aliased read of categories per level of the path.
    expect(accepted.files["src/repositories/categories-repository.ts"]?.match(/= alias\(categories, "/g)).toHaveLength(
      DEEPEST_ACCEPTED,
    );
    const tooDeep = childrenPath(DEEPEST_ACCEPTED + 1);
    await expect(runGenerator("repository", { name: "categories", with: tooDeep }, files)).rejects.toThrow(
      `--with ${tooDeep}: at ${tooDeep} SQL alias "categories_${tooDeep.replaceAll(".", "_")}" is 64 bytes; PostgreSQL cuts identifiers at ${String(POSTGRES_IDENTIFIER_MAX_BYTES)} bytes`,
    );
  });

  describe.skipIf(!available)("against PostgreSQL", () => {
    let database: ThrowawayDatabase | undefined;
    let pool: pg.Pool | undefined;
    const notices: string[] = [];
    const db = () => drizzle(pool as pg.Pool, { schema: { categories, categoriesRelations } });

    beforeAll(async () => {
      database = await createThrowawayDatabase("deepwith");
      pool = new pg.Pool({ connectionString: database.url, max: 1 });
      pool.on("connect", (client) => client.on("notice", (notice) => notices.push(notice.message ?? "")));
      await pool.query(
        "create table categories (id integer primary key generated always as identity, name text not null, parent_id integer references categories (id))",
      );
      let parentId: number | null = null;
      for (let level = 0; level < CHAIN_LENGTH; level += 1) {
        const inserted: { rows: Array<{ id: number }> } = await pool.query(
          "insert into categories (name, parent_id) values ($1, $2) returning id",
          [`level-${String(level)}`, parentId],
        );
        parentId = inserted.rows[0]?.id ?? null;
      }
    });
    afterAll(async () => {
      await pool?.end();
      await database?.drop();
    });

    it("the deepest accepted path reads the whole chain without PostgreSQL cutting an alias", async () => {
      notices.length = 0;
      const root = await db().query.categories.findFirst({
        where: (row, { isNull }) => isNull(row.parentId),
        with: nestedWith(DEEPEST_ACCEPTED),
      });
      expect(chainNames(root as Node | undefined)).toEqual(
        Array.from({ length: DEEPEST_ACCEPTED + 1 }, (_, level) => `level-${String(level)}`),
      );
      expect(notices.filter((message) => message.includes("truncated"))).toEqual([]);
    });

    it("one level deeper is where PostgreSQL starts cutting aliases, and the level after collides", async () => {
      notices.length = 0;
      await db().query.categories.findFirst({
        where: (row, { isNull }) => isNull(row.parentId),
        with: nestedWith(DEEPEST_ACCEPTED + 1),
      });
      expect(notices.some((message) => message.includes("will be truncated"))).toBe(true);
      // Two levels deeper, a level's cut alias is its parent's: "table name ... specified more than once".
      const failure: unknown = await db()
        .query.categories.findFirst({
          where: (row, { isNull }) => isNull(row.parentId),
          with: nestedWith(DEEPEST_ACCEPTED + 2),
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect((failure as { cause?: { code?: string } } | undefined)?.cause?.code).toBe(DUPLICATE_ALIAS);
    });
  });

  describe.skipIf(!available)("in a generated project", () => {
    const scaffolded = useScaffoldedProject("deep-with");

    it(
      "the repository at the deepest accepted path typechecks, migrates and passes its generated tests against PostgreSQL",
      async () => {
        const { project, env } = await scaffolded.scaffold([
          ["generate", "schema", "categories", "--columns", CATEGORIES_COLUMNS, "--no-migrate", "--no-install"],
        ]);
        const tooDeep = await runCli(
          ["generate", "repository", "categories", "--with", childrenPath(DEEPEST_ACCEPTED + 1), "--no-install"],
          { cwd: project },
        );
        expect(tooDeep.exitCode, tooDeep.stderr).toBe(2);
        const repository = await runCli(
          ["generate", "repository", "categories", "--with", childrenPath(DEEPEST_ACCEPTED), "--no-install"],
          { cwd: project },
        );
        expect(repository.exitCode, repository.stderr).toBe(0);
        await linkSharedDependencies(project);
        await inProject(project, "npx", ["tsc", "--noEmit"]);
        await inProject(project, "npm", ["run", "db:generate"], env);
        await inProject(project, "npm", ["run", "db:migrate"], env);
        const tests = await inProject(
          project,
          "npx",
          ["vitest", "run", "src/repositories/categories-repository.test.ts"],
          env,
        );
        expect(tests.all).toMatch(/Tests\s+\d+ passed/);
        expect(tests.all).not.toMatch(VITEST_SKIPPED_OR_FAILED);
      },
      GENERATED_PROJECT_TIMEOUT_MS,
    );
  });
});
