import { describe, expect, it } from "vitest";

import { serializeManifest } from "../../src/core/manifest.js";
import { DEFAULT_LAYOUT } from "../app/layout.js";
import { runGenerator } from "../testing.js";

// `events` spreads columns from a package: the reader cannot see them (line 9), so inserts would miss required ones.
const LEGACY_SCHEMA = [
  `import { integer, pgTable, serial, text } from "drizzle-orm/pg-core";`, // 1
  `import { auditColumns } from "@acme/db-utils";`, // 2
  ``, // 3
  `export const users = pgTable("users", { id: serial("id").primaryKey(), email: text("email").notNull() });`, // 4
  `export const tags = pgTable("tags", { id: serial("id").primaryKey(), label: text("label").notNull() });`, // 5
  ``, // 6
  `export const events = pgTable("events", {`, // 7
  `  id: serial("id").primaryKey(),`, // 8
  `  ...auditColumns,`, // 9
  `  userId: integer("user_id").notNull().references(() => users.id),`, // 10
  `});`, // 11
  ``,
].join("\n");

const files = {
  "src/db/schema/index.ts": 'export * from "./legacy.js";\n',
  "src/db/schema/legacy.ts": LEGACY_SCHEMA,
  "package.json": '{\n  "dependencies": {}\n}\n',
  "perf-backend.json": serializeManifest({ version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: {} }),
};

describe("generators report what the schema reader could not read", () => {
  it("a table read in full: generated, with the unread spread elsewhere listed by file:line in the notes", async () => {
    const run = await runGenerator("repository", { name: "tags" }, files);
    expect(run.read("src/repositories/tags-repository.ts")).toContain("findTagById");
    expect(run.result.notes).toContainEqual(
      expect.stringContaining("src/db/schema/legacy.ts:9: columns spread from auditColumns cannot be read statically"),
    );
    expect(run.result.notes).toContainEqual(expect.stringContaining("(table events)"));
  });

  it("a table whose columns were not all read stops with exit 2 (UsageError), naming file:line and what to change", async () => {
    const failure = runGenerator("repository", { name: "events" }, files);
    await expect(failure).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("src/db/schema/legacy.ts:9:"),
    });
    await expect(failure).rejects.toMatchObject({
      hints: expect.arrayContaining([expect.stringContaining("const object literal")]),
    });
  });

  it("a table whose generated test would seed the unread table (it references users) stops too", async () => {
    await expect(runGenerator("repository", { name: "users" }, files)).rejects.toMatchObject({
      message: expect.stringContaining("legacy.ts:9"),
    });
  });

  it("schema lists them as well (an unread table could be the twin of the one it creates)", async () => {
    const run = await runGenerator("schema", { name: "notes", columns: "body:text:notNull", migrate: false }, files);
    expect(run.result.notes).toContainEqual(expect.stringContaining("src/db/schema/legacy.ts:9:"));
  });
});
