import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../host.js";
import { Tree } from "../tree.js";
import { applyDefaultImports } from "./default-imports.js";

const SOURCE = [
  'import DataLoader from "dataloader";',
  'import path from "node:path";',
  'import pg from "pg";',
  'import type pino from "pino";',
  'import type { Logger } from "pino";',
  "",
  "export const pool: pg.Pool = new pg.Pool();",
  'export const file = path.join("a", "b");',
  "export function loader(): DataLoader<number, string> {",
  "  return new DataLoader<number, string>(async (ids) => ids.map(String));",
  "}",
  "export type { Logger };",
  "",
].join("\n");

async function adapt(layout: Parameters<typeof applyDefaultImports>[2]): Promise<string> {
  const tree = new Tree(createMemoryHost());
  tree.write("src/x.ts", SOURCE);
  await applyDefaultImports(tree, ["src/x.ts"], layout);
  return tree.read("src/x.ts") ?? "";
}

describe("applyDefaultImports", () => {
  it("leaves files alone unless the layout says default imports do not compile", async () => {
    expect(await adapt({})).toBe(SOURCE);
  });

  it("ESM: namespace imports for builtins and pg; dataloader's `export =` class through the namespace's default", async () => {
    const text = await adapt({ defaultImports: false, moduleSystem: "esm" });
    expect(text).toContain('import * as path from "node:path";');
    expect(text).toContain('import * as pg from "pg";');
    expect(text).toContain('import * as DataLoaderModule from "dataloader";');
    expect(text).toContain(
      "const DataLoader = (DataLoaderModule as unknown as { default: typeof DataLoaderModule }).default;",
    );
    // Type positions name the namespace (the class's type), values the CommonJS export.
    expect(text).toContain("export function loader(): DataLoaderModule<number, string> {");
    expect(text).toContain("return new DataLoader<number, string>(");
    expect(text).toContain('import type { Logger } from "pino";');
    expect(text).toContain('import type * as pino from "pino";');
  });

  it("CommonJS: the `export =` class from the namespace itself (compiled require) or its default (vitest), never `import x = require()`", async () => {
    const text = await adapt({ defaultImports: false, moduleSystem: "cjs" });
    // typescript-eslint's recommended set rejects import-require (no-require-imports).
    expect(text).not.toContain("require(");
    expect(text).toContain('import * as DataLoaderModule from "dataloader";');
    expect(text).toContain(
      "const DataLoader = (DataLoaderModule as unknown as { default?: typeof DataLoaderModule }).default ?? DataLoaderModule;",
    );
    expect(text).toContain("export function loader(): DataLoaderModule<number, string> {");
    expect(text).toContain('import * as path from "node:path";');
  });
});
