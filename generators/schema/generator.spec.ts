import { describe, expect, it } from "vitest";

import type { ProjectContext } from "../../src/core/detect.js";
import { UsageError } from "../../src/core/errors.js";
import { GenerationError } from "../../src/core/errors.js";
import type { RawInput } from "../../src/core/generator-definition.js";
import { createMemoryHost } from "../../src/core/host.js";
import { createPlan } from "../../src/core/plan.js";
import { Tree } from "../../src/core/tree.js";
import { DEFAULT_LAYOUT } from "../app/layout.js";
import { parseColumnSpec } from "./column-spec.js";
import { schemaGenerator } from "./generator.js";
import { normalizeSchemaOptions } from "./options.js";

const PROJECT = { manifest: { version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: {} }, packageManager: "npm" } as unknown as ProjectContext;
const BASE = { "src/db/schema/index.ts": "// Barrel of table modules.\nexport {};\n", "package.json": "{}\n" };

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

/** Runs the generator and returns a host holding the result, as the next run would see the disk. */
async function apply(files: Record<string, string>, raw: RawInput): Promise<{ files: Record<string, string>; tree: Tree; result: Awaited<ReturnType<typeof schemaGenerator>> }> {
  const tree = new Tree(createMemoryHost(files));
  const result = await schemaGenerator(tree, normalizeSchemaOptions(raw, PROJECT));
  const next = { ...files };
  for (const change of tree.changes()) next[change.path] = change.content;
  return { files: next, tree, result };
}

async function threeTables(): Promise<Record<string, string>> {
  let files: Record<string, string> = { ...BASE };
  for (const raw of [USERS, POSTS, COMMENTS]) files = (await apply(files, raw)).files;
  return files;
}

describe("schemaGenerator", () => {
  it("offers onDelete per foreign key, bigint as BigInt, and an updatedAt that every UPDATE moves", async () => {
    let files: Record<string, string> = { ...BASE };
    files = (await apply(files, USERS)).files;
    files = (await apply(files, { name: "likes", columns: "userId:integer:notNull:references=users.id:onDelete=cascade,views:bigint:notNull", timestamps: true, migrate: false })).files;
    const likes = files["src/db/schema/likes.ts"] ?? "";
    expect(likes).toContain('userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),');
    expect(likes).toContain('views: bigint("views", { mode: "bigint" }).notNull(),');
    expect(likes).toContain('.defaultNow().$onUpdate(() => sql`now()`),');
    expect(likes).toContain('import { relations, sql } from "drizzle-orm";');
    expect(() => parseColumnSpec("userId:integer:references=users.id:onDelete=explode")).toThrow(/onDelete=explode must be one of/);
    expect(() => parseColumnSpec("userId:integer:notNull:references=users.id:onDelete=set null")).toThrow(/set null on a notNull column/);
  });

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
      const { tree } = await apply(files, raw);
      const plan = createPlan(tree, { policy: "abort" });
      expect(plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);
    }
  });

  it("fails with a GenerationError naming the file when the parent has no relations()", async () => {
    const files = await threeTables();
    files["src/db/schema/users.ts"] = (files["src/db/schema/users.ts"] ?? "").replace(/export const usersRelations[\s\S]*$/, "");
    await expect(apply(files, { name: "likes", columns: "userId:integer:notNull:references=users.id" })).rejects.toThrow(GenerationError);
    await expect(apply(files, { name: "likes", columns: "userId:integer:notNull:references=users.id" })).rejects.toThrow(/src\/db\/schema\/users\.ts/);
  });

  it("names a missing parent table and what exists", async () => {
    await expect(apply({ ...BASE }, POSTS)).rejects.toThrow(UsageError);
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

  it("checks index flags against the columns", () => {
    expect(() => normalizeSchemaOptions({ ...USERS, index: ["nope"] }, PROJECT)).toThrow('--index "nope": unknown column "nope".');
    expect(() => normalizeSchemaOptions({ ...USERS, gin: ["email"] }, PROJECT)).toThrow("--gin email: a GIN index needs an array or jsonb column.");
    expect(() => normalizeSchemaOptions({ ...USERS, partialIndex: ["email"] }, PROJECT)).toThrow('--partial-index "email": expected "<columns> where <condition>".');
    expect(() => normalizeSchemaOptions({ ...USERS, columns: "createdAt:timestamp" }, PROJECT)).toThrow('--columns defines "createdAt"');
  });

  it.each([
    ["../x", 'The table name "../x" looks like a path'],
    ["/abs", 'The table name "/abs" looks like a path'],
    ["class", 'The table name "class" is a reserved word'],
    ["index", "would shadow `index`"],
    ["relations", "would shadow `relations`"],
    ["9lives", "does not make a valid identifier"],
  ])("refuses the table name %j (exit 2)", (name, message) => {
    expect(() => normalizeSchemaOptions({ ...USERS, name }, PROJECT)).toThrow(UsageError);
    expect(() => normalizeSchemaOptions({ ...USERS, name }, PROJECT)).toThrow(message);
  });

  it("keeps SQL string literals of a partial-index condition as they are", async () => {
    const { tree } = await apply({ ...BASE }, { name: "jobs", columns: "status:text:notNull", partialIndex: ["status where status = 'status'"] });
    expect(tree.read("src/db/schema/jobs.ts")).toContain(".where(sql`${table.status} = 'status'`)");
  });

  it("refuses a numeric scale larger than its precision", () => {
    expect(() => parseColumnSpec("price:numeric(2,10)")).toThrow('the scale (10) is larger than the precision (2)');
  });

  it("requires columns, naming the flag", () => {
    expect(() => normalizeSchemaOptions({ name: "tags" }, PROJECT)).toThrow("Missing the columns of tags.");
  });
});
