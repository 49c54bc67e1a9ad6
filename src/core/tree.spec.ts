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
