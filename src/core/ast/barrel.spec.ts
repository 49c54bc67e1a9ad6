import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../host.js";
import { Tree } from "../tree.js";
import { ensureExportStar, ensureNamedExports } from "./barrel.js";
import { editSourceFile } from "./edit-source.js";

describe("ensureExportStar", () => {
  it("adds an export once, replacing the empty placeholder", async () => {
    const tree = new Tree(createMemoryHost({ "src/schema/index.ts": "export {};\n" }));
    await ensureExportStar(tree, "src/schema/index.ts", "./users.js");
    await ensureExportStar(tree, "src/schema/index.ts", "./posts.js");
    await ensureExportStar(tree, "src/schema/index.ts", "./users.js");
    expect(tree.read("src/schema/index.ts")).toBe('export * from "./users.js";\nexport * from "./posts.js";\n');
  });

  it("stages nothing when the export is already there", async () => {
    const tree = new Tree(createMemoryHost({ "index.ts": 'export * from "./a.js";\n' }));
    await ensureExportStar(tree, "index.ts", "./a.js");
    expect(tree.changes()).toEqual([]);
  });

  it("keeps CRLF line endings, a BOM, single quotes and tab indentation", async () => {
    const original = "\uFEFF// barrel\r\nexport * from './a';\r\nexport function f() {\r\n\treturn 1;\r\n}\r\n";
    const tree = new Tree(createMemoryHost({ "index.ts": original }));
    await ensureExportStar(tree, "index.ts", "./b");
    const text = tree.read("index.ts") ?? "";
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toContain("\n");
    expect(text).toContain("export * from './b';\r\n");
    expect(text).toContain("\r\n\treturn 1;\r\n");
  });

  it("treats ./a, ./a.js and ./a/index.js as the same module", async () => {
    const tree = new Tree(createMemoryHost({ "index.ts": 'export * from "./a";\nexport * from "./b/index.js";\n' }));
    await ensureExportStar(tree, "index.ts", "./a.js");
    await ensureExportStar(tree, "index.ts", "./b");
    expect(tree.changes()).toEqual([]);
  });

  it("creates a missing barrel", async () => {
    const tree = new Tree(createMemoryHost());
    await ensureExportStar(tree, "src/cache/index.ts", "./user-cache.js");
    expect(tree.read("src/cache/index.ts")).toBe('export * from "./user-cache.js";\n');
  });
});

describe("editSourceFile", () => {
  it("fails loudly for a missing file", async () => {
    const tree = new Tree(createMemoryHost());
    await expect(editSourceFile(tree, "nope.ts", () => undefined)).rejects.toThrow(
      /Cannot edit nope.ts: the file does not exist/,
    );
  });
});

describe("a barrel of export lines, edited without the AST", () => {
  const REPOSITORY_BARREL =
    'export { createUsersRepository, usersRepository, findUserById } from "./users-repository.js";\nexport type { UserId, UsersRepository } from "./users-repository.js";\n';
  const SCHEMA_BARREL =
    '// Barrel of table modules (`export * from "./users.js";`), kept in sync by the generators.\nexport * from "./users.js";\nexport * from "./posts.js";\n';
  const star = (specifier: string) => (tree: Tree) => ensureExportStar(tree, "index.ts", specifier);
  const named = (specifier: string, values: string[], types: string[]) => (tree: Tree) =>
    ensureNamedExports(tree, "index.ts", specifier, { values, types });
  const posts = named(
    "./posts-repository.js",
    ["postsRepository", "createPostLoader", "MAX_PAGE_SIZE"],
    ["Post", "NewPost"],
  );

  // The reference: the same edit through ts-morph, on an empty barrel when there was none.
  async function throughTheAst(original: string | null, edit: (tree: Tree) => Promise<void>): Promise<string | null> {
    const tree = new Tree(createMemoryHost({ "index.ts": original ?? "" }));
    await edit(tree);
    return tree.read("index.ts");
  }

  it.each([
    ["a new barrel: export *", null, star("./posts-repository.js")],
    ["a new barrel: named values and types", null, posts],
    [
      "a new barrel: a long list stays on one line",
      null,
      named(
        "../a/b",
        Array.from({ length: 30 }, (_, i) => `value${String(i)}`),
        ["T"],
      ),
    ],
    ["a new barrel: no types (an `export type *` in ts-morph)", null, named("./p.js", ["a"], [])],
    ["a new barrel: a specifier that needs escaping", null, star('./we"ird')],
    ["a repository barrel gains a repository", REPOSITORY_BARREL, posts],
    ["a schema barrel with a comment gains a table", SCHEMA_BARREL, star("./comments.js")],
    ["a schema barrel that has the table", SCHEMA_BARREL, star("./users")],
    [
      "a barrel that exports the module already",
      REPOSITORY_BARREL,
      named("./users-repository.js", ["listUsers"], ["UserPatch"]),
    ],
    ["a barrel with a placeholder", 'export {};\nexport * from "./a.js";\n', star("./b.js")],
    ["a barrel with a blank line", 'export * from "./a.js";\n\nexport * from "./b.js";\n', star("./c.js")],
    ["a barrel with single quotes", "export * from './a.js';\n", star("./b.js")],
    ["a barrel ending in a comment", 'export * from "./a.js";\n// end\n', star("./b.js")],
    ["a barrel with CRLF", 'export * from "./a.js";\r\n', star("./b.js")],
  ])("is what ts-morph makes of it: %s", async (_name, original, edit) => {
    const tree = new Tree(createMemoryHost(original === null ? {} : { "index.ts": original }));
    await edit(tree);
    expect(tree.read("index.ts")).toBe(await throughTheAst(original, edit));
    const kinds = tree.changes().map((change) => change.kind);
    if (original === null) expect(kinds).toEqual(["generate"]);
    else expect(kinds).not.toContain("generate");
  });
});
