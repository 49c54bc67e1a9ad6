import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../core/host.js";
import { Tree } from "../core/tree.js";
import type { DrizzleSchemaModel } from "./model.js";
import { readDrizzleSchema } from "./read-model.js";

// A Drizzle 1.0 repo shaped like public ones: tables in a pgSchema, snake_case casing, relations in their own file
// (not in drizzle.config's schema: found through the client's `relations`), a part spread in, a many-to-many through
// a junction table, an alias pair, and optional/where options.
const V1_REPO = {
  "drizzle.config.ts": `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "postgresql", schema: "./src/db/schema.ts", casing: "snake_case" });\n`,
  "src/db/schema.ts": [
    `import { boolean, integer, pgSchema, primaryKey, text } from "drizzle-orm/pg-core";`,
    `export const app = pgSchema("app");`,
    `export const users = app.table("users", { id: integer().primaryKey(), name: text().notNull(), invitedBy: integer() });`,
    `export const groups = app.table("groups", { id: integer().primaryKey(), name: text().notNull() });`,
    `export const usersToGroups = app.table("users_to_groups", { userId: integer().notNull().references(() => users.id), groupId: integer().notNull().references(() => groups.id) }, (t) => [primaryKey({ columns: [t.userId, t.groupId] })]);`,
    `export const posts = app.table("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), published: boolean().notNull() });`,
    "",
  ].join("\n"),
  "src/db/relations.ts": [
    `import { defineRelations, defineRelationsPart } from "drizzle-orm";`,
    `import * as schema from "./schema";`,
    `const postsPart = { posts: { author: undefined } };`,
    `export const relations = defineRelations(schema, (r) => ({`,
    `  users: {`,
    `    groups: r.many.groups({ from: r.users.id.through(r.usersToGroups.userId), to: r.groups.id.through(r.usersToGroups.groupId) }),`,
    `    posts: r.many.posts(),`,
    `    publishedPosts: r.many.posts({ from: r.users.id, to: r.posts.authorId, where: { published: true }, alias: "published" }),`,
    `    inviter: r.one.users({ from: r.users.invitedBy, to: r.users.id, alias: "invites", optional: true }),`,
    `    invitees: r.many.users({ alias: "invites" }),`,
    `  },`,
    `  posts: {`,
    `    author: r.one.users({ from: r.posts.authorId, to: r.users.id, optional: false }),`,
    `  },`,
    `}));`,
    `export const groupRelations = defineRelationsPart(schema, (r) => ({ groups: { members: r.many.users({ from: r.groups.id.through(r.usersToGroups.groupId), to: r.users.id.through(r.usersToGroups.userId) }) } }));`,
    `void postsPart;`,
    "",
  ].join("\n"),
  "src/db/index.ts": [
    `import { drizzle } from "drizzle-orm/node-postgres";`,
    `import { groupRelations, relations } from "./relations";`,
    `export const db = drizzle({ connection: process.env.DATABASE_URL ?? "", relations: { ...relations, ...groupRelations }, casing: "snake_case" });`,
    "",
  ].join("\n"),
};

const summary = (model: DrizzleSchemaModel, name: string): string[] =>
  (model.tables.get(name)?.relations ?? []).map(
    (relation) =>
      `${relation.name}:${relation.kind}(${relation.target}) ${relation.fields.join(",")}->${relation.references.join(",")}${relation.relationName ? ` as ${relation.relationName}` : ""}${relation.through ? ` through ${relation.through.table}(${relation.through.fields.join(",")}->${relation.through.references.join(",")})` : ""}${relation.where ? ` where ${relation.where}` : ""}${relation.optional === undefined ? "" : ` optional=${String(relation.optional)}`}`,
  );

describe("defineRelations (Drizzle 1.0) in the schema model", () => {
  it("reads relations in their own file through the client's relations: through, alias, optional/where, a spread part", async () => {
    const model = await readDrizzleSchema(new Tree(createMemoryHost(V1_REPO)));
    expect(model.client).toMatchObject({ file: "src/db/index.ts", hasSchema: true });
    expect(model.defineRelations).toEqual({ file: "src/db/relations.ts", line: 4 });
    expect(model.casing).toBe("snake_case");
    expect(model.tables.get("users")?.pgSchema).toBe("app");
    expect(summary(model, "users")).toEqual([
      "groups:many(groups) id->id through usersToGroups(userId->groupId)",
      "posts:many(posts) ->",
      "publishedPosts:many(posts) id->authorId as published where { published: true }",
      "inviter:one(users) invitedBy->id as invites optional=true",
      "invitees:many(users) -> as invites",
    ]);
    expect(summary(model, "posts")).toEqual(["author:one(users) authorId->id optional=false"]);
    expect(summary(model, "groups")).toEqual(["members:many(users) id->id through usersToGroups(groupId->userId)"]);
    expect(model.diagnostics).toEqual([]);
    // The client can import what it passes as relations: the defineRelations export and the part.
    expect(model.relationsExports).toEqual([
      { file: "src/db/relations.ts", name: "relations", part: false },
      { file: "src/db/relations.ts", name: "groupRelations", part: true },
    ]);
    expect(model.legacyRelations).toBeNull();
  });

  it("reports what it cannot read (a destructured callback, an entry for no table) instead of guessing", async () => {
    const model = await readDrizzleSchema(
      new Tree(
        createMemoryHost({
          ...V1_REPO,
          "src/db/relations.ts": [
            `import { defineRelations } from "drizzle-orm";`,
            `import * as schema from "./schema";`,
            `export const relations = defineRelations(schema, (r) => ({ ghosts: { owner: r.one.users({ from: r.ghosts.userId, to: r.users.id }) } }));`,
            `export const other = defineRelations(schema, ({ one }) => ({ posts: { author: one.users() } }));`,
            "",
          ].join("\n"),
          "src/db/index.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nimport { other, relations } from "./relations";\nexport const db = drizzle({ connection: "", relations: { ...relations, ...other } });\n`,
        }),
      ),
    );
    expect(model.diagnostics.map((entry) => `${entry.file}:${String(entry.line)} ${entry.code}`)).toEqual([
      "src/db/relations.ts:4 relations-not-readable",
      "src/db/relations.ts:3 relations-not-readable",
    ]);
  });

  it("says when `optional` is not a literal instead of dropping it, and finds a v0 relations() beside defineRelations", async () => {
    const model = await readDrizzleSchema(
      new Tree(
        createMemoryHost({
          ...V1_REPO,
          "src/db/relations.ts": [
            `import { defineRelations } from "drizzle-orm";`,
            `import * as schema from "./schema";`,
            `const required = false;`,
            `export const relations = defineRelations(schema, (r) => ({ posts: { author: r.one.users({ from: r.posts.authorId, to: r.users.id, optional: required }) } }));`,
            "",
          ].join("\n"),
          "src/db/schema.ts": `${V1_REPO["src/db/schema.ts"]}import { relations } from "drizzle-orm";\nexport const postsLegacy = relations(posts, ({ one }) => ({ writer: one(users, { fields: [posts.authorId], references: [users.id] }) }));\n`,
          "src/db/index.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nimport { relations } from "./relations";\nexport const db = drizzle({ connection: "", relations });\n`,
        }),
      ),
    );
    expect(model.diagnostics.map((entry) => `${String(entry.line)} ${entry.message}`)).toContainEqual(
      "4 optional of posts.author is not true or false: the model takes the default",
    );
    expect(model.legacyRelations).toEqual({ file: "src/db/schema.ts", line: 8 });
  });

  it("reads drizzle-orm 1.0's casing helpers: snakeCase.schema(...).table and snakeCase.table name unnamed columns", async () => {
    const model = await readDrizzleSchema(
      new Tree(
        createMemoryHost({
          "drizzle.config.ts": `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "postgresql", schema: "./src/db/schema.ts" });\n`,
          "src/db/schema.ts": [
            `import { camelCase, integer, pgTable, snakeCase, text } from "drizzle-orm/pg-core";`,
            `export const guild = snakeCase.schema("guild");`,
            `export const members = guild.table("members", { id: integer().primaryKey(), displayName: text() });`,
            `export const teams = snakeCase.table("teams", { id: integer().primaryKey(), teamName: text() });`,
            `export const plain = pgTable("plain", { id: integer().primaryKey(), someName: text() });`,
            `export const camel = camelCase.table("camel", { id: integer().primaryKey(), some_name: text() });`,
            "",
          ].join("\n"),
        }),
      ),
    );
    const sqlNames = (table: string): string[] =>
      (model.tables.get(table)?.columns ?? []).map((column) => column.sqlName);
    expect(model.tables.get("members")?.pgSchema).toBe("guild");
    expect(sqlNames("members")).toEqual(["id", "display_name"]);
    expect(sqlNames("teams")).toEqual(["id", "team_name"]);
    expect(sqlNames("plain")).toEqual(["id", "someName"]);
    expect(sqlNames("camel")).toEqual(["id", "someName"]);
    expect(model.diagnostics).toEqual([]);
  });
});
