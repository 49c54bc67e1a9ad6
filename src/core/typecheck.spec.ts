import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDiskHost } from "./host.js";
import { Tree } from "./tree.js";
import { typecheckStaged } from "./typecheck.js";

const REPO_NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../node_modules");

describe("typecheckStaged: generated code against the repo's own tsconfig and TypeScript", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-"));
    await mkdir(path.join(root, "node_modules"));
    // The repo's own TypeScript, as an installed repo has it.
    await symlink(path.join(REPO_NODE_MODULES, "typescript"), path.join(root, "node_modules/typescript"));
    await writeFile(path.join(root, "package.json"), JSON.stringify({ name: "repo", type: "module" }));
    await writeFile(path.join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2020", lib: ["ES2020"], module: "NodeNext", noEmit: true }, include: ["src"] }));
    await mkdir(path.join(root, "src"));
    await writeFile(path.join(root, "src/existing.ts"), "export const answer = 42;\n");
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const stage = (files: Record<string, string>): Tree => {
    const tree = new Tree(createDiskHost(root));
    for (const [file, content] of Object.entries(files)) tree.write(file, content);
    return tree;
  };

  it("passes code that compiles, importing staged and existing files", async () => {
    const tree = stage({
      "src/new.ts": 'import { answer } from "./existing.js";\nimport { twice } from "./util/twice.js";\nexport const value: number = twice(answer);\n',
      "src/util/twice.ts": "export const twice = (n: number): number => n * 2;\n",
    });
    const result = await typecheckStaged(root, tree, new Set());
    expect(result.skipped).toBeNull();
    expect(result.diagnostics).toEqual([]);
    expect(result.version).toMatch(/^\d+\.\d+/);
  });

  it("reports what the repo's target and lib lack (ES2020: no .at(), no replaceAll)", async () => {
    const tree = stage({ "src/new.ts": 'export const last = [1, 2].at(-1);\nexport const text = "a".replaceAll("a", "b");\n' });
    const result = await typecheckStaged(root, tree, new Set());
    expect(result.diagnostics.join("\n")).toContain("src/new.ts(1,");
    expect(result.diagnostics.join("\n")).toContain("TS2550");
    expect(result.diagnostics).toHaveLength(2);
  });

  it("skips, saying why, when a package the run adds is not installed yet or the repo has no TypeScript", async () => {
    const tree = stage({ "src/new.ts": 'import DataLoader from "dataloader";\nexport const loader = new DataLoader(async (ids: readonly number[]) => ids);\n' });
    expect((await typecheckStaged(root, tree, new Set(["dataloader"]))).skipped).toContain("dataloader is added by this run and not installed yet");
    const bare = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-bare-"));
    try {
      const bareTree = new Tree(createDiskHost(bare));
      bareTree.write("src/new.ts", "export const broken: number = 'text';\n");
      expect((await typecheckStaged(bare, bareTree, new Set())).skipped).toContain("TypeScript is not installed");
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});
