import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { makeTempDir } from "../../../test/helpers/temp-dir.js";
import { createDiskHost, createMemoryHost } from "../host.js";
import { Tree } from "../tree.js";
import { detectFormatter, formatGeneratedFiles } from "./format-files.js";

describe("detectFormatter", () => {
  it("finds Prettier by its config file or package.json key, and Biome by biome.json(c)", () => {
    expect(detectFormatter(createMemoryHost({ ".prettierrc": "{}" }))).toEqual({
      kind: "prettier",
      config: ".prettierrc",
    });
    expect(detectFormatter(createMemoryHost({ "package.json": '{ "prettier": "@acme/prettier-config" }' }))).toEqual({
      kind: "prettier",
      config: "package.json#prettier",
    });
    expect(detectFormatter(createMemoryHost({ "biome.jsonc": "{}" }))).toEqual({
      kind: "biome",
      config: "biome.jsonc",
    });
    expect(detectFormatter(createMemoryHost({ "package.json": "{}" }))).toBeNull();
    expect(detectFormatter(createMemoryHost({ "package.json": '\uFEFF{ "prettier": {} }' }))).toEqual({
      kind: "prettier",
      config: "package.json#prettier",
    });
    expect(detectFormatter(createMemoryHost({ "package.json": "{ not json" }))).toBeNull();
  });
});

describe("detectFormatter beyond the package's own config", () => {
  const root = (files: Record<string, string>) => ({ relative: "../..", read: (file: string) => files[file] ?? null });

  it("finds a Prettier or Biome config at the workspace root of a monorepo package (the package's own wins)", () => {
    expect(
      detectFormatter(createMemoryHost({ "package.json": "{}" }), root({ ".prettierrc": '{ "singleQuote": true }' })),
    ).toEqual({ kind: "prettier", config: "../../.prettierrc" });
    expect(
      detectFormatter(createMemoryHost({ "package.json": "{}" }), root({ "package.json": '{ "prettier": {} }' })),
    ).toEqual({ kind: "prettier", config: "../../package.json#prettier" });
    expect(detectFormatter(createMemoryHost({ "package.json": "{}" }), root({ "biome.json": "{}" }))).toEqual({
      kind: "biome",
      config: "../../biome.json",
    });
    expect(detectFormatter(createMemoryHost({ "biome.json": "{}" }), root({ ".prettierrc": "{}" }))).toEqual({
      kind: "biome",
      config: "biome.json",
    });
  });

  it("takes Biome declared without a biome.json as Biome with its defaults (not only its indentation)", () => {
    const declared = '{ "devDependencies": { "@biomejs/biome": "2.2.4" } }';
    expect(detectFormatter(createMemoryHost({ "package.json": declared }))).toEqual({
      kind: "biome",
      config: "package.json (@biomejs/biome without a biome.json: its defaults)",
    });
    expect(detectFormatter(createMemoryHost({ "package.json": "{}" }), root({ "package.json": declared }))).toEqual({
      kind: "biome",
      config: "../../package.json (@biomejs/biome without a biome.json: its defaults)",
    });
    // A config anywhere says more than a dependency.
    expect(detectFormatter(createMemoryHost({ "package.json": declared }), root({ ".prettierrc": "{}" }))).toEqual({
      kind: "prettier",
      config: "../../.prettierrc",
    });
  });
});

describe("formatGeneratedFiles", () => {
  it("reads the formatter config at the workspace root of a package on disk", async () => {
    const { dir, cleanup } = await makeTempDir("format-workspace");
    try {
      await writeFile(path.join(dir, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
      await writeFile(path.join(dir, "package.json"), '{ "private": true }\n');
      await writeFile(path.join(dir, ".prettierrc"), '{ "singleQuote": true }\n');
      const api = path.join(dir, "packages", "api");
      await mkdir(api, { recursive: true });
      await writeFile(path.join(api, "package.json"), '{ "name": "api" }\n');
      const host = createDiskHost(api);
      const tree = new Tree(host);
      tree.write("src/a.ts", 'export const a = "x"\n');
      // Prettier is not installed in this temp workspace: the note proves the root's config was found.
      expect(await formatGeneratedFiles(api, host, tree, ["src/a.ts"])).toEqual([
        expect.stringContaining("Found ../../.prettierrc but prettier is not installed"),
      ]);
    } finally {
      await cleanup();
    }
  });

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
