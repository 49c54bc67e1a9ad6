import { describe, expect, it } from "vitest";

import { UsageError } from "../../src/core/errors.js";
import { serializeManifest } from "../../src/core/manifest.js";
import type { RawInput } from "../../src/devkit/index.js";
import { DEFAULT_LAYOUT } from "../app/layout.js";
import { runGenerator } from "../testing.js";
import type { GeneratorRun } from "../testing.js";
import { parseColumnSpec } from "./column-spec.js";

const BASE = {
  "src/db/schema/index.ts": "// Barrel of table modules.\nexport {};\n",
  "package.json": "{}\n",
  "perf-backend.json": serializeManifest({ version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: {} }),
};

const USERS: RawInput = { name: "users", columns: "email:text:notNull,name:text:notNull", unique: ["email"], timestamps: true, migrate: false };
const POSTS: RawInput = {
  name: "posts",
  columns: "authorId:integer:notNull:references=users.id,title:varchar(255):notNull,status:text:notNull:default=draft",
  index: ["status,createdAt"],
  partialIndex: ["createdAt where deletedAt is null"],
  timestamps: true,
  softDelete: true,
};
const COMMENTS: RawInput = { name: "comments", columns: "postId:integer:notNull:references=posts.id,body:text:notNull,tags:text[]", gin: ["tags"], migrate: false };

/** Runs the generator through the registry; `files` is the workspace as the next run would see the disk. */
async function apply(files: Record<string, string>, raw: RawInput): Promise<GeneratorRun> {
  return runGenerator("schema", raw, files);
}

/** A UsageError (exit 2) with this message, from parsing and normalizing alone. */
async function refused(raw: RawInput, message: string): Promise<void> {
  await expect(apply({ ...BASE }, raw)).rejects.toThrow(message);
  await expect(apply({ ...BASE }, raw)).rejects.toMatchObject({ name: "UsageError" });
}

async function threeTables(): Promise<Record<string, string>> {
  let files: Record<string, string> = { ...BASE };
  for (const raw of [USERS, POSTS, COMMENTS]) files = (await apply(files, raw)).files;
  return files;
}

describe("schemaGenerator", () => {
  it("writes users, posts and comments with FK indexes, relations on both sides and the barrel", async () => {
    const files = await threeTables();
    const posts = files["src/db/schema/posts.ts"] ?? "";
    expect(posts).toContain('authorId: integer("author_id").notNull().references(() => users.id),');
    expect(posts).toContain('index("posts_author_id_idx").on(table.authorId),');
    expect(posts).toContain('index("posts_status_created_at_idx").on(table.status, table.createdAt),');
    expect(posts).toContain('index("posts_created_at_partial_idx").on(table.createdAt).where(sql`${table.deletedAt} is null`),');
    expect(posts).toContain('import { index, integer, pgTable, text, timestamp, varchar } from "drizzle-orm/pg-core";');
    expect(posts).toContain('import { relations, sql } from "drizzle-orm";');
    expect(posts).toContain("author: one(users, { fields: [posts.authorId], references: [users.id] }),");
    // comments was generated after posts: its many() arrived through ts-morph, with the import in the relative group.
    expect(posts).toContain("comments: many(comments),");
    expect(posts).toMatch(/import \{ comments \} from "\.\/comments\.js";\nimport \{ users \} from "\.\/users\.js";/);
    expect(posts).toContain("export type Post = typeof posts.$inferSelect;");
    const users = files["src/db/schema/users.ts"] ?? "";
    expect(users).toContain('uniqueIndex("users_email_unique_idx").on(table.email)');
    expect(users).toContain("relations(users, ({ many }) => ({\n  posts: many(posts),\n}));");
    expect(users).toContain('from "drizzle-orm/pg-core";\n\nimport { posts } from "./posts.js";');
    expect(users).not.toContain("index(");
    const comments = files["src/db/schema/comments.ts"] ?? "";
    expect(comments).toContain('index("comments_post_id_idx").on(table.postId)');
    expect(comments).toContain('index("comments_tags_gin_idx").using("gin", table.tags)');
    expect(comments).toContain('tags: text("tags").array(),');
    expect(files["src/db/schema/index.ts"]).toBe('// Barrel of table modules.\nexport * from "./users.js";\nexport * from "./posts.js";\nexport * from "./comments.js";\n');
    expect({ users, posts, comments }).toMatchSnapshot();
  });

  it("returns drizzle-kit generate as a deferred task unless --no-migrate", async () => {
    const { result } = await apply(await threeTables(), POSTS);
    expect(result.tasks).toEqual([{ kind: "script", packageManager: "npm", script: "db:generate", title: expect.any(String) as string }]);
    const { result: skipped } = await apply(await threeTables(), { ...POSTS, migrate: false });
    expect(skipped.tasks).toEqual([]);
  });

  it("is idempotent: the same input again plans no change", async () => {
    const files = await threeTables();
    for (const raw of [USERS, POSTS, COMMENTS]) {
      const { result } = await apply(files, raw);
      expect(result.plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);
    }
  });

  it("fails with a GenerationError naming the file when the parent has no relations()", async () => {
    const files = await threeTables();
    files["src/db/schema/users.ts"] = (files["src/db/schema/users.ts"] ?? "").replace(/export const usersRelations[\s\S]*$/, "");
    await expect(apply(files, { name: "likes", columns: "userId:integer:notNull:references=users.id" })).rejects.toMatchObject({ name: "GenerationError" });
    await expect(apply(files, { name: "likes", columns: "userId:integer:notNull:references=users.id" })).rejects.toThrow(/src\/db\/schema\/users\.ts/);
  });

  it("names a missing parent table and what exists", async () => {
    await expect(apply({ ...BASE }, POSTS)).rejects.toMatchObject({ name: "UsageError" });
    const files = await threeTables();
    await expect(apply(files, { name: "likes", columns: "userId:integer:references=userz.id" })).rejects.toThrow('no table "userz"');
  });
});

describe("column spec errors (exit 2, naming the bad part)", () => {
  const cases: Array<[string, string]> = [
    ["title", 'Column "title": missing type (write title:text).'],
    ["title:strin", 'Column "title:strin": unknown type "strin".'],
    ["title:text:notnul", 'Column "title:text:notnul": unknown modifier "notnul".'],
    ["Title:text", 'Column "Title:text": bad name "Title"'],
    ["a:text,,b:text", "--columns: entry 2 is empty"],
    ["a:text,a:integer", '--columns: column "a" is defined twice.'],
    ["n:integer:default=abc", 'Column "n:integer:default=abc": default=abc is not a number for type integer.'],
    ["u:integer:references=users", 'Column "u:integer:references=users": references=users must be <table>.<column>'],
    ["t:varchar(x)", 'Column "t:varchar(x)": bad parameters in "varchar(x)"'],
  ];
  it.each(cases)("%s", (spec, message) => {
    expect(() => parseColumnSpec(spec)).toThrow(UsageError);
    expect(() => parseColumnSpec(spec)).toThrow(message);
  });

  it("checks index flags against the columns", async () => {
    await refused({ ...USERS, index: ["nope"] }, '--index "nope": unknown column "nope".');
    await refused({ ...USERS, gin: ["email"] }, "--gin email: a GIN index needs an array or jsonb column.");
    await refused({ ...USERS, partialIndex: ["email"] }, '--partial-index "email": expected "<columns> where <condition>".');
    await refused({ ...USERS, columns: "createdAt:timestamp" }, '--columns defines "createdAt"');
  });

  it.each([
    ["../x", 'The table name "../x" looks like a path'],
    ["/abs", 'The table name "/abs" looks like a path'],
    ["class", 'The table name "class" is a reserved word'],
    ["index", "would shadow `index`"],
    ["relations", "would shadow `relations`"],
    ["9lives", "does not make a valid identifier"],
  ])("refuses the table name %j (exit 2)", async (name, message) => {
    await refused({ ...USERS, name }, message);
  });

  it("keeps SQL string literals of a partial-index condition as they are", async () => {
    const run = await apply({ ...BASE }, { name: "jobs", columns: "status:text:notNull", partialIndex: ["status where status = 'status'"] });
    expect(run.read("src/db/schema/jobs.ts")).toContain(".where(sql`${table.status} = 'status'`)");
  });

  it("refuses a numeric scale larger than its precision", () => {
    expect(() => parseColumnSpec("price:numeric(2,10)")).toThrow('the scale (10) is larger than the precision (2)');
  });

  it("requires columns, naming the flag", async () => {
    await refused({ name: "tags" }, "Missing the columns of tags.");
  });
});
