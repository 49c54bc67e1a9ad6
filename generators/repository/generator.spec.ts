import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../../src/core/host.js";
import { serializeManifest } from "../../src/core/manifest.js";
import { Tree } from "../../src/core/tree.js";
import { readProjectSchema } from "../../src/devkit/index.js";
import type { RawInput } from "../../src/devkit/index.js";
import { DEFAULT_LAYOUT } from "../app/layout.js";
import { runGenerator } from "../testing.js";
import { withChoices } from "./relation-paths.js";

const TABLES: RawInput[] = [
  {
    name: "users",
    columns: "email:text:notNull,name:text:notNull",
    unique: ["email"],
    timestamps: true,
    migrate: false,
  },
  { name: "posts", columns: "authorId:integer:notNull:references=users.id,title:varchar(255):notNull", migrate: false },
  { name: "comments", columns: "postId:integer:notNull:references=posts.id,body:text:notNull", migrate: false },
];

async function schemaFiles(tables: readonly RawInput[] = TABLES): Promise<Record<string, string>> {
  let files: Record<string, string> = {
    "src/db/schema/index.ts": "export {};\n",
    "package.json": '{\n  "dependencies": {}\n}\n',
    "perf-backend.json": serializeManifest({ version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: {} }),
  };
  for (const raw of tables) files = (await runGenerator("schema", raw, files)).files;
  return files;
}

function generate(files: Record<string, string>, raw: RawInput) {
  return runGenerator("repository", raw, files, { packageManager: "pnpm" });
}

describe("repositoryGenerator", () => {
  it("offers the relation paths the schema declares", async () => {
    const schema = (await readProjectSchema(new Tree(createMemoryHost(await schemaFiles())), DEFAULT_LAYOUT)).tables;
    expect(withChoices(schema, "users")).toEqual(["posts", "posts.comments"]);
    expect(withChoices(schema, "posts")).toEqual(["author", "comments"]);
  });

  // Issue 22 item 9: the hint said `npx vitest run src/...` while the test was written to test/.
  it("names the test where the layout put it (testsDir) in its next step", async () => {
    const files = await schemaFiles();
    const layout = { ...DEFAULT_LAYOUT, testsDir: "test" };
    const moved = {
      ...files,
      "perf-backend.json": serializeManifest({ version: 1, generatedBy: "test", layout, files: {} }),
    };
    const { files: written, result } = await generate(moved, { name: "users" });
    expect(written["test/repositories/users-repository.test.ts"]).toBeDefined();
    expect(result.nextSteps.join("\n")).toContain("npx vitest run test/repositories/users-repository.test.ts");
    expect(result.nextSteps.join("\n")).not.toContain("src/repositories/users-repository.test.ts");
  });

  it("offers no path whose Drizzle subquery alias PostgreSQL would cut at 63 bytes", async () => {
    // 50 bytes: `<root>_posts` is 56 bytes, `<root>_posts_comments` 65.
    const root = "organizationalUnitsWithAVeryLongDescriptiveNameAbc";
    const files = await schemaFiles([
      { name: root, columns: "name:text:notNull", migrate: false },
      { name: "posts", columns: `ownerId:integer:notNull:references=${root}.id,title:text:notNull`, migrate: false },
      { name: "comments", columns: "postId:integer:notNull:references=posts.id,body:text:notNull", migrate: false },
    ]);
    const schema = (await readProjectSchema(new Tree(createMemoryHost(files)), DEFAULT_LAYOUT)).tables;
    expect(root).toHaveLength(50);
    expect(withChoices(schema, root)).toEqual(["posts"]);
    expect(withChoices(schema, "posts")).toEqual(["owner", "comments"]);
  });

  it("renders an eager, keyset-paginated repository with a refusing delete and a statement-counting test", async () => {
    const { files, result } = await generate(await schemaFiles(), { name: "users", with: "posts.comments" });
    const repository = files["src/repositories/users-repository.ts"] ?? "";
    // Every many() child is bounded (limit + 1 rows: the extra one says hasMore) and ordered by its key (named limits).
    expect(repository).toContain(
      '(select * from ${posts} "users_posts" where ${eagerUsersPosts.authorId} = ${users.id} order by ${eagerUsersPosts.id} limit ${POSTS_LIMIT} + 1)',
    );
    expect(repository).toContain("(rows.length > POSTS_COMMENTS_LIMIT ? rows.slice(0, POSTS_COMMENTS_LIMIT) : rows)");
    // Dates travel as epoch milliseconds; the DataLoader's batch is prepared once, like the eager reads.
    expect(repository).toContain("sql`floor(extract(epoch from ${column}) * 1000)`");
    expect(repository).toContain('loadByIds ??= loadByIdsQuery(reader).prepare(statementName("users_load_by_ids"));');
    expect(repository).toContain('count(*) > ${POSTS_LIMIT} as "has_more"');
    // A nested relation's hasMore is the count of its limit + 1 rows, not a column of the SQL.
    expect(repository).not.toContain('count(*) > ${POSTS_COMMENTS_LIMIT} as "has_more"');
    expect(repository).toContain("item.commentsHasMore = (row[next] as unknown[]).length > POSTS_COMMENTS_LIMIT;");
    // Positional JSON per level, built into objects by one mapper per level; the page is cut by the budget.
    expect(repository).toContain("item.comments = mapUsersPostsComments(row[next]);");
    expect(repository).toContain(
      "type UsersPosts = Array<typeof posts.$inferSelect & { comments: UsersPostsComments; commentsHasMore: boolean }>;",
    );
    expect(repository).toContain("export const MAX_EAGER_ROWS_PER_CALL = 10_000;");
    expect(repository).toContain("const items = withinBudget(rows, pageSize);");
    expect(repository).toContain("export const POSTS_COMMENTS_LIMIT = 50;");
    expect(repository).toContain('import { comments, posts, users } from "../db/schema/index.js";');
    // No --cascade: the delete removes the user only, and PostgreSQL's refusal (posts, comments) becomes UserInUseError.
    expect(repository).not.toContain("tx.delete(");
    expect(repository).toContain("onDelete cascade (posts.authorId)");
    expect(repository).toContain(
      "return sqlState(error) === FOREIGN_KEY_VIOLATION ? new UserInUseError(id, error) : error;",
    );
    expect(repository).toContain("export const MAX_PAGE_SIZE = 100;");
    // An int4 key: ids outside its range are answered null before any SQL (a DataLoader batch keeps its other loads).
    expect(repository).toContain("const MAX_ID_KEY = 2_147_483_647;");
    expect(repository).toContain("const ids = requested.filter(isStorableId);");
    expect(repository).toContain('.prepare(statementName("users_find_by_id"))');
    expect(repository).toContain("{ maxBatchSize: LOADER_MAX_BATCH_SIZE }");
    const test = files["src/repositories/users-repository.test.ts"] ?? "";
    expect(test).toContain(
      "Array.from({ length: SEED_ROWS }, (_, index) => ({ email: `email-${RUN_ID}-${index}`, name: `name-${index}` }))",
    );
    expect(test).toContain(
      "userRows.flatMap((parent) => Array.from({ length: CHILDREN_PER_PARENT }, (_, index) => ({ authorId: parent.id, title: `title-${parent.id}-${index}` })))",
    );
    expect(test).toContain("expect(result?.posts).toHaveLength(CHILDREN_PER_PARENT);");
    expect(test).toContain("const patch = { email: `email-${RUN_ID}-updated` };");
    expect(files["src/repositories/index.ts"]).toContain('from "./users-repository.js";');
    expect(files["src/repositories/index.ts"]).not.toContain("export *");
    expect(JSON.parse(files["package.json"] ?? "{}")).toEqual({ dependencies: { dataloader: "2.2.3" } });
    expect(result.tasks).toEqual([{ kind: "install", packageManager: "pnpm" }]);
    expect({ repository, test, barrel: files["src/repositories/index.ts"] }).toMatchSnapshot();
  });

  it("pins statement counts with the project's expectStatements, or a local stand-in where the project predates it", async () => {
    const withHelper = { ...(await schemaFiles()), "src/observability/expect-statements.ts": "export {};\n" };
    const measured =
      (await generate(withHelper, { name: "users", with: "posts.comments" })).files[
        "src/repositories/users-repository.test.ts"
      ] ?? "";
    expect(measured).toContain('import { expectStatements } from "../observability/expect-statements.js";');
    expect(measured).not.toContain("async function expectStatements");
    expect(measured).toContain("const result = await expectStatements(() => repository.findUserById(target.id), 1);");
    const standIn =
      (await generate(await schemaFiles(), { name: "users", with: "posts.comments" })).files[
        "src/repositories/users-repository.test.ts"
      ] ?? "";
    expect(standIn).not.toContain("import { expectStatements }");
    expect(standIn).toContain("async function expectStatements<T>(work: () => Promise<T>, max: number): Promise<T> {");
  });

  it("deletes only the --cascade tables (deepest first) and refuses the rest; the test expects the refusal", async () => {
    const { files } = await generate(await schemaFiles(), { name: "users", cascade: "posts,comments" });
    const repository = files["src/repositories/users-repository.ts"] ?? "";
    expect(repository).toContain("await tx.delete(posts).where(eq(posts.authorId, id));");
    expect(repository).toContain("await tx.delete(comments).where(inArray(comments.postId,");
    expect(repository.indexOf("tx.delete(comments)")).toBeLessThan(repository.indexOf("tx.delete(posts)"));
    expect(repository).not.toContain("InUseError");
    expect(files["src/repositories/users-repository.test.ts"]).toContain(
      "deletes a user that other tables reference, with those rows",
    );

    // posts alone: comments on the user's posts may be other users' rows; the delete must not remove them.
    const partial = await generate(await schemaFiles(), { name: "users", cascade: "posts" });
    const partialRepository = partial.files["src/repositories/users-repository.ts"] ?? "";
    expect(partialRepository).toContain("await tx.delete(posts).where(eq(posts.authorId, id));");
    expect(partialRepository).not.toContain("tx.delete(comments)");
    expect(partialRepository).toContain("throw refusedDelete(id, error);");
    // No --cascade: the direct references are refused, and the generated test expects that refusal.
    const refusingTest =
      (await generate(await schemaFiles(), { name: "users" })).files["src/repositories/users-repository.test.ts"] ?? "";
    expect(refusingTest).toContain(
      "refuses to delete a user that rows of other tables still reference: nothing is deleted",
    );
    expect(refusingTest).toContain("rejects.toBeInstanceOf(UserInUseError)");
    expect(refusingTest).not.toContain("with those rows, in one transaction");
  });

  it("refuses a --cascade table that does not reference the entity, or is soft-delete, or the entity's own", async () => {
    const files = await schemaFiles();
    await expect(generate(files, { name: "posts", cascade: "users" })).rejects.toThrow(
      "--cascade users: no row of it references posts",
    );
    await expect(generate(files, { name: "users", cascade: "users" })).rejects.toThrow(
      "--cascade users: that is the entity's own table",
    );
    const soft = await schemaFiles([
      TABLES[0]!,
      {
        name: "posts",
        columns: "authorId:integer:notNull:references=users.id,title:text:notNull",
        softDelete: true,
        migrate: false,
      },
    ]);
    await expect(generate(soft, { name: "users", cascade: "posts" })).rejects.toThrow(
      "--cascade posts: posts is soft-delete",
    );
    await expect(generate(soft, { name: "posts", cascade: "users" })).rejects.toThrow(
      "--cascade: posts is soft-delete",
    );
  });

  it("leaves keys with onDelete cascade to the database; a soft-delete table updates deletedAt and filters every read", async () => {
    const cascading = await schemaFiles([
      TABLES[0]!,
      {
        name: "posts",
        columns: "authorId:integer:notNull:references=users.id:onDelete=cascade,title:text:notNull",
        softDelete: true,
        migrate: false,
      },
    ]);
    const users = (await generate(cascading, { name: "users" })).files["src/repositories/users-repository.ts"] ?? "";
    expect(users).not.toContain("tx.delete(posts)");
    const posts = (await generate(cascading, { name: "posts" })).files["src/repositories/posts-repository.ts"] ?? "";
    expect(posts).toContain(".set({ deletedAt: sql`now()` })");
    expect(posts).toContain('.where(and(eq(posts.id, sql.placeholder("id")), isNull(posts.deletedAt)))');
    expect(posts).toContain(".where(isNull(posts.deletedAt))");
    expect(posts).toContain('export type PostPatch = Partial<Omit<NewPost, "id" | "deletedAt">>;');
  });

  it("seeds required parents first for a child entity and skips owned deletes without many()", async () => {
    const { files } = await generate(await schemaFiles(), { name: "comments", with: "post.author" });
    const repository = files["src/repositories/comments-repository.ts"] ?? "";
    expect(repository).not.toContain("withTransaction(");
    const test = files["src/repositories/comments-repository.test.ts"] ?? "";
    expect(test.indexOf("userRows = await")).toBeLessThan(test.indexOf("postRows = await"));
    expect(test.indexOf("postRows = await")).toBeLessThan(test.indexOf("commentRows = await"));
    expect(test).toContain("postId: postRows[0]!.id");
  });

  it("serves a bigint-keyed table (--key bigint) with BigInt ids: range check, cursors, loader keys and the 2^53 + 1 row in its test", async () => {
    const files = await schemaFiles([
      TABLES[0] ?? {},
      {
        name: "pageViews",
        key: "bigint",
        columns: "userId:integer:notNull:references=users.id,path:text:notNull",
        migrate: false,
      },
      {
        name: "viewTags",
        columns: "pageViewId:bigint:notNull:references=pageViews.id,label:text:notNull",
        migrate: false,
      },
    ]);
    const { files: generated } = await generate(files, { name: "pageViews", with: "viewTags" });
    const repository = generated["src/repositories/page-views-repository.ts"] ?? "";
    expect(repository).toContain('export type PageViewId = PageView["id"];');
    expect(repository).toContain("// The key column is bigint (int8, read as a BigInt):");
    expect(repository).toContain("const MAX_ID_KEY = 9_223_372_036_854_775_807n;");
    expect(repository).toContain('return typeof id === "bigint" && id >= MIN_ID_KEY && id <= MAX_ID_KEY;');
    expect(repository).toContain("if (!isStorableId(cursor)) throw new RangeError(");
    // Ids from text (URLs, the decimal strings replies send BigInts as) without a throwing BigInt("abc").
    expect(repository).toContain("const id = ID_KEY_PATTERN.test(text) ? BigInt(text) : undefined;");
    expect(generated["src/repositories/index.ts"]).toContain("parsePageViewId");
    const test = generated["src/repositories/page-views-repository.test.ts"] ?? "";
    expect(test).toContain("const beyondDouble = 9_007_199_254_740_993n;");
    expect(test).toContain(".overridingSystemValue()");
    expect(test).toContain(
      "const invalidIds: PageViewId[] = [9_223_372_036_854_775_808n, -9_223_372_036_854_775_809n];",
    );
    expect(test).toContain("expect(await repository.findPageViewById(-1n)).toBeNull();");
    // An int4 key has no such row in its test.
    const users = (await generate(files, { name: "users" })).files["src/repositories/users-repository.test.ts"] ?? "";
    expect(users).not.toContain("beyondDouble");
    expect(users).toContain("const invalidIds: UserId[] = [2_147_483_648, -2_147_483_649, Number.NaN, 1.5];");
  });

  it("is idempotent and adds no second install", async () => {
    const { files } = await generate(await schemaFiles(), { name: "users", with: "posts.comments" });
    const again = await generate(files, { name: "users", with: "posts,posts.comments" });
    expect(again.result.plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);
    expect(again.result.tasks).toEqual([]);
  });

  it("names what exists for an unknown table or relation", async () => {
    const files = await schemaFiles();
    await expect(generate(files, { name: "userz" })).rejects.toMatchObject({ name: "UsageError" });
    await expect(generate(files, { name: "userz" })).rejects.toThrow(
      'There is no table "userz" in src/db/schema (tables: comments, posts, users).',
    );
    await expect(generate(files, { name: "users", with: "posts.coments" })).rejects.toThrow(
      '--with posts.coments: users.posts (table posts) has no relation "coments" (relations: author, comments).',
    );
    await expect(generate(files, { name: "users", with: "postz" })).rejects.toThrow(
      'users has no relation "postz" (relations: posts)',
    );
    await expect(generate(files, { name: "users", with: "posts..x" })).rejects.toThrow(
      '--with: "posts..x" is not a relation path',
    );
  });
});
