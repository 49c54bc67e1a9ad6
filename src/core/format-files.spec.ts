import { describe, expect, it } from "vitest";

import { detectFormatter, formatGeneratedFiles } from "./format-files.js";
import { createMemoryHost } from "./host.js";
import { Tree } from "./tree.js";

describe("detectFormatter", () => {
  it("finds Prettier by its config file or package.json key, and Biome by biome.json(c)", () => {
    expect(detectFormatter(createMemoryHost({ ".prettierrc": "{}" }))).toEqual({ kind: "prettier", config: ".prettierrc" });
    expect(detectFormatter(createMemoryHost({ "package.json": '{ "prettier": "@acme/prettier-config" }' }))).toEqual({
      kind: "prettier",
      config: "package.json#prettier",
    });
    expect(detectFormatter(createMemoryHost({ "biome.jsonc": "{}" }))).toEqual({ kind: "biome", config: "biome.jsonc" });
    expect(detectFormatter(createMemoryHost({ "package.json": "{}" }))).toBeNull();
    expect(detectFormatter(createMemoryHost({ "package.json": '\uFEFF{ "prettier": {} }' }))).toEqual({ kind: "prettier", config: "package.json#prettier" });
    expect(detectFormatter(createMemoryHost({ "package.json": "{ not json" }))).toBeNull();
  });
});

describe("formatGeneratedFiles", () => {
  it("leaves files as rendered and says so when the repo's formatter is not installed", async () => {
    const host = createMemoryHost({ ".prettierrc": "{}" });
    const tree = new Tree(host);
    tree.write("src/a.ts", 'export const a = "x"\n');
    const notes = await formatGeneratedFiles("/virtual/no-node-modules", host, tree, ["src/a.ts"]);
    expect(notes).toEqual([expect.stringContaining("Found .prettierrc but prettier is not installed")]);
    expect(tree.read("src/a.ts")).toBe('export const a = "x"\n');
  });

  it("does nothing without a formatter config", async () => {
    const host = createMemoryHost({});
    const tree = new Tree(host);
    tree.write("src/a.ts", "export const a = 1\n");
    expect(await formatGeneratedFiles("/virtual", host, tree, ["src/a.ts"])).toEqual([]);
  });
});
