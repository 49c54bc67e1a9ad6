import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeTempDir } from "../../../test/helpers/temp-dir.js";
import { adaptDependencies, readToolchain } from "./toolchain.js";
import type { ToolchainFacts } from "./toolchain.js";

const NONE: ToolchainFacts = { workspaceRoot: null, installed: {} };

describe("adaptDependencies", () => {
  it("adds everything to a repo that has nothing installed", () => {
    expect(adaptDependencies({ vitest: "4.1.12", "@eslint/js": "10.0.1" }, NONE)).toEqual({
      additions: { vitest: "4.1.12", "@eslint/js": "10.0.1" },
      conflicts: [],
      notes: [],
    });
  });

  it("uses the workspace root's packages instead of adding them to the package", () => {
    const toolchain: ToolchainFacts = {
      workspaceRoot: { dir: "/mono", declared: { typescript: "5.5.4" }, eslintConfig: null },
      installed: {},
    };
    const result = adaptDependencies({ typescript: "6.0.3", tsx: "4.23.15" }, toolchain);
    expect(result.additions).toEqual({ tsx: "4.23.15" });
    expect(result.notes).toEqual(["package.json: using the workspace root's typescript@5.5.4 (not added here)."]);
  });

  it("leaves out what an installed package's peer range excludes, and what needs a peer the repo has too old", () => {
    const toolchain: ToolchainFacts = {
      workspaceRoot: null,
      installed: {
        "@vitest/coverage-v8": { version: "3.2.4", peers: { vitest: "3.2.4" } },
        eslint: { version: "9.31.0", peers: {} },
        typescript: { version: "5.8.3", peers: {} },
      },
    };
    const result = adaptDependencies(
      { vitest: "4.1.12", "@eslint/js": "10.0.1", "typescript-eslint": "8.74.0", redis: "6.3.1" },
      toolchain,
    );
    expect(result.additions).toEqual({ "typescript-eslint": "8.74.0", redis: "6.3.1" });
    expect(result.conflicts.map((conflict) => conflict.name)).toEqual(["vitest", "@eslint/js"]);
    expect(result.notes.join("\n")).toContain(
      "did not add vitest@4.1.12: your @vitest/coverage-v8@3.2.4 needs vitest 3.2.4",
    );
    expect(result.notes.join("\n")).toContain("@eslint/js@10.0.1 needs eslint ^10.0.0, you have 9.31.0");
  });
});

describe("readToolchain", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir("toolchain"));
    const files: Record<string, string> = {
      "pnpm-workspace.yaml": "packages:\n  - packages/*\n",
      "package.json": JSON.stringify({ devDependencies: { typescript: "5.5.4", "@vitest/coverage-v8": "3.2.4" } }),
      "eslint.config.js": "export default [];\n",
      "node_modules/typescript/package.json": JSON.stringify({ version: "5.5.4" }),
      "node_modules/@vitest/coverage-v8/package.json": JSON.stringify({
        version: "3.2.4",
        peerDependencies: { vitest: "3.2.4" },
      }),
      "packages/api/package.json": JSON.stringify({ dependencies: { "drizzle-orm": "0.38.4" } }),
      "packages/api/node_modules/drizzle-orm/package.json": JSON.stringify({ version: "0.38.4" }),
    };
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
  });
  afterAll(() => cleanup());

  it("finds the workspace root, its ESLint config and what the package resolves, walking up", () => {
    const facts = readToolchain(path.join(dir, "packages/api"), { dependencies: { "drizzle-orm": "0.38.4" } });
    expect(facts.workspaceRoot).toEqual({
      dir,
      declared: { typescript: "5.5.4", "@vitest/coverage-v8": "3.2.4" },
      eslintConfig: "eslint.config.js",
    });
    expect(facts.installed).toEqual({
      typescript: { version: "5.5.4", peers: {} },
      "@vitest/coverage-v8": { version: "3.2.4", peers: { vitest: "3.2.4" } },
      "drizzle-orm": { version: "0.38.4", peers: {} },
    });
  });

  it("finds nothing around a virtual workspace", () => {
    expect(readToolchain("/virtual/demo", {})).toEqual({ workspaceRoot: null, installed: {}, workspaceDb: null });
  });
});
