import { describe, expect, it } from "vitest";

import { serializeManifest } from "../../src/core/manifest.js";
import { exitCodeFor } from "../../src/core/output/exit-codes.js";
import type { RawInput } from "../../src/devkit/index.js";
import { DEFAULT_LAYOUT } from "../app/layout.js";
import { runGenerator } from "../testing.js";

const RELATIONS_FILE = "src/db/schema/relations.ts";
// A project `create --drizzle 1` made: drizzle-orm 1.0 declared, an empty defineRelations beside the barrel.
const V1_BASE = {
  "src/db/schema/index.ts": "// Barrel of table modules.\nexport {};\n",
  [RELATIONS_FILE]: `import { defineRelations } from "drizzle-orm";\n\nimport * as schema from "./index.js";\n\nexport const relations = defineRelations(schema, () => ({}));\n`,
  "package.json": `${JSON.stringify({ dependencies: { "drizzle-orm": "1.0.0-rc.5" } })}\n`,
  "perf-backend.json": serializeManifest({ version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: {} }),
};

const TABLES: RawInput[] = [
  { name: "users", columns: "email:text:notNull", migrate: false },
  { name: "posts", columns: "authorId:integer:notNull:references=users.id,title:text:notNull", migrate: false },
  { name: "comments", columns: "postId:integer:notNull:references=posts.id,body:text:notNull", migrate: false },
  // A self-reference and two keys to one table: an alias shared by both sides.
  { name: "categories", columns: "name:text:notNull,parentId:integer:references=categories.id", migrate: false },
  {
    name: "reviews",
    columns: "authorId:integer:notNull:references=users.id,reviewerId:integer:notNull:references=users.id",
    migrate: false,
  },
];

async function v1Project(): Promise<Record<string, string>> {
  let files: Record<string, string> = { ...V1_BASE };
  for (const raw of TABLES) files = (await runGenerator("schema", raw, files)).files;
  return files;
}

describe("generators on a drizzle-orm 1.0 project", () => {
  it("schema: relations are entries of the project's defineRelations, never v0 relations(); the same run again changes nothing", async () => {
    const files = await v1Project();
    const relations = files[RELATIONS_FILE] ?? "";
    expect(relations).toContain("export const relations = defineRelations(schema, (r) => ({");
    for (const entry of [
      "author: r.one.users({ from: r.posts.authorId, to: r.users.id }),",
      "posts: r.many.posts(),",
      "post: r.one.posts({ from: r.comments.postId, to: r.posts.id }),",
      "comments: r.many.comments(),",
      'parent: r.one.categories({ from: r.categories.parentId, to: r.categories.id, alias: "categories_parent" }),',
      'children: r.many.categories({ alias: "categories_parent" }),',
      'author: r.one.users({ from: r.reviews.authorId, to: r.users.id, alias: "reviews_author" }),',
      'reviewsAsReviewer: r.many.reviews({ alias: "reviews_reviewer" }),',
    ]) {
      expect(relations).toContain(entry);
    }
    for (const table of ["users", "posts", "comments", "categories", "reviews"]) {
      const source = files[`src/db/schema/${table}.ts`] ?? "";
      expect(source).not.toMatch(/\brelations\b/);
      expect(source).not.toContain('from "drizzle-orm";');
    }
    // The parent's file imports no child: 1.0's relations file imports the whole schema.
    expect(files["src/db/schema/users.ts"]).not.toMatch(/from "\.\/(?:posts|comments|reviews)\.js"/);
    for (const raw of TABLES) {
      expect((await runGenerator("schema", raw, files)).changes).toEqual([]);
    }
  });

  it("schema --add-columns: the new key's r.one and the parent's r.many join the same defineRelations", async () => {
    let files = await v1Project();
    files = (
      await runGenerator(
        "schema",
        { name: "comments", addColumns: "editorId:integer:references=users.id", migrate: false },
        files,
      )
    ).files;
    const relations = files[RELATIONS_FILE] ?? "";
    expect(relations).toContain("editor: r.one.users({ from: r.comments.editorId, to: r.users.id }),");
    expect(relations).toMatch(/ {2}users: \{\n(?: {4}.*\n)* {4}comments: r\.many\.comments\(\),\n/);
    expect(files["src/db/schema/comments.ts"]).not.toMatch(/\brelations\b/);
  });

  it("repository --with two levels reads the relations from defineRelations and adds the missing ones there", async () => {
    let files = await v1Project();
    // Relations declared in the repo are read: the eager read joins posts, then comments.
    const run = await runGenerator("repository", { name: "users", with: "posts.comments" }, files);
    expect(run.read("src/repositories/users-repository.ts")).toMatch(/\bposts: sql</);
    // A repo whose defineRelations lacks them gets entries there (from the foreign keys), never a relations() call.
    files = { ...files, [RELATIONS_FILE]: V1_BASE[RELATIONS_FILE] };
    const added = await runGenerator("repository", { name: "users", with: "posts.comments" }, files);
    const relations = added.read(RELATIONS_FILE) ?? "";
    expect(relations).toContain("posts: r.many.posts(),");
    expect(relations).toContain("author: r.one.users({ from: r.posts.authorId, to: r.users.id }),");
    expect(relations).toContain("comments: r.many.comments(),");
    expect(
      Object.entries(added.files).filter(([file, text]) => file.startsWith("src/db/") && /\brelations\(/.test(text)),
    ).toEqual([]);
  });

  it("repository --with through a .through() many-to-many or a where relation is refused by name (exit 2)", async () => {
    let files = await v1Project();
    files = (await runGenerator("schema", { name: "tags", columns: "name:text:notNull", migrate: false }, files)).files;
    files = (
      await runGenerator(
        "schema",
        {
          name: "postTags",
          columns: "postId:integer:notNull:references=posts.id,tagId:integer:notNull:references=tags.id",
          migrate: false,
        },
        files,
      )
    ).files;
    const relations = (files[RELATIONS_FILE] ?? "").replace(
      "  posts: {\n",
      '  posts: {\n    tags: r.many.tags({ from: r.posts.id.through(r.postTags.postId), to: r.tags.id.through(r.postTags.tagId) }),\n    longComments: r.many.comments({ from: r.posts.id, to: r.comments.postId, where: { body: { like: "%long%" } } }),\n',
    );
    expect(relations).toContain("tags: r.many.tags(");
    files = { ...files, [RELATIONS_FILE]: relations };
    const refused = async (withPath: string): Promise<Error> => {
      const error = (await runGenerator("repository", { name: "users", with: withPath }, files).catch(
        (caught: unknown) => caught,
      )) as Error;
      expect(exitCodeFor(error), withPath).toBe(2);
      return error;
    };
    expect((await refused("posts.tags")).message).toBe(
      '--with posts.tags: relation "tags" of users.posts (table posts) is a many-to-many through postTags (.through()), which the eager read does not join yet.',
    );
    expect((await refused("posts.longComments")).message).toMatch(
      /^--with posts\.longComments: relation "longComments" .* filters its rows \(where: \{ body: \{ like: "%long%" \} \}\)/,
    );
    // The same repository over the plain relation path is served.
    await runGenerator("repository", { name: "users", with: "posts.comments" }, files);
  });

  it("a v0 relations() in a drizzle-orm 1.0 project is a mix: exit 2 naming the file and line", async () => {
    const files: Record<string, string> = {
      ...(await v1Project()),
      "src/db/schema/legacy.ts": `import { relations } from "drizzle-orm";\n\nimport { posts } from "./posts.js";\nimport { users } from "./users.js";\n\nexport const postsLegacy = relations(posts, ({ one }) => ({\n  writer: one(users, { fields: [posts.authorId], references: [users.id] }),\n}));\n`,
    };
    files["src/db/schema/index.ts"] += 'export * from "./legacy.js";\n';
    const error = (await runGenerator("repository", { name: "users", with: "posts" }, files).catch(
      (caught: unknown) => caught,
    )) as Error;
    expect(exitCodeFor(error)).toBe(2);
    expect(error.message).toMatch(
      /^src\/db\/schema\/legacy\.ts:6 uses v0 relations\(\), but this project's drizzle-orm is 1\.0\.0-rc\.5/,
    );
  });
});
