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
    await expect(editSourceFile(tree, "nope.ts", () => undefined)).rejects.toThrow(/Cannot edit nope.ts: the file does not exist/);
  });
});

describe("a new barrel", () => {
  // The AST path: the same edit on a barrel that exists but is empty.
  async function throughTheAst(edit: (tree: Tree) => Promise<void>): Promise<string | null> {
    const tree = new Tree(createMemoryHost({ "index.ts": "" }));
    await edit(tree);
    return tree.read("index.ts");
  }

  it.each([
    ["export *", (tree: Tree) => ensureExportStar(tree, "index.ts", "./posts-repository.js")],
    ["named values and types", (tree: Tree) => ensureNamedExports(tree, "index.ts", "./posts.js", { values: ["postsRepository", "createPostLoader", "MAX_PAGE_SIZE"], types: ["Post", "NewPost"] })],
    ["a long list on one line", (tree: Tree) => ensureNamedExports(tree, "index.ts", "../a/b", { values: Array.from({ length: 30 }, (_, i) => `value${String(i)}`), types: ["T"] })],
    ["no types (an `export type *` in ts-morph)", (tree: Tree) => ensureNamedExports(tree, "index.ts", "./p.js", { values: ["a"], types: [] })],
    ["a specifier that needs escaping", (tree: Tree) => ensureExportStar(tree, "index.ts", './we"ird')],
  ])("is written as ts-morph prints it: %s", async (_name, edit) => {
    const tree = new Tree(createMemoryHost({}));
    await edit(tree);
    expect(tree.read("index.ts")).toBe(await throughTheAst(edit));
    expect(tree.changes().map((change) => change.kind)).toEqual(["generate"]);
  });
});
