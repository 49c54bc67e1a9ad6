import { describe, expect, it } from "vitest";

import { serializeManifest } from "../../src/core/manifest.js";
import { UsageError } from "../../src/core/output/errors.js";
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

const USERS: RawInput = {
  name: "users",
  columns: "email:text:notNull,name:text:notNull",
  unique: ["email"],
  timestamps: true,
  migrate: false,
};
const POSTS: RawInput = {
  name: "posts",
  columns: "authorId:integer:notNull:references=users.id,title:varchar(255):notNull,status:text:notNull:default=draft",
  index: ["status,createdAt"],
  partialIndex: ["createdAt where deletedAt is null"],
  timestamps: true,
  softDelete: true,
};
const COMMENTS: RawInput = {
  name: "comments",
  columns: "postId:integer:notNull:references=posts.id,body:text:notNull,tags:text[]",
  gin: ["tags"],
  migrate: false,
};

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
  it("offers onDelete per foreign key, bigint as BigInt, and an updatedAt that every UPDATE moves", async () => {
    let files: Record<string, string> = { ...BASE };
    files = (await apply(files, USERS)).files;
    files = (
      await apply(files, {
        name: "likes",
        columns: "userId:integer:notNull:references=users.id:onDelete=cascade,views:bigint:notNull",
        timestamps: true,
        migrate: false,
      })
    ).files;
    const likes = files["src/db/schema/likes.ts"] ?? "";
    expect(likes).toContain(
      'userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),',
    );
    expect(likes).toContain('views: bigint("views", { mode: "bigint" }).notNull(),');
    expect(likes).toContain(".defaultNow().$onUpdate(() => sql`now()`),");
    expect(likes).toContain('import { relations, sql } from "drizzle-orm";');
    expect(() => parseColumnSpec("userId:integer:references=users.id:onDelete=explode")).toThrow(
      /onDelete=explode must be one of/,
    );
    expect(() => parseColumnSpec("userId:integer:notNull:references=users.id:onDelete=set null")).toThrow(
      /set null on a notNull column/,
    );
  });

  it("writes users, posts and comments with FK indexes, relations on both sides and the barrel", async () => {
    const files = await threeTables();
    const posts = files["src/db/schema/posts.ts"] ?? "";
    expect(posts).toContain('authorId: integer("author_id").notNull().references(() => users.id),');
    expect(posts).toContain('index("posts_author_id_idx").on(table.authorId, table.id),');
    expect(posts).toContain('index("posts_status_created_at_idx").on(table.status, table.createdAt),');
    expect(posts).toContain(
      'index("posts_created_at_partial_idx").on(table.createdAt).where(sql`${table.deletedAt} is null`),',
    );
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
    expect(comments).toContain('index("comments_post_id_idx").on(table.postId, table.id)');
    expect(comments).toContain('index("comments_tags_gin_idx").using("gin", table.tags)');
    expect(comments).toContain('tags: text("tags").array(),');
    expect(files["src/db/schema/index.ts"]).toBe(
      '// Barrel of table modules.\nexport * from "./users.js";\nexport * from "./posts.js";\nexport * from "./comments.js";\n',
    );
    expect({ users, posts, comments }).toMatchSnapshot();
  });

  it("returns drizzle-kit generate as a deferred task unless --no-migrate", async () => {
    const { result } = await apply(await threeTables(), POSTS);
    expect(result.tasks).toEqual([
      { kind: "script", packageManager: "npm", script: "db:generate", title: expect.any(String) as string },
    ]);
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

  it("gives a parent without relations() one beside its table, holding the new many()", async () => {
    const files = await threeTables();
    files["src/db/schema/users.ts"] = (files["src/db/schema/users.ts"] ?? "").replace(
      /export const usersRelations[\s\S]*$/,
      "",
    );
    const run = await apply(files, {
      name: "likes",
      columns: "userId:integer:notNull:references=users.id",
      migrate: false,
    });
    expect(run.read("src/db/schema/users.ts")).toContain(
      "export const usersRelations = relations(users, ({ many }) => ({\n  likes: many(likes),\n}));",
    );
    expect(run.read("src/db/schema/users.ts")).toContain('import { likes } from "./likes.js";');
  });

  it("names a missing parent table and what exists", async () => {
    await expect(apply({ ...BASE }, POSTS)).rejects.toMatchObject({ name: "UsageError" });
    const files = await threeTables();
    await expect(apply(files, { name: "likes", columns: "userId:integer:references=userz.id" })).rejects.toThrow(
      'no table "userz"',
    );
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
    ["n:integer:default=abc", 'Column "n:integer:default=abc": default=abc is not a number for type integer'],
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
    await refused(
      { ...USERS, partialIndex: ["email"] },
      '--partial-index "email": expected "<columns> where <condition>".',
    );
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
    const run = await apply(
      { ...BASE },
      { name: "jobs", columns: "status:text:notNull", partialIndex: ["status where status = 'status'"] },
    );
    expect(run.read("src/db/schema/jobs.ts")).toContain(".where(sql`${table.status} = 'status'`)");
  });

  it("refuses a numeric scale larger than its precision", () => {
    expect(() => parseColumnSpec("price:numeric(2,10)")).toThrow("the scale (10) is larger than the precision (2)");
  });

  it("requires columns, naming the flag", async () => {
    await refused({ name: "tags" }, "Missing the columns of tags.");
  });
});

describe("semantic checks: input that would make a broken project is exit 2, nothing staged", () => {
  it.each([
    ["a ; inside the condition", "createdAt where deletedAt is null; drop table users", 'unexpected ";"'],
    ["a comment", "createdAt where deletedAt is null -- x", "unexpected"],
    ["a function call", "createdAt where lower(status) = 'x'", '"lower" is not a column of the table'],
    ["an unknown column", "createdAt where nope is null", '"nope" is not a column of the table'],
    ["a template escape", "createdAt where status = '${x}'", "unexpected"],
    ["no column at all", "createdAt where 1 = 1", "names no column"],
    ["a dangling operator", "createdAt where status =", "the condition ends too early"],
  ])("refuses a partial-index condition with %s", async (_what, partialIndex, message) => {
    await refused(
      {
        ...POSTS,
        name: "jobs",
        columns: "status:text:notNull",
        timestamps: true,
        softDelete: true,
        index: [],
        partialIndex: [partialIndex],
      },
      message,
    );
  });

  it("accepts conditions of the safe grammar", async () => {
    const files = await threeTables();
    for (const condition of [
      "status in ('draft', 'it''s') and deletedAt is null",
      "not (status = 'x' or createdAt < createdAt)",
      "deletedAt is not null",
    ]) {
      const run = await apply(files, {
        name: "drafts",
        columns: "status:text:notNull",
        timestamps: true,
        softDelete: true,
        partialIndex: [`createdAt where ${condition}`],
        migrate: false,
      });
      expect(run.read("src/db/schema/drafts.ts")).toContain(".where(sql`");
    }
  });

  it("refuses a foreign key whose type differs from the referenced column, or that references a non-unique column", async () => {
    const files = await threeTables();
    await expect(apply(files, { name: "likes", columns: "userId:uuid:references=users.id" })).rejects.toThrow(
      "it is uuid, but users.id is integer",
    );
    await expect(apply(files, { name: "likes", columns: "userId:text:references=users.id" })).rejects.toThrow(
      "it is text, but users.id is integer",
    );
    await expect(apply(files, { name: "likes", columns: "userName:text:references=users.name" })).rejects.toThrow(
      "users.name is neither the primary key nor unique",
    );
    // A unique column (users.email has a unique index) can be referenced.
    const run = await apply(files, { name: "likes", columns: "userEmail:text:references=users.email", migrate: false });
    expect(run.read("src/db/schema/likes.ts")).toContain(".references(() => users.email)");
  });

  it("refuses PostgreSQL's limits: identifiers over 63 bytes, varchar and numeric sizes", async () => {
    await refused({ name: "t", columns: `${"a".repeat(64)}:text` }, "PostgreSQL identifiers are at most 63");
    await refused(
      {
        name: "orders",
        columns: "customerReferenceNumberForTheLegacyBillingSystem:text,warehouseLocationCode:text",
        index: ["customerReferenceNumberForTheLegacyBillingSystem,warehouseLocationCode"],
      },
      'The index name "orders_customer_reference',
    );
    await refused({ name: "t", columns: "x:varchar(10485761)" }, "longer than PostgreSQL allows");
    await refused({ name: "t", columns: "x:numeric(1001,2)" }, "above PostgreSQL's limit of 1000");
  });

  it("refuses names that shadow globals, and twins of an existing table", async () => {
    await refused({ name: "promises", columns: "x:text" }, "would export `Promise`, which shadows the global Promise");
    await refused({ name: "maps", columns: "x:text" }, "shadows the global Map");
    const files = await threeTables();
    await expect(apply(files, { name: "user", columns: "x:text" })).rejects.toThrow(
      "is a twin of the existing table users",
    );
    await expect(apply(files, { name: "Users", columns: "x:text" })).rejects.toThrow('Table "users" already exists');
  });

  it("refuses to regenerate an existing table with other columns (it would drop columns); the same input stays a no-op", async () => {
    const files = await threeTables();
    await expect(apply(files, { name: "users", columns: "email:text:notNull", migrate: false })).rejects.toThrow(
      'Table "users" already exists in src/db/schema/users.ts',
    );
    const again = await apply(files, USERS);
    expect(again.result.plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);
  });
});

describe("--add-columns: an AST edit of an existing table", () => {
  it("adds columns, the FK index, imports and relations on both sides, as edits of the two files", async () => {
    const files = await threeTables();
    const run = await apply(files, {
      name: "comments",
      addColumns: ["authorId:integer:references=users.id,edited:boolean:notNull:default=false"],
      migrate: false,
    });
    const comments = run.read("src/db/schema/comments.ts") ?? "";
    expect(comments).toContain('authorId: integer("author_id").references(() => users.id)');
    expect(comments).toContain('edited: boolean("edited").notNull().default(false)');
    expect(comments).toContain('index("comments_author_id_idx").on(table.authorId, table.id)');
    expect(comments).toMatch(/import \{ [^}]*boolean[^}]* \} from "drizzle-orm\/pg-core";/);
    expect(comments).toContain('import { users } from "./users.js";');
    expect(comments).toContain("author: one(users, { fields: [comments.authorId], references: [users.id] })");
    // The columns the table had are all still there.
    for (const kept of ['postId: integer("post_id")', 'body: text("body")', 'tags: text("tags").array()'])
      expect(comments).toContain(kept);
    expect(run.read("src/db/schema/users.ts")).toContain("comments: many(comments)");
    expect(run.changes).toEqual([
      "edit perf-backend.json",
      "edit src/db/schema/comments.ts",
      "edit src/db/schema/users.ts",
    ]);
    // Adding the same column again is refused rather than duplicated.
    await expect(apply(run.files, { name: "comments", addColumns: ["edited:boolean"] })).rejects.toThrow(
      'comments already has a column "edited"',
    );
  });

  it("a self-reference keeps .references() (AnyPgColumn) with a named parent/children pair; x:…:unique gets a unique index", async () => {
    const files = await threeTables();
    const run = await apply(files, {
      name: "comments",
      addColumns: ["replyToId:integer:references=comments.id,slug:text:unique"],
      migrate: false,
    });
    const comments = run.read("src/db/schema/comments.ts") ?? "";
    expect(comments).toContain('replyToId: integer("reply_to_id").references((): AnyPgColumn => comments.id)');
    expect(comments).toContain('import type { AnyPgColumn } from "drizzle-orm/pg-core";');
    expect(comments).toContain(
      'replyTo: one(comments, { fields: [comments.replyToId], references: [comments.id], relationName: "comments_reply_to" })',
    );
    expect(comments).toContain('children: many(comments, { relationName: "comments_reply_to" })');
    expect(comments).toContain('uniqueIndex("comments_slug_unique_idx").on(table.slug)');
    expect(comments).toMatch(/import \{ [^}]*uniqueIndex[^}]* \} from "drizzle-orm\/pg-core";/);
  });

  it("a second key to one table: both one() get a relationName shared with their many(); an unnamed existing pair is refused (exit 2)", async () => {
    const files = await threeTables();
    const run = await apply(files, {
      name: "comments",
      addColumns: ["authorId:integer:references=users.id,editorId:integer:references=users.id"],
      migrate: false,
    });
    const comments = run.read("src/db/schema/comments.ts") ?? "";
    expect(comments).toContain(
      'author: one(users, { fields: [comments.authorId], references: [users.id], relationName: "comments_author" })',
    );
    expect(comments).toContain(
      'editor: one(users, { fields: [comments.editorId], references: [users.id], relationName: "comments_editor" })',
    );
    const users = run.read("src/db/schema/users.ts") ?? "";
    expect(users).toContain('commentsAsAuthor: many(comments, { relationName: "comments_author" })');
    expect(users).toContain('commentsAsEditor: many(comments, { relationName: "comments_editor" })');
    expect(users).not.toContain("comments: many(comments)");
    // posts.authorId -> users has an unnamed pair: a second key would make Drizzle refuse both.
    await expect(
      apply(files, { name: "posts", addColumns: ["editorId:integer:references=users.id"], migrate: false }),
    ).rejects.toThrow("posts already has a relation to users (author) without a relationName");
  });

  it("says in the plan what the migration locks on the existing table and how it ships online", async () => {
    const files = await threeTables();
    const addAuthor = {
      name: "comments",
      addColumns: ["authorId:integer:references=users.id,edited:boolean:notNull:default=false"],
      migrate: false,
    };
    const online = await apply(
      { ...files, "package.json": JSON.stringify({ scripts: { "db:generate": "tsx src/db/migrate.ts generate" } }) },
      addAuthor,
    );
    const notes = online.result.notes.join("\n");
    expect(notes).toContain(
      "Migration of comments (an existing table, which may hold rows): ADD COLUMN author_id, edited takes an ACCESS EXCLUSIVE lock for an instant",
    );
    expect(notes).toContain(
      "FOREIGN KEY (author_id) and index comments_author_id_idx: A plain CREATE INDEX holds a SHARE lock on comments",
    );
    expect(notes).toContain(
      'marked "-- perf-backend:no-transaction": CREATE INDEX CONCURRENTLY IF NOT EXISTS and VALIDATE CONSTRAINT',
    );
    // A repo whose migrations are drizzle-kit's alone is told how to ship them by hand.
    const plain = (await apply(files, addAuthor)).result.notes.join("\n");
    expect(plain).toContain(
      "Before applying, move them to a migration of their own: CREATE INDEX CONCURRENTLY IF NOT EXISTS",
    );
    expect(plain).not.toContain("perf-backend:no-transaction");
    // No foreign key, no index: only the column note; a per-row default is called out.
    const uuid = (
      await apply(files, { name: "comments", addColumns: ["token:uuid:notNull:default=random"], migrate: false })
    ).result.notes.join("\n");
    expect(uuid).toContain("DEFAULT gen_random_uuid(): a per-row default rewrites comments");
    expect(uuid).not.toContain("CREATE INDEX");
  });

  it("refuses a column that exists, a table that does not, and other column flags beside it (exit 2)", async () => {
    const files = await threeTables();
    await expect(apply(files, { name: "comments", addColumns: ["body:text"] })).rejects.toThrow(
      'comments already has a column "body"',
    );
    await expect(apply(files, { name: "likes", addColumns: ["x:text"] })).rejects.toThrow(
      'there is no table "likes" to extend',
    );
    await refused(
      { name: "comments", addColumns: ["x:text"], columns: "y:text" },
      "--add-columns edits an existing table and takes no other column or index flags",
    );
  });
});

describe("existing repositories stay current: a new foreign key to their table", () => {
  // A users repository generated while nothing referenced users: its delete is one statement with no InUse error.
  const STALE_USERS_REPOSITORY = {
    "src/repositories/users-repository.ts": "// deleteUser: one statement.\nexport {};\n",
  };
  const LIKES: RawInput = { name: "likes", columns: "userId:integer:notNull:references=users.id", migrate: false };

  it("stops (exit 2, nothing staged) naming the repository, the key and the commands; proceeds when the database or the repository handles the rows", async () => {
    const files = { ...(await apply({ ...BASE }, USERS)).files, ...STALE_USERS_REPOSITORY };
    const error = await apply(files, LIKES).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain("src/repositories/users-repository.ts (likes.userId -> users)");
    expect((error as UsageError).hints.join("\n")).toContain("onDelete=cascade");
    expect((error as UsageError).hints.join("\n")).toContain(
      "--allow-stale-repositories, then regenerate the repository so its delete refuses with UserInUseError or removes the rows (--cascade likes): npx create-perf-backend generate repository users",
    );
    // The database removes the rows itself: the repository's plain delete stays right.
    const cascaded = await apply(files, {
      ...LIKES,
      columns: "userId:integer:notNull:references=users.id:onDelete=cascade",
    });
    expect(cascaded.read("src/db/schema/likes.ts")).toContain('onDelete: "cascade"');
    // A repository that already turns 23503 into its InUse error refuses the new rows' users as well.
    const refusing = {
      ...files,
      "src/repositories/users-repository.ts": "export class UserInUseError extends Error {}\n",
    };
    expect((await apply(refusing, LIKES)).read("src/db/schema/likes.ts")).toContain("references(() => users.id)");
    // Asked for: written, and the plan says which repository to regenerate.
    const allowed = await apply(files, { ...LIKES, allowStaleRepositories: true });
    expect(allowed.result.notes.join("\n")).toContain(
      "src/repositories/users-repository.ts predates likes.userId: regenerate it (generate repository users",
    );
    // The same table generated again: the key it already had is not new.
    expect(
      (await apply({ ...allowed.files }, LIKES)).result.plan.entries.filter((entry) => entry.action !== "unchanged"),
    ).toEqual([]);
  });

  it("--add-columns: a new key to a table with a stale repository stops too; a soft-delete parent never deletes", async () => {
    const files = { ...(await threeTables()), ...STALE_USERS_REPOSITORY };
    await expect(
      apply(files, { name: "comments", addColumns: ["editorId:integer:references=users.id"], migrate: false }),
    ).rejects.toThrow("(comments.editorId -> users)");
    const softDeleteParent = { ...files, "src/repositories/posts-repository.ts": "export {};\n" };
    const favorite = await apply(softDeleteParent, {
      name: "users",
      addColumns: ["favoritePostId:integer:references=posts.id"],
      migrate: false,
    });
    expect(favorite.read("src/db/schema/users.ts")).toContain("references(() => posts.id)");
  });

  it("--add-columns: a new self-reference makes the table's own repository stale (its delete meets 23503 from its own rows)", async () => {
    const files = { ...(await threeTables()), ...STALE_USERS_REPOSITORY };
    await expect(
      apply(files, { name: "users", addColumns: ["managerId:integer:references=users.id"], migrate: false }),
    ).rejects.toThrow("src/repositories/users-repository.ts (users.managerId -> users)");
    // The database nulls the key itself: the plain delete stays right.
    const nulled = await apply(files, {
      name: "users",
      addColumns: ["managerId:integer:references=users.id:onDelete=set null"],
      migrate: false,
    });
    expect(nulled.read("src/db/schema/users.ts")).toContain("managerId");
  });
});

describe("self-references and several foreign keys to one table", () => {
  it("a self-reference: AnyPgColumn callback, parent one() and children many() sharing a relationName, an FK index", async () => {
    const run = await apply(
      { ...BASE },
      { name: "categories", columns: "name:text:notNull,parentId:integer:references=categories.id", migrate: false },
    );
    const categories = run.read("src/db/schema/categories.ts") ?? "";
    expect(categories).toContain('parentId: integer("parent_id").references((): AnyPgColumn => categories.id)');
    expect(categories).toContain('import type { AnyPgColumn } from "drizzle-orm/pg-core";');
    expect(categories).toContain(
      'parent: one(categories, { fields: [categories.parentId], references: [categories.id], relationName: "categories_parent" })',
    );
    expect(categories).toContain('children: many(categories, { relationName: "categories_parent" })');
    expect(categories).toContain('index("categories_parent_id_idx").on(table.parentId, table.id)');
    const again = await apply(run.files, {
      name: "categories",
      columns: "name:text:notNull,parentId:integer:references=categories.id",
      migrate: false,
    });
    expect(again.result.plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);
  });

  it("two keys to users: each one() and its many() on users share a relationName; both columns are indexed", async () => {
    const files = await threeTables();
    const run = await apply(files, {
      name: "reviews",
      columns: "authorId:integer:notNull:references=users.id,reviewerId:integer:notNull:references=users.id",
      migrate: false,
    });
    const reviews = run.read("src/db/schema/reviews.ts") ?? "";
    expect(reviews).toContain(
      'author: one(users, { fields: [reviews.authorId], references: [users.id], relationName: "reviews_author" })',
    );
    expect(reviews).toContain(
      'reviewer: one(users, { fields: [reviews.reviewerId], references: [users.id], relationName: "reviews_reviewer" })',
    );
    expect(reviews).toContain('index("reviews_author_id_idx")');
    expect(reviews).toContain('index("reviews_reviewer_id_idx")');
    const users = run.read("src/db/schema/users.ts") ?? "";
    expect(users).toContain('reviewsAsAuthor: many(reviews, { relationName: "reviews_author" })');
    expect(users).toContain('reviewsAsReviewer: many(reviews, { relationName: "reviews_reviewer" })');
  });
});

describe("--key bigint: an int8 identity key read as a BigInt", () => {
  const EVENTS: RawInput = {
    name: "pageViews",
    key: "bigint",
    columns: "userId:integer:notNull:references=users.id,kind:text:notNull",
    migrate: false,
  };

  it("writes a bigint identity key in bigint mode, without importing integer it no longer uses", async () => {
    let files: Record<string, string> = { ...BASE };
    files = (await apply(files, { name: "tags", key: "bigint", columns: "label:text:notNull", migrate: false })).files;
    const tags = files["src/db/schema/tags.ts"] ?? "";
    expect(tags).toContain('id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),');
    expect(tags).toContain('import { bigint, pgTable, text } from "drizzle-orm/pg-core";');
    // The default stays int4.
    files = (await apply(files, USERS)).files;
    expect(files["src/db/schema/users.ts"]).toContain('id: integer("id").primaryKey().generatedAlwaysAsIdentity(),');
    await refused({ name: "tags", key: "uuid", columns: "label:text" }, "--key");
  });

  it("foreign keys to it are bigint columns in its mode, indexed with the key; an integer one is refused with the fix", async () => {
    let files: Record<string, string> = { ...BASE };
    for (const raw of [USERS, EVENTS]) files = (await apply(files, raw)).files;
    await expect(
      apply(files, { name: "viewTags", columns: "pageViewId:integer:notNull:references=pageViews.id", migrate: false }),
    ).rejects.toThrow("it is integer, but pageViews.id is bigint; a foreign key needs the same type on both sides");
    const run = await apply(files, {
      name: "viewTags",
      columns: "pageViewId:bigint:notNull:references=pageViews.id,label:text:notNull",
      migrate: false,
    });
    const viewTags = run.read("src/db/schema/view-tags.ts") ?? "";
    expect(viewTags).toContain(
      'pageViewId: bigint("page_view_id", { mode: "bigint" }).notNull().references(() => pageViews.id),',
    );
    expect(viewTags).toContain('index("view_tags_page_view_id_idx").on(table.pageViewId, table.id)');
    // A partial index may compare the bigint key.
    await apply(files, {
      name: "audits",
      key: "bigint",
      columns: "note:text",
      partialIndex: ["note where id > 0"],
      migrate: false,
    });
  });

  it('a bigint key referenced as a number (a repo\'s own mode: "number" table) gives the foreign key that mode', async () => {
    const files = {
      ...BASE,
      "src/db/schema/index.ts": 'export * from "./ledgers.js";\n',
      "src/db/schema/ledgers.ts": [
        'import { bigint, pgTable, text } from "drizzle-orm/pg-core";',
        "",
        'export const ledgers = pgTable("ledgers", {',
        '  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),',
        '  name: text("name").notNull(),',
        "});",
        "",
      ].join("\n"),
    };
    const run = await apply(files, {
      name: "entries",
      columns: "ledgerId:bigint:notNull:references=ledgers.id,amount:bigint:notNull",
      migrate: false,
    });
    const entries = run.read("src/db/schema/entries.ts") ?? "";
    expect(entries).toContain(
      'ledgerId: bigint("ledger_id", { mode: "number" }).notNull().references(() => ledgers.id),',
    );
    // A column that references nothing keeps the exact mode.
    expect(entries).toContain('amount: bigint("amount", { mode: "bigint" }).notNull(),');
  });

  it("a self-reference takes the key's type; --add-columns takes no --key and follows the table's key", async () => {
    const run = await apply(
      { ...BASE },
      {
        name: "folders",
        key: "bigint",
        columns: "name:text:notNull,parentId:bigint:references=folders.id",
        migrate: false,
      },
    );
    expect(run.read("src/db/schema/folders.ts")).toContain(
      'parentId: bigint("parent_id", { mode: "bigint" }).references((): AnyPgColumn => folders.id),',
    );
    await expect(
      apply(
        { ...BASE },
        { name: "folders", key: "bigint", columns: "parentId:integer:references=folders.id", migrate: false },
      ),
    ).rejects.toThrow("a self-reference must be parentId:bigint:references=folders.id");
    await expect(
      apply(run.files, { name: "folders", addColumns: ["ownerId:integer:references=folders.id"], migrate: false }),
    ).rejects.toThrow("a self-reference must be ownerId:bigint:references=folders.id");
    const extended = await apply(run.files, {
      name: "folders",
      addColumns: ["movedFromId:bigint:references=folders.id"],
      migrate: false,
    });
    expect(extended.read("src/db/schema/folders.ts")).toContain(
      'movedFromId: bigint("moved_from_id", { mode: "bigint" })',
    );
    await refused(
      { name: "folders", addColumns: ["x:text"], key: "bigint" },
      "--add-columns edits an existing table and takes no other column or index flags",
    );
  });
});
