import { describe, expect, it } from "vitest";

import { fixtureOptions, fixtureTree, V2_SHAPE } from "../../test/helpers/drizzle-fixtures.js";
import { inboundReferences, proposeRelations } from "./foreign-keys.js";
import type { DrizzleSchemaModel, SchemaTable } from "./model.js";
import { findTable } from "./naming.js";
import { readDrizzleSchema } from "./read-model.js";

const read = (shape: string): Promise<DrizzleSchemaModel> => readDrizzleSchema(fixtureTree(shape));

function table(model: DrizzleSchemaModel, name: string): SchemaTable {
  const found = model.tables.get(name);
  if (!found) throw new Error(`no table ${name} in ${[...model.tables.keys()].join(", ")}`);
  return found;
}

const sqlNames = (t: SchemaTable): Record<string, string> =>
  Object.fromEntries(t.columns.map((column) => [column.name, column.sqlName]));
const relationSummary = (t: SchemaTable): string[] | null =>
  t.relations?.map(
    (relation) =>
      `${relation.name}:${relation.kind}(${relation.target})${relation.fields.length ? ` ${relation.fields.join(",")}->${relation.references.join(",")}` : ""}${relation.relationName ? ` as ${relation.relationName}` : ""}`,
  ) ?? null;
const inbound = (model: DrizzleSchemaModel, name: string): string[] =>
  inboundReferences(model, name).map(
    (key) => `${key.table}.${key.columns.join(",")}${key.onDelete ? ` ${key.onDelete}` : ""}`,
  );
const proposals = (model: DrizzleSchemaModel): string[] =>
  proposeRelations(model).map(
    ({ table: owner, relation }) =>
      `${owner}.${relation.name}:${relation.kind}(${relation.target})${relation.relationName ? ` as ${relation.relationName}` : ""}`,
  );

describe("drizzle schema corpus", () => {
  it("t3-single-file: pgTableCreator prefix, (d) => columns, composite key, relations beside the tables, postgres.js client with schema", async () => {
    const model = await read("t3-single-file");
    expect(model.configFile).toBe("drizzle.config.ts");
    expect(model.schemaFiles).toEqual(["src/server/db/schema.ts"]);
    expect(model.client).toMatchObject({
      file: "src/server/db/index.ts",
      exportName: "db",
      driver: "postgres-js",
      hasSchema: true,
    });
    expect([...model.tables.values()].map((t) => [t.tableVar, t.sqlName, t.declaredName, t.via])).toEqual([
      ["posts", "acme_post", "post", "pgTableCreator"],
      ["users", "acme_user", "user", "pgTableCreator"],
      ["accounts", "acme_account", "account", "pgTableCreator"],
    ]);
    const posts = table(model, "posts");
    // No casing in the config: unnamed columns keep their keys as SQL names.
    expect(sqlNames(posts)).toEqual({
      id: "id",
      name: "name",
      createdById: "createdById",
      createdAt: "createdAt",
      updatedAt: "updatedAt",
    });
    expect(posts.columns[0]).toMatchObject({
      builder: "integer",
      primaryKey: true,
      identity: true,
      hasDefault: true,
      tsType: "number",
    });
    expect(posts.columns.find((c) => c.name === "name")).toMatchObject({
      builder: "varchar",
      builderOptions: "{ length: 256 }",
      notNull: false,
    });
    expect(posts.primaryKey).toEqual({ columns: ["id"], composite: false, tsType: "number", name: undefined });
    expect(posts.indexes.map((index) => `${index.name}:${index.columns.join(",")}`)).toEqual([
      "created_by_idx:createdById",
      "name_idx:name",
    ]);
    expect(table(model, "users").primaryKey).toMatchObject({ columns: ["id"], tsType: "string" });
    expect(table(model, "users").columns.find((c) => c.name === "emailVerified")).toMatchObject({
      mode: "date",
      tsType: "Date",
      hasDefault: true,
    });
    expect(table(model, "accounts").primaryKey).toMatchObject({
      columns: ["provider", "providerAccountId"],
      composite: true,
    });
    expect(relationSummary(table(model, "users"))).toEqual(["accounts:many(accounts)", "posts:many(posts)"]);
    expect(relationSummary(posts)).toEqual(["createdBy:one(users) createdById->id"]);
    expect(inbound(model, "users")).toEqual(["posts.createdById", "accounts.userId"]);
    expect(proposals(model)).toEqual([]);
    expect(model.diagnostics).toEqual([]);
    expect(findTable(model, "posts")).toMatchObject({ found: true, table: { tableVar: "posts" } });
    expect(findTable(model, "acme_post")).toMatchObject({ found: true, table: { tableVar: "posts" } });
    expect(findTable(model, "Post")).toMatchObject({ found: true, table: { tableVar: "posts" } });
  });

  it("pascal-table-folder: ...Table exports behind a barrel, snake_case SQL names, relations in their own file, inferred types", async () => {
    const model = await read("pascal-table-folder");
    expect(model.schemaFiles).toEqual([
      "src/db/schema/index.ts",
      "src/db/schema/user.schema.ts",
      "src/db/schema/college.schema.ts",
      "src/db/schema/refresh-token.schema.ts",
      "src/db/schema/relations.ts",
    ]);
    expect([...model.tables.keys()]).toEqual(["UserTable", "CollegeTable", "refreshTokenTable"]);
    const users = table(model, "UserTable");
    expect(users).toMatchObject({
      sqlName: "users",
      file: "src/db/schema/user.schema.ts",
      selectType: "TSUser",
      insertType: "TIUser",
    });
    expect(sqlNames(users)).toMatchObject({ userId: "user_id", fullName: "full_name", collegeId: "college_id" });
    expect(users.primaryKey).toMatchObject({ columns: ["userId"], tsType: "number" });
    expect(users.columns.find((c) => c.name === "email")).toMatchObject({ unique: true, notNull: true });
    expect(users.columns.find((c) => c.name === "collegeId")?.references).toEqual({
      table: "CollegeTable",
      column: "collegeId",
      onDelete: "set null",
      onUpdate: undefined,
    });
    expect(relationSummary(users)).toEqual([
      "college:one(CollegeTable) collegeId->collegeId",
      "refreshTokens:many(refreshTokenTable)",
    ]);
    expect(users.relations?.[0]?.file).toBe("src/db/schema/relations.ts");
    expect(relationSummary(table(model, "CollegeTable"))).toEqual(["students:many(UserTable)"]);
    expect(inbound(model, "UserTable")).toEqual(["refreshTokenTable.userId cascade"]);
    expect(proposals(model)).toEqual([]);
    expect(model.diagnostics).toEqual([]);
    for (const name of ["colleges", "college", "CollegeTable", "collegetable", "COLLEGES"]) {
      expect(findTable(model, name), name).toMatchObject({ found: true, table: { tableVar: "CollegeTable" } });
    }
    expect(findTable(model, "refresh_tokens")).toMatchObject({ found: true, table: { tableVar: "refreshTokenTable" } });
    expect(findTable(model, "refreshToken")).toMatchObject({ found: true, table: { tableVar: "refreshTokenTable" } });
  });

  it("no-relations: a glob, (t) => columns, a client without schema; every FK gets a proposed one()/many() pair; an index from a helper is reported", async () => {
    const model = await read("no-relations");
    expect(model.schemaFiles).toEqual([
      "src/db/schema/comments.ts",
      "src/db/schema/index.ts",
      "src/db/schema/posts.ts",
      "src/db/schema/users.ts",
    ]);
    expect(model.client).toMatchObject({ file: "src/db/client.ts", hasSchema: false, driver: "node-postgres" });
    expect([...model.tables.values()].every((t) => t.relations === null)).toBe(true);
    const posts = table(model, "posts");
    expect(sqlNames(posts)).toEqual({
      id: "id",
      authorId: "author_id",
      title: "title",
      body: "body",
      published: "published",
    });
    expect(table(model, "users").columns.find((c) => c.name === "createdAt")).toMatchObject({
      mode: "string",
      tsType: "string",
    });
    expect(inbound(model, "users")).toEqual(["comments.authorId set null", "posts.authorId cascade"]);
    expect(inbound(model, "posts")).toEqual(["comments.postId cascade"]);
    expect(proposals(model)).toEqual([
      "comments.post:one(posts)",
      "posts.comments:many(comments)",
      "comments.author:one(users)",
      "users.comments:many(comments)",
      "posts.author:one(users)",
      "users.posts:many(posts)",
    ]);
    expect(model.diagnostics).toEqual([
      expect.objectContaining({
        code: "constraint-not-readable",
        file: "src/db/schema/posts.ts",
        line: 21,
        message: expect.stringContaining("foreignKeyIndex"),
      }),
    ]);
  });

  it("snake-casing: casing from the config names unnamed columns; spread timestamps, enum, array, $type and bigint modes", async () => {
    const model = await read("snake-casing");
    expect(model.casing).toBe("snake_case");
    expect(model.schemaFiles).toEqual(["src/db/schema.ts", "src/db/enums.ts"]);
    // Only the schema files and what they import: the client file is read for `{ schema }`, nothing else.
    expect([...model.parsedFiles].sort()).toEqual([
      "drizzle.config.ts",
      "src/db/columns.helpers.ts",
      "src/db/enums.ts",
      "src/db/index.ts",
      "src/db/schema.ts",
    ]);
    const customers = table(model, "customers");
    expect(sqlNames(customers)).toEqual({
      id: "id",
      firstName: "first_name",
      lastName: "last_name",
      emailAddress: "email_address",
      shippingAddress: "shipping_address",
      tags: "tags",
      createdAt: "created_at",
      updatedAt: "updated_at",
      deletedAt: "deleted_at",
    });
    expect(customers.columns.filter((c) => c.spreadFrom === "timestamps").map((c) => c.name)).toEqual([
      "createdAt",
      "updatedAt",
      "deletedAt",
    ]);
    expect(customers.columns.find((c) => c.name === "shippingAddress")).toMatchObject({
      customType: "Address",
      tsType: "Address",
    });
    expect(customers.columns.find((c) => c.name === "tags")).toMatchObject({
      array: true,
      tsType: "string[]",
      hasDefault: true,
    });
    expect(customers.indexes).toEqual([
      {
        kind: "uniqueIndex",
        name: "customers_email_unique",
        columns: ["emailAddress"],
        unique: true,
        where: "sql`${t.deletedAt} is null`",
      },
    ]);
    const orders = table(model, "orders");
    expect(orders.primaryKey).toMatchObject({ columns: ["id"], tsType: "bigint" });
    expect(orders.columns.find((c) => c.name === "status")).toMatchObject({
      builder: "orderStatus",
      enumValues: ["pending", "paid", "shipped", "cancelled"],
      tsType: '"pending" | "paid" | "shipped" | "cancelled"',
    });
    expect(orders.columns.find((c) => c.name === "totalCents")).toMatchObject({ mode: "number", tsType: "number" });
    expect(orders.indexes.map((index) => `${index.name ?? "(unnamed)"}:${index.columns.join(",")}`)).toEqual([
      "(unnamed):customerId",
      "orders_status_created_idx:status,createdAt",
    ]);
    expect(inbound(model, "customers")).toEqual(["orders.customerId restrict"]);
    expect(model.diagnostics).toEqual([]);
  });

  it("uuid-text-keys: uuid, text, char and bigserial keys drive the key type; a key not called id", async () => {
    const model = await read("uuid-text-keys");
    expect(model.client).toBeNull();
    expect(table(model, "tenants").primaryKey).toMatchObject({ columns: ["id"], tsType: "string" });
    expect(table(model, "tenants").columns[0]).toMatchObject({ builder: "uuid", hasDefault: true });
    expect(table(model, "apiKeys").primaryKey).toMatchObject({ columns: ["id"], tsType: "string" });
    expect(table(model, "countries").primaryKey).toMatchObject({ columns: ["code"], tsType: "string" });
    expect(table(model, "cities").primaryKey).toMatchObject({ columns: ["cityId"], tsType: "bigint" });
    expect(table(model, "apiKeys").foreignKeys).toEqual([
      {
        table: "apiKeys",
        columns: ["tenantId"],
        foreignTable: "tenants",
        foreignColumns: ["id"],
        onDelete: "cascade",
        onUpdate: "cascade",
        source: "column",
      },
    ]);
    expect(inbound(model, "countries")).toEqual(["cities.countryCode"]);
    expect(findTable(model, "api_keys")).toMatchObject({ found: true, table: { tableVar: "apiKeys" } });
    expect(findTable(model, "city")).toMatchObject({ found: true, table: { tableVar: "cities" } });
    expect(model.diagnostics).toEqual([]);
  });

  it("self-reference: AnyPgColumn parentId with relationName on both sides; foreignKey() to the table itself", async () => {
    const model = await read("self-reference");
    const categories = table(model, "categories");
    expect(categories.columns.find((c) => c.name === "parentId")?.references).toMatchObject({
      table: "categories",
      column: "id",
      onDelete: "cascade",
    });
    expect(relationSummary(categories)).toEqual([
      "parent:one(categories) parentId->id as category_parent",
      "children:many(categories) as category_parent",
    ]);
    expect(inbound(model, "categories")).toEqual(["categories.parentId cascade"]);
    expect(table(model, "employees").foreignKeys).toEqual([
      {
        table: "employees",
        columns: ["managerId"],
        foreignTable: "employees",
        foreignColumns: ["id"],
        name: "employees_manager_id_fk",
        onDelete: "set null",
        onUpdate: undefined,
        source: "foreignKey",
      },
    ]);
    // categories already has its pair; employees gets one, named on both sides.
    expect(proposals(model)).toEqual([
      "employees.manager:one(employees) as employees_manager",
      "employees.children:many(employees) as employees_manager",
    ]);
    expect(model.diagnostics).toEqual([]);
  });

  it("multiple-fks: two keys to users get distinct relationNames; the object form of the third argument is read", async () => {
    const model = await read("multiple-fks");
    expect(table(model, "messages").indexes.map((index) => index.name)).toEqual([
      "messages_sender_idx",
      "messages_recipient_idx",
    ]);
    expect(inbound(model, "users")).toEqual(["messages.senderId", "messages.recipientId"]);
    expect(proposals(model)).toEqual([
      "messages.sender:one(users) as messages_sender",
      "users.messagesAsSender:many(messages) as messages_sender",
      "messages.recipient:one(users) as messages_recipient",
      "users.messagesAsRecipient:many(messages) as messages_recipient",
    ]);
    expect(model.diagnostics).toEqual([]);
  });

  it("pg-schema: a pgSchema const's .table, pgSchema(...).table inline, its enum, and a local wrapper function", async () => {
    const model = await read("pg-schema");
    expect([...model.tables.values()].map((t) => [t.tableVar, t.pgSchema ?? "public", t.sqlName, t.via])).toEqual([
      ["accounts", "app", "accounts", "pgSchema"],
      ["projects", "public", "projects", "wrapper"],
      ["auditLog", "audit", "log", "pgSchema"],
    ]);
    expect(table(model, "accounts").columns.find((c) => c.name === "plan")).toMatchObject({
      builder: "planEnum",
      tsType: '"free" | "pro"',
      hasDefault: true,
    });
    expect(sqlNames(table(model, "projects"))).toEqual({
      accountId: "account_id",
      title: "title",
      createdBy: "created_by",
    });
    expect(table(model, "projects").primaryKey).toBeNull();
    expect(inbound(model, "accounts")).toEqual(["projects.accountId", "auditLog.accountId"]);
    expect(findTable(model, "audit.log")).toMatchObject({ found: true, table: { tableVar: "auditLog" } });
    expect(findTable(model, "log")).toMatchObject({ found: true, table: { tableVar: "auditLog" } });
    expect(model.diagnostics).toEqual([]);
  });

  it("composite-join: no drizzle.config (schema found through the client), composite keys in array and object form", async () => {
    const model = await read("composite-join");
    expect(model.configFile).toBeNull();
    expect(model.schemaFiles).toEqual(["src/db/schema.ts"]);
    expect(table(model, "usersToGroups").primaryKey).toEqual({
      columns: ["userId", "groupId"],
      composite: true,
      tsType: "number",
      name: undefined,
    });
    expect(table(model, "groupOwners").primaryKey).toEqual({
      columns: ["groupId", "ownerId"],
      composite: true,
      tsType: "number",
      name: "group_owners_pk",
    });
    expect(relationSummary(table(model, "usersToGroups"))).toEqual([
      "group:one(groups) groupId->id",
      "user:one(users) userId->id",
    ]);
    expect(inbound(model, "groups")).toEqual(["usersToGroups.groupId", "groupOwners.groupId"]);
    expect(proposals(model)).toEqual([
      "groupOwners.group:one(groups)",
      "groups.groupOwners:many(groupOwners)",
      "groupOwners.owner:one(users)",
      "users.groupOwners:many(groupOwners)",
    ]);
    expect(findTable(model, "users_to_groups")).toMatchObject({ found: true, table: { tableVar: "usersToGroups" } });
    expect(model.diagnostics).toEqual([]);
  });

  it("pnpm-monorepo: the db package read from its own root, nothing of the apps parsed", async () => {
    const model = await readDrizzleSchema(fixtureTree("pnpm-monorepo"), fixtureOptions("pnpm-monorepo"));
    expect(model.configFile).toBe("packages/db/drizzle.config.ts");
    expect(model.casing).toBe("snake_case");
    expect(model.schemaFiles).toEqual(["packages/db/src/schema.ts"]);
    expect(model.client).toMatchObject({ file: "packages/db/src/index.ts", hasSchema: true });
    expect(model.parsedFiles.filter((file) => !file.startsWith("packages/db/"))).toEqual([]);
    expect(sqlNames(table(model, "members"))).toEqual({ id: "id", workspaceId: "workspace_id", email: "email" });
    expect(table(model, "members").primaryKey).toMatchObject({ tsType: "string" });
    expect(relationSummary(table(model, "workspaces"))).toEqual(["members:many(members)"]);
    expect(inbound(model, "workspaces")).toEqual(["members.workspaceId cascade"]);
    expect(proposals(model)).toEqual([]);
    expect(model.diagnostics).toEqual([]);
  });

  it("define-relations: Drizzle 1.0's defineRelations is read like relations(): r.one with from/to, r.many from the other side", async () => {
    const model = await read(V2_SHAPE);
    expect(model.defineRelations).toEqual({ file: "src/db/schema.ts", line: 16 });
    expect([...model.tables.keys()]).toEqual(["users", "posts"]);
    expect(relationSummary(table(model, "users"))).toEqual(["posts:many(posts)"]);
    expect(relationSummary(table(model, "posts"))).toEqual(["author:one(users) authorId->id"]);
    expect(proposals(model)).toEqual([]);
    expect(model.diagnostics).toEqual([]);
  });
});
