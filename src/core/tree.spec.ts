import { describe, expect, it } from "vitest";

import { createMemoryHost } from "./host.js";
import { Tree } from "./tree.js";

describe("Tree", () => {
  it("reads fall through to the host until a path is written", () => {
    const tree = new Tree(createMemoryHost({ "src/a.ts": "host" }));
    expect(tree.read("src/a.ts")).toBe("host");
    tree.write("src/a.ts", "staged");
    expect(tree.read("src/a.ts")).toBe("staged");
    expect(tree.readOriginal("src/a.ts")).toBe("host");
    expect(tree.read("missing.ts")).toBeNull();
  });

  it("lists staged and host children together", () => {
    const tree = new Tree(createMemoryHost({ "src/a.ts": "", "README.md": "" }));
    tree.write("src/db/pool.ts", "x");
    expect(tree.children("")).toEqual(["README.md", "src"]);
    expect(tree.children("src")).toEqual(["a.ts", "db"]);
  });

  it("keeps a file generated in this run generated even after an edit", () => {
    const tree = new Tree(createMemoryHost());
    tree.write("index.ts", "a");
    tree.write("index.ts", "b", { kind: "edit" });
    expect(tree.changes()).toEqual([{ path: "index.ts", content: "b", kind: "generate", mode: undefined }]);
  });

  it("refuses paths outside the root", () => {
    const tree = new Tree(createMemoryHost());
    expect(() => tree.write("../escape.ts", "")).toThrow(/outside the target directory/);
    expect(() => tree.write("/etc/passwd", "")).toThrow(/absolute path/);
    expect(() => tree.write("a/../../b", "")).toThrow(/outside/);
  });

  it("lists original files recursively, skipping ignored entries", () => {
    const tree = new Tree(createMemoryHost({ ".git/HEAD": "", "a/b/c.ts": "", "d.ts": "" }));
    expect(tree.listOriginalFiles("", new Set([".git"]))).toEqual(["a/b/c.ts", "d.ts"]);
  });
});

describe("Tree above its root: the workspace root's package.json", () => {
  const files = { "package.json": "{}\n", "../../package.json": '{ "private": true }\n' };

  it("is readable and editable only when the host lets it out, never listed in the root", () => {
    const tree = new Tree(createMemoryHost(files, { workspaceRoot: "../.." }));
    expect(tree.workspaceManifest).toBe("../../package.json");
    expect(tree.read("../../package.json")).toBe('{ "private": true }\n');
    tree.write("../../package.json", "{}\n", { kind: "edit" });
    expect(tree.changes().map((change) => change.path)).toEqual(["../../package.json"]);
    expect(tree.children("")).toEqual(["package.json"]);
  });

  it("still refuses every other path above the root, and a generated file there", () => {
    const tree = new Tree(createMemoryHost(files, { workspaceRoot: "../.." }));
    expect(() => tree.write("../../tsconfig.json", "", { kind: "edit" })).toThrow(/outside the target directory/);
    expect(() => tree.write("../package.json", "", { kind: "edit" })).toThrow(/outside the target directory/);
    expect(() => tree.write("../../package.json", "{}\n")).toThrow(/only an edit/);
  });

  it("is refused when the host has no workspace root, and a workspace root must be an ancestor", () => {
    expect(() => createMemoryHost(files)).toThrow(/outside the target directory/);
    const tree = new Tree(createMemoryHost({ "package.json": "{}\n" }));
    expect(tree.workspaceManifest).toBeNull();
    expect(() => tree.read("../../package.json")).toThrow(/outside the target directory/);
    expect(() => createMemoryHost({}, { workspaceRoot: "../other" })).toThrow(/ancestor/);
  });
});
