import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { fixtureDir } from "../../test/helpers/drizzle-fixtures.js";
import { runGenerator } from "../testing.js";

/** A fixture repo of the Drizzle corpus as a virtual workspace, with what `init` needs around it. */
function fixtureFiles(shape: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else files[`${prefix}${name}`] = readFileSync(full, "utf8");
    }
  };
  walk(fixtureDir(shape), "");
  files["package.json"] ??= JSON.stringify({ name: shape, type: "module" });
  files["tsconfig.json"] ??= JSON.stringify({
    compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", skipLibCheck: true },
  });
  return files;
}

async function initThen(shape: string): Promise<Record<string, string>> {
  return (await runGenerator("init", { toolSpec: "^0.1.0" }, fixtureFiles(shape))).files;
}

describe("repository and cache on the repo's OWN tables (the Drizzle schema corpus)", () => {
  it("proves by EXPLAIN only the lookups the schema indexes, and says in the plan which one has no index", async () => {
    // categories.parent_id has no index in this repo's schema; t3's createdById and the users key have one.
    const categories = await runGenerator(
      "repository",
      { name: "categories", with: "children" },
      await initThen("self-reference"),
    );
    const unindexed = categories.read("src/repositories/categories-repository.test.ts") ?? "";
    expect(unindexed).not.toContain('byIndexOn("categories", "parent_id")');
    expect(categories.result.notes.join("\n")).toContain(
      "The eager read of children finds categories rows by parent_id, which no index of the schema starts with",
    );
    const posts = await runGenerator(
      "repository",
      { name: "posts", with: "createdBy" },
      await initThen("t3-single-file"),
    );
    expect(posts.read("src/repositories/posts-repository.test.ts")).toContain('byIndexOn("acme_user", "id")');
    expect(posts.result.notes.join("\n")).not.toContain("no index of the schema starts with");
  });

  it("T3 style (pgTableCreator, callback columns, postgres.js): a one() relation and a text primary key", async () => {
    const files = await initThen("t3-single-file");
    const posts = await runGenerator("repository", { name: "posts", with: "createdBy" }, files);
    const repository = posts.read("src/repositories/posts-repository.ts") ?? "";
    expect(repository).toMatch(/\bcreatedBy: sql</);
    expect(repository).toContain('.prepare(statementName("acme_post_find_by_id"))');
    // The SQL name works as well as the export name, singular or plural.
    const bySqlName = await runGenerator("repository", { name: "acme_user", with: "posts" }, posts.files);
    expect(bySqlName.read("src/repositories/users-repository.ts")).toContain(
      "async function findUserById(id: UserId, options: UserReadOptions = {})",
    );
    const again = await runGenerator("repository", { name: "posts", with: "createdBy" }, posts.files);
    expect(again.result.plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);
  });

  it("PascalCase `...Table` exports with custom key names: clean entity names, the repo's own relations", async () => {
    const files = await initThen("pascal-table-folder");
    const colleges = await runGenerator("repository", { name: "colleges", with: "students" }, files);
    const repository = colleges.read("src/repositories/colleges-repository.ts") ?? "";
    expect(repository).toContain("findCollegeById");
    expect(repository).toContain("listColleges");
    expect(repository).toMatch(/\bstudents: sql</);
    expect(repository).toContain("CollegeTable.collegeId");
    expect(repository).toContain("type College = typeof CollegeTable.$inferSelect;");
    const cache = await runGenerator("cache", { name: "college-profile", repository: "college" }, colleges.files);
    expect(cache.read("src/cache/college-profile-cache.ts")).toContain(
      "createCollegeProfileCache({ loader: (id) => getCollegeRow(id, { readYourWrites: true }) })",
    );
    const user = await runGenerator("repository", { name: "UserTable", with: "college" }, colleges.files);
    expect(user.read("src/repositories/users-repository.ts")).toMatch(/\bcollege: sql</);
  });

  it("the repo's own bigint-mode int8 key (snake_case casing, by-default identity, a pgEnum column): BigInt ids, enum values in the test", async () => {
    const files = await initThen("snake-casing");
    const orders = await runGenerator("repository", { name: "orders", with: "customer" }, files);
    const repository = orders.read("src/repositories/orders-repository.ts") ?? "";
    expect(repository).toContain('return typeof id === "bigint" && id >= MIN_ID_KEY && id <= MAX_ID_KEY;');
    const test = orders.read("src/repositories/orders-repository.test.ts") ?? "";
    expect(test).toContain("const beyondDouble = 9_007_199_254_740_993n;");
    // The update patch sets the enum column to one of its values, not `{}`.
    expect(test).toContain('const patch = { status: "cancelled" as const };');
    const cache = await runGenerator("cache", { name: "order-card", repository: "order" }, orders.files);
    expect(cache.read("src/cache/order-card-cache.ts")).toContain(
      "TKey extends string | number | bigint = OrderCardCacheKey",
    );
    expect(cache.read("src/cache/order-card-cache.test.ts")).toContain("const MISSING_ID = -1n;");
  });

  it("foreign keys without any relations(): the pairs --with needs are added to the schema files, and said so", async () => {
    const files = await initThen("uuid-text-keys");
    const run = await runGenerator("repository", { name: "tenants", with: "apiKeys" }, files);
    expect(run.read("src/schema/tenants.ts")).toContain(
      "export const tenantsRelations = relations(tenants, ({ many }) => ({",
    );
    expect(run.read("src/schema/tenants.ts")).toContain("apiKeys: many(apiKeys),");
    expect(run.read("src/schema/api-keys.ts")).toContain(
      "tenant: one(tenants, { fields: [apiKeys.tenantId], references: [tenants.id] }),",
    );
    expect(run.result.notes.join("\n")).toContain("db.query needs them for --with");
    expect(run.read("src/repositories/tenants-repository.ts")).toMatch(/\bapiKeys: sql</);
    // Now declared: a second run adds nothing.
    const again = await runGenerator("repository", { name: "tenants", with: "apiKeys" }, run.files);
    expect(again.result.plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);
  });

  it("two foreign keys to one table get relationName on both sides", async () => {
    const files = await initThen("multiple-fks");
    const run = await runGenerator("repository", { name: "users", with: "messagesAsSender" }, files);
    const schema = run.read("db/schema.ts") ?? "";
    expect(schema).toContain('messagesAsSender: many(messages, { relationName: "messages_sender" })');
    expect(schema).toContain(
      'sender: one(users, { fields: [messages.senderId], references: [users.id], relationName: "messages_sender" })',
    );
  });

  it("a self-reference loads its children in the same statement", async () => {
    const run = await runGenerator(
      "repository",
      { name: "categories", with: "children" },
      await initThen("self-reference"),
    );
    expect(run.read("src/repositories/categories-repository.ts")).toMatch(/\bchildren: sql</);
  });

  it("schema: references by export or SQL name, relations in the repo's own relations file, no second `users` table", async () => {
    const files = await initThen("pascal-table-folder");
    for (const reference of ["CollegeTable.collegeId", "colleges.college_id"]) {
      const run = await runGenerator(
        "schema",
        {
          name: "courses",
          columns: `collegeId:integer:notNull:references=${reference},title:text:notNull`,
          migrate: false,
        },
        files,
      );
      const courses = Object.entries(run.files).find(([file]) => file.endsWith("/courses.ts"))?.[1] ?? "";
      expect(courses).toContain(".references(() => CollegeTable.collegeId)");
      expect(courses).toContain(
        "college: one(CollegeTable, { fields: [courses.collegeId], references: [CollegeTable.collegeId] })",
      );
      const relationsFile = run.changes.find((change) => change.includes("relations"));
      expect(relationsFile, run.changes.join(", ")).toBeDefined();
    }
    await expect(runGenerator("schema", { name: "users", columns: "email:text" }, files)).rejects.toThrow(
      "twin of the existing table UserTable",
    );
  });

  it("no drizzle.config: init takes the schema from the client's { schema } import; a composite-key join table under --with", async () => {
    const files = await initThen("composite-join");
    const layout = (JSON.parse(files["perf-backend.json"] ?? "{}") as { layout: { db: { schemaBarrel: string } } })
      .layout;
    expect(layout.db.schemaBarrel).toBe("src/db/schema.ts");
    expect(files["drizzle.config.ts"]).toContain('schema: "./src/db/schema.ts"');
    const run = await runGenerator("repository", { name: "users", with: "usersToGroups.group" }, files);
    const repository = run.read("src/repositories/users-repository.ts") ?? "";
    // Children of a composite key are ordered by both key columns; the test checks the one that varies per user.
    expect(repository).toContain(
      "order by ${eagerUsersUsersToGroups.userId}, ${eagerUsersUsersToGroups.groupId} limit ${USERS_TO_GROUPS_LIMIT} + 1",
    );
    expect(repository).toContain("item.group = mapUsersUsersToGroupsGroup(row[next]);");
    const test = run.read("src/repositories/users-repository.test.ts") ?? "";
    expect(test).toContain("result?.usersToGroups.map((row) => row.groupId)");
    // Pairs the seeded rows do not use: a composite key is unique per (userId, groupId).
    expect(test).toContain("values({ userId: target.id, groupId: groupRows[CHILDREN_PER_PARENT]!.id })");
    expect(test).toContain("groupId: groupRows[(index + CHILDREN_PER_PARENT) % groupRows.length]!.id");
    await expect(runGenerator("repository", { name: "usersToGroups" }, files)).rejects.toThrow(
      "composite primary key (userId, groupId)",
    );
  });

  it("pgSchema tables matched by a config glob: the new barrel re-exports only the glob's files (never the db client)", async () => {
    const files = await initThen("pg-schema");
    expect(files["src/db/schema.ts"]).toContain('export * from "./app.schema.js";');
    expect(files["src/db/schema.ts"]).not.toMatch(/client|pool|test/);
    // The db modules' barrel stays theirs: no tables, no tests.
    expect(files["src/db/index.ts"]).not.toMatch(/schema|test/);
    expect(files["src/db/client.ts"]).toContain('import * as schema from "./schema.js";');
    const run = await runGenerator("repository", { name: "audit.log", with: "account" }, files);
    expect(run.read("src/repositories/audit-logs-repository.ts")).toMatch(/\baccount: sql</);
  });

  it("a new table in a repo whose config reads a glob lands in a file the glob matches (drizzle-kit sees it)", async () => {
    const files = await initThen("pg-schema");
    expect(JSON.parse(files["perf-backend.json"] ?? "{}")).toMatchObject({
      layout: { db: { schemaDir: "src/db", schemaFileSuffix: ".schema" } },
    });
    const run = await runGenerator("schema", { name: "invoices", columns: "total:integer:notNull" }, files);
    expect(run.read("src/db/invoices.schema.ts")).toContain("pgTable(");
    expect(run.read("src/db/invoices.ts")).toBeUndefined();
    expect(run.read("src/db/schema.ts")).toContain('export * from "./invoices.schema.js";');
  });

  it("a workspace package with casing: snake_case: the generated clients map keys the same way", async () => {
    const shapeFiles = fixtureFiles("pnpm-monorepo");
    const packageOnly = Object.fromEntries(
      Object.entries(shapeFiles)
        .filter(([file]) => file.startsWith("packages/db/"))
        .map(([file, text]) => [file.slice("packages/db/".length), text]),
    );
    packageOnly["tsconfig.json"] = shapeFiles["tsconfig.json"] ?? "";
    const { files } = await runGenerator("init", { toolSpec: "^0.1.0" }, packageOnly);
    // The package's own `db` (src/index.ts) is reused, found wherever it is: no second pool beside it.
    expect(files["src/db/client.ts"]).toContain('import { db as existingDb } from "../index.js";');
    expect(files["src/db/client.ts"]).toContain(
      'drizzle(existingClient, { schema, casing: "snake_case", logger: options.logger ?? false })',
    );
    const run = await runGenerator("repository", { name: "workspaces", with: "members" }, files);
    expect(run.read("src/repositories/workspaces-repository.ts")).toMatch(/\bmembers: sql</);
  });

  it("numeric + composite unique: seeds fit decimal(10, 2) and checks, and a unique (collegeId, userId) pair is never repeated", async () => {
    const colleges = await runGenerator(
      "repository",
      { name: "colleges", with: "memberships" },
      await initThen("numeric-unique"),
    );
    const test = colleges.read("src/repositories/colleges-repository.test.ts") ?? "";
    expect(test).toContain("tuition: (0.01 + index).toFixed(2)");
    expect(test).toContain("rating: (1 + (index % 41) * 0.1).toFixed(1)");
    expect(test).not.toMatch(/(tuition|rating|gpa|credits): \{\}/);
    // Memberships under a college pair it with users 0 and 1: the extra children of the limit test and the row
    // the delete test inserts pair the target with users the seeded ones do not use.
    expect(test).toContain("userId: userRows[(index + CHILDREN_PER_PARENT) % userRows.length]!.id");
    expect(test).toContain("collegeId: target.id, userId: userRows[CHILDREN_PER_PARENT]!.id");
    const memberships = await runGenerator("repository", { name: "memberships", with: "college" }, colleges.files);
    const membershipsTest = memberships.read("src/repositories/memberships-repository.test.ts") ?? "";
    // A created membership pairs college 0 with user 1 (seeded rows pair row i with row i).
    expect(membershipsTest).toContain("collegeId: collegeRows[0]!.id, userId: userRows[1]!.id");
    // invoices.membershipId is a NOT NULL key written as foreignKey(): seeded from the memberships rows.
    expect(membershipsTest).toContain("membershipId: membershipRows[index % membershipRows.length]!.id");
  });

  it("refuses defineRelations in a project on drizzle-orm 0.x (a mix) and names what exists for an unknown table (exit 2)", async () => {
    await expect(
      runGenerator("repository", { name: "users" }, await initThen("define-relations")),
    ).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringMatching(
        /^src\/db\/schema\.ts:16 uses defineRelations \(Drizzle 1\.0.*drizzle-orm is 0\.45\.4 \(the 0\.x line\)/,
      ),
    });
    await expect(
      runGenerator("repository", { name: "invoices" }, await initThen("pascal-table-folder")),
    ).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("CollegeTable (colleges)"),
    });
  });
});
