import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../host.js";
import { Tree } from "../tree.js";
import { applyEsLib } from "./es-lib.js";

const SOURCE = [
  'import { randomUUID } from "node:crypto";',
  "",
  "const URL_CREDENTIALS = /\\/\\/([^:/]+):[^@/]+@/g;",
  "",
  "export function lastOf(items: string[]): string | undefined {",
  "  return items.at(-1);",
  "}",
  "",
  "export function tableName(): string {",
  '  return `t_${randomUUID().replaceAll("-", "")}`.replaceAll(URL_CREDENTIALS, "//$1@");',
  "}",
  "",
  "export function fail(errors: unknown[]): never {",
  '  throw new AggregateError(errors, "failed");',
  "}",
  "",
].join("\n");

async function adapt(esLib: number | undefined): Promise<string> {
  const tree = new Tree(createMemoryHost());
  tree.write("src/x.ts", SOURCE);
  await applyEsLib(tree, ["src/x.ts"], esLib === undefined ? {} : { esLib });
  return tree.read("src/x.ts") ?? "";
}

describe("applyEsLib", () => {
  it("leaves code alone for ES2022 and newer (or an unrecorded lib)", async () => {
    expect(await adapt(undefined)).toBe(SOURCE);
    expect(await adapt(2022)).toBe(SOURCE);
  });

  it("ES2021: only .at() becomes an index", async () => {
    const text = await adapt(2021);
    expect(text).toContain("return items[items.length - 1];");
    expect(text).toContain('.replaceAll("-", "")');
    expect(text).not.toContain("globalThis");
  });

  it("ES2020: replaceAll becomes a global replace (string or regex const), AggregateError comes from globalThis", async () => {
    const text = await adapt(2020);
    expect(text).toContain('randomUUID().replace(/-/g, "")');
    expect(text).toContain('.replace(URL_CREDENTIALS, "//$1@")');
    expect(text).not.toContain("replaceAll");
    expect(text).toContain("const AggregateError = (globalThis as unknown as { AggregateError:");
    // Declared after the imports, before its first use.
    expect(text.indexOf("const AggregateError")).toBeGreaterThan(text.indexOf('from "node:crypto"'));
    expect(text.indexOf("const AggregateError")).toBeLessThan(text.indexOf("new AggregateError"));
  });
});

describe("applyEsLib with a target below ES2020 (bigintLiterals: false)", () => {
  it("writes BigInt literals as BigInt() calls (a string past 2^53), leaves literal types and other code alone", async () => {
    const tree = new Tree(createMemoryHost());
    const source = [
      "type One = 1n;",
      "export const one: bigint = 1n;",
      "export const big = 9_007_199_254_740_993n + 0n;",
      "export const last = [1, 2].at(-1);",
      "",
    ].join("\n");
    tree.write("src/x.ts", source);
    await applyEsLib(tree, ["src/x.ts"], { bigintLiterals: false });
    expect(tree.read("src/x.ts")).toBe(
      [
        "type One = 1n;",
        "export const one: bigint = BigInt(1);",
        'export const big = BigInt("9007199254740993") + BigInt(0);',
        "export const last = [1, 2].at(-1);",
        "",
      ].join("\n"),
    );
  });
});
