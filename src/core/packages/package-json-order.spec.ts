import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../host.js";
import { Tree } from "../tree.js";
import { insertEntries } from "./package-json-order.js";
import { mergePackageJson } from "./package-json.js";

describe("insertEntries", () => {
  it("inserts in sorted position when the section is sorted, scoped names first as npm sorts them", () => {
    const merged = insertEntries(
      { "@types/node": "1", express: "1", zod: "1" },
      { pg: "2", "@types/pg": "2", drizzle: "2" },
    );
    expect(Object.keys(merged)).toEqual(["@types/node", "@types/pg", "drizzle", "express", "pg", "zod"]);
  });

  it("sorts a new section", () => {
    expect(Object.keys(insertEntries({}, { vitest: "4", "@types/node": "20", drizzle: "1" }))).toEqual([
      "@types/node",
      "drizzle",
      "vitest",
    ]);
  });

  it("appends when the author's order is not sorted", () => {
    expect(Object.keys(insertEntries({ start: "a", build: "b" }, { test: "c" }))).toEqual(["start", "build", "test"]);
  });
});

describe("mergePackageJson keeps the repo's package.json style", () => {
  it("keeps tabs, no trailing-newline changes beyond one, and sorted dependencies", () => {
    const text = '{\n\t"name": "tabs",\n\t"dependencies": {\n\t\t"express": "4.21.2",\n\t\t"zod": "3.23.8"\n\t}\n}\n';
    const tree = new Tree(createMemoryHost({ "package.json": text }));
    mergePackageJson(tree, { dependencies: { redis: "6.3.1", "drizzle-orm": "0.45.4" } });
    expect(tree.read("package.json")).toBe(
      '{\n\t"name": "tabs",\n\t"dependencies": {\n\t\t"drizzle-orm": "0.45.4",\n\t\t"express": "4.21.2",\n\t\t"redis": "6.3.1",\n\t\t"zod": "3.23.8"\n\t}\n}\n',
    );
  });

  it("never adds a package declared in another section (drizzle-kit kept as a dependency)", () => {
    const tree = new Tree(createMemoryHost({ "package.json": '{ "dependencies": { "drizzle-kit": "0.30.0" } }' }));
    const result = mergePackageJson(tree, { devDependencies: { "drizzle-kit": "0.31.11", vitest: "4.1.12" } });
    expect(result.added).toEqual(["devDependencies vitest@4.1.12"]);
    expect(result.differing).toEqual([
      { section: "devDependencies", name: "drizzle-kit", existing: "0.30.0", wanted: "0.31.11" },
    ]);
    expect(JSON.parse(tree.read("package.json") ?? "")).toEqual({
      dependencies: { "drizzle-kit": "0.30.0" },
      devDependencies: { vitest: "4.1.12" },
    });
  });
});

describe("mergePackageJson keeps the key order of the file", () => {
  it("adds a section without moving the keys before it", () => {
    const text =
      '{\n  "name": "x",\n  "version": "1.0.0",\n  "private": true,\n  "type": "module",\n  "scripts": {\n    "build": "tsc"\n  }\n}\n';
    const tree = new Tree(createMemoryHost({ "package.json": text }));
    mergePackageJson(tree, { dependencies: { pg: "8.23.1" } });
    expect(Object.keys(JSON.parse(tree.read("package.json") ?? "{}") as object)).toEqual([
      "name",
      "version",
      "private",
      "type",
      "scripts",
      "dependencies",
    ]);
  });
});
