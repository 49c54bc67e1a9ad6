import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../core/host.js";
import { Tree } from "../core/tree.js";
import type { DrizzleSchemaModel, SchemaTable } from "./model.js";
import { readDrizzleSchema } from "./read-model.js";

const repo = (files: Record<string, string>): Tree => new Tree(createMemoryHost(files));

function table(model: DrizzleSchemaModel, name: string): SchemaTable {
  const found = model.tables.get(name);
  if (!found) throw new Error(`no table ${name} in ${[...model.tables.keys()].join(", ")}`);
  return found;
}

const diagnostics = (model: DrizzleSchemaModel): string[] =>
  model.diagnostics.map((entry) => `${entry.file}:${entry.line} ${entry.code}`);

describe("readDrizzleSchema on virtual repos", () => {
  it("reads staged files, skips tests, and parses nothing outside the schema and what it imports", async () => {
    const tree = repo({
      "drizzle.config.ts": `export default { dialect: "postgresql", schema: ["./src/db/schema", "./src/extra.ts"] };`,
      "src/db/schema/users.ts": `import { pgTable, serial } from "drizzle-orm/pg-core";\nexport const users = pgTable("users", { id: serial().primaryKey() });\n`,
      "src/db/schema/users.test.ts": `import { pgTable, serial } from "drizzle-orm/pg-core";\nexport const fake = pgTable("fake", { id: serial() });\n`,
      "src/extra.ts": `import { pgTable, text } from "drizzle-orm/pg-core";\nexport const notes = pgTable("notes", { body: text() });\n`,
      "src/routes/huge.ts": `export const routes = ${JSON.stringify(Array.from({ length: 100 }, (_, index) => `r${index}`))};\n`,
    });
    tree.write(
      "src/db/schema/posts.ts",
      `import { pgTable, serial } from "drizzle-orm/pg-core";\nexport const posts = pgTable("posts", { id: serial().primaryKey() });\n`,
    );
    const model = await readDrizzleSchema(tree);
    expect([...model.tables.keys()].sort()).toEqual(["notes", "posts", "users"]);
    expect(model.parsedFiles).not.toContain("src/routes/huge.ts");
    expect(model.parsedFiles).not.toContain("src/db/schema/users.test.ts");
  });

  it("finds tables by what they are: aliased and namespace imports, a creator from another file, a wrapper; never by name", async () => {
    const model = await readDrizzleSchema(
      repo({
        "drizzle.config.ts": `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "postgresql", schema: "./db/*.ts" });`,
        "db/factory.ts": `import { pgTableCreator } from "drizzle-orm/pg-core";\nconst PREFIX = "shop";\nexport const table = pgTableCreator((name) => PREFIX + "_" + name);\n`,
        "db/a.ts": [
          `import * as p from "drizzle-orm/pg-core";`,
          `import { pgTable as defineTable, integer as int } from "drizzle-orm/pg-core";`,
          `import { table } from "./factory";`,
          `export const Items = p.pgTable("items", { id: p.serial("id").primaryKey() });`,
          `export const carts = defineTable("carts", { id: int().primaryKey() });`,
          `export const orders = table("orders", (d) => ({ id: d.uuid().primaryKey().defaultRandom() }));`,
          `function withId(name: string) { return defineTable(name, { id: int("id").primaryKey() }); }`,
          `export const tags = withId("tags");`,
          `export const pgTableLike = notATable("x", { id: int() });`,
          `declare function notATable(...args: unknown[]): unknown;`,
        ].join("\n"),
      }),
    );
    expect([...model.tables.values()].map((t) => `${t.tableVar}=${t.sqlName} ${t.via}`)).toEqual([
      "Items=items pgTable",
      "carts=carts pgTable",
      "orders=shop_orders pgTableCreator",
      "tags=tags wrapper",
    ]);
    expect(table(model, "orders").primaryKey).toMatchObject({ tsType: "string" });
    expect(model.parsedFiles).toContain("db/factory.ts");
  });

  it("reads a row-level-security table: pgTable(...).enableRLS()", async () => {
    const model = await readDrizzleSchema(
      repo({
        "drizzle.config.ts": `export default { dialect: "postgresql", schema: "./schema.ts" };`,
        "schema.ts": [
          `import { integer, pgTable, text } from "drizzle-orm/pg-core";`,
          `export const secrets = pgTable("secrets", { id: integer().primaryKey(), body: text() });`,
          `export const notes = pgTable("notes", { id: integer().primaryKey() }).enableRLS();`,
        ].join("\n"),
      }),
    );
    expect([...model.tables.values()].map((t) => `${t.tableVar}:${t.columns.length}`)).toEqual([
      "secrets:2",
      "notes:1",
    ]);
  });

  it("reports what cannot be read statically with file and line, and keeps going", async () => {
    const model = await readDrizzleSchema(
      repo({
        "drizzle.config.ts": `export default { dialect: "postgresql", schema: "./schema.ts" };`,
        "schema.ts": [
          `import { integer, pgTable, pgTableCreator, text } from "drizzle-orm/pg-core";`, // 1
          `import { PREFIX, makeColumns } from "@acme/db-utils";`, // 2
          `const prefixed = pgTableCreator((name) => \`\${PREFIX}_\${name}\`);`, // 3
          `export const a = prefixed("a", { id: integer().primaryKey() });`, // 4
          `export const b = pgTable("b", {`, // 5
          `  id: integer(process.env.ID_COLUMN!),`, // 6
          `  ...makeColumns(),`, // 7
          `  other: someHelper,`, // 8
          `  ownerId: integer("owner_id").references(() => elsewhere.id),`, // 9
          `  title: text("title").notNull(),`, // 10
          `});`, // 11
          `declare const someHelper: unknown; declare const elsewhere: { id: unknown };`, // 12
        ].join("\n"),
      }),
    );
    expect(table(model, "a")).toMatchObject({ sqlName: "a", declaredName: "a" });
    expect(table(model, "b").columns.map((column) => column.name)).toEqual(["id", "ownerId", "title"]);
    expect(diagnostics(model)).toEqual([
      "schema.ts:4 table-name-not-readable",
      "schema.ts:6 column-not-readable",
      "schema.ts:7 spread-not-readable",
      "schema.ts:8 column-not-readable",
      "schema.ts:9 reference-not-readable",
    ]);
    expect(model.diagnostics[4]?.message).toContain("elsewhere");
  });

  it("follows tsconfig paths aliases (extends included) in imports and re-exports", async () => {
    const model = await readDrizzleSchema(
      repo({
        "tsconfig.base.json": `{ "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["./src/*"] } } }`,
        "tsconfig.json": `{ // comments are fine\n "extends": "./tsconfig.base.json" }`,
        "drizzle.config.ts": `export default { dialect: "postgresql", schema: "./src/db/index.ts" };`,
        "src/db/index.ts": `export * from "~/db/users";\nexport * from "./posts";\n`,
        "src/db/users.ts": `import { pgTable, serial } from "drizzle-orm/pg-core";\nexport const users = pgTable("users", { id: serial().primaryKey() });\n`,
        "src/db/posts.ts": `import { integer, pgTable } from "drizzle-orm/pg-core";\nimport { users } from "~/db/users";\nexport const posts = pgTable("posts", { authorId: integer().references(() => users.id) });\n`,
      }),
    );
    expect([...model.tables.keys()].sort()).toEqual(["posts", "users"]);
    expect(table(model, "posts").columns[0]?.references).toMatchObject({ table: "users", column: "id" });
    expect(model.diagnostics).toEqual([]);
  });

  it("reports re-exports it does not follow (path aliases, packages)", async () => {
    const model = await readDrizzleSchema(
      repo({
        "drizzle.config.ts": `export default { dialect: "postgresql", schema: "./src/db/index.ts" };`,
        "src/db/index.ts": `export * from "~/db/users";\nexport * from "./missing";\nexport * from "./posts";\n`,
        "src/db/posts.ts": `import { pgTable, serial } from "drizzle-orm/pg-core";\nexport const posts = pgTable("posts", { id: serial().primaryKey() });\n`,
      }),
    );
    expect([...model.tables.keys()]).toEqual(["posts"]);
    expect(model.diagnostics.map((entry) => `${entry.file}:${entry.line} ${entry.message}`)).toEqual([
      'src/db/index.ts:1 re-export from "~/db/users" is not followed (only files of the repo are)',
      'src/db/index.ts:2 cannot resolve re-export "./missing"',
    ]);
  });

  it("finds the schema through drizzle({ client, schema: { ...tables, ...relations } }) when there is no config", async () => {
    const model = await readDrizzleSchema(
      repo({
        "src/server/db.ts": [
          `import { drizzle } from "drizzle-orm/node-postgres";`,
          `import * as tables from "./tables";`,
          `import * as relations from "./relations";`,
          `export const db = drizzle({ client: pool, schema: { ...tables, ...relations }, casing: "snake_case" });`,
          `declare const pool: never;`,
        ].join("\n"),
        "src/server/tables.ts": `import { integer, pgTable } from "drizzle-orm/pg-core";\nexport const users = pgTable("users", { id: integer().primaryKey(), teamId: integer() });\nexport const teams = pgTable("teams", { id: integer().primaryKey() });\n`,
        "src/server/relations.ts": [
          `import { relations } from "drizzle-orm";`,
          `import { teams as t, users } from "./tables";`,
          `export const usersRelations = relations(users, ({ one: hasOne }) => ({ team: hasOne(t, { fields: [users.teamId], references: [t.id] }) }));`,
          `export const teamsRelations = relations(t, (helpers) => ({ members: helpers.many(users) }));`,
        ].join("\n"),
      }),
    );
    expect(model.client).toMatchObject({ file: "src/server/db.ts", exportName: "db", hasSchema: true });
    expect(model.casing).toBe("snake_case");
    expect(model.schemaFiles.sort()).toEqual(["src/server/relations.ts", "src/server/tables.ts"]);
    expect(table(model, "users").columns.map((column) => column.sqlName)).toEqual(["id", "team_id"]);
    expect(table(model, "users").relations).toMatchObject([
      { name: "team", kind: "one", target: "teams", fields: ["teamId"], references: ["id"] },
    ]);
    expect(table(model, "teams").relations).toMatchObject([{ name: "members", kind: "many", target: "users" }]);
  });

  it("reads relations() that only the client's { schema } imports (the config names the tables alone)", async () => {
    const model = await readDrizzleSchema(
      repo({
        "drizzle.config.ts": `export default { dialect: "postgresql", schema: "./src/db/tables.ts" };`,
        "src/db/tables.ts": `import { integer, pgTable, serial } from "drizzle-orm/pg-core";\nexport const users = pgTable("users", { id: serial().primaryKey() });\nexport const posts = pgTable("posts", { id: serial().primaryKey(), authorId: integer().references(() => users.id) });\n`,
        "src/db/relations.ts": `import { relations } from "drizzle-orm";\nimport { posts, users } from "./tables";\nexport const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));\n`,
        "src/db/index.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nimport * as relations from "./relations";\nimport * as tables from "./tables";\nexport const db = drizzle(process.env.DATABASE_URL!, { schema: { ...tables, ...relations } });\n`,
      }),
    );
    expect(model.schemaFiles.sort()).toEqual(["src/db/relations.ts", "src/db/tables.ts"]);
    expect(table(model, "users").relations).toMatchObject([{ name: "posts", kind: "many", target: "posts" }]);
  });

  it("inlines column helpers and const columns, reads InferSelectModel aliases and camelCase casing", async () => {
    const model = await readDrizzleSchema(
      repo({
        "drizzle.config.ts": `module.exports = { dialect: "postgresql", schema: "./schema.ts", casing: "camelCase" };`,
        "schema.ts": [
          `import type { InferSelectModel } from "drizzle-orm";`,
          `import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";`,
          `const id = () => integer().primaryKey().generatedAlwaysAsIdentity();`,
          `const created_at = timestamp({ mode: "string" }).defaultNow();`,
          `export const events = pgTable("events", { id: id(), created_at, kind: text({ enum: ["a", "b"] }).notNull() });`,
          `export type Event = InferSelectModel<typeof events>;`,
        ].join("\n"),
      }),
    );
    const events = table(model, "events");
    expect(events.selectType).toBe("Event");
    expect(events.columns.map((column) => `${column.name}:${column.sqlName}:${column.tsType}`)).toEqual([
      "id:id:number",
      "created_at:createdAt:string",
      'kind:kind:"a" | "b"',
    ]);
    expect(events.columns[0]).toMatchObject({ identity: true, primaryKey: true, hasDefault: true });
  });
});
