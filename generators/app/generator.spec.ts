import { describe, expect, it } from "vitest";

import { hashContent } from "../../src/core/hash.js";
import { createMemoryHost } from "../../src/core/host.js";
import { Tree } from "../../src/core/tree.js";
import { runGenerator, VIRTUAL_ROOT } from "../testing.js";
import type { GeneratorRun, VirtualFiles } from "../testing.js";
import { appGenerator } from "./generator.js";

const INPUT = {
  directory: VIRTUAL_ROOT,
  packageManager: "pnpm",
  install: true,
  git: false,
  server: true,
  toolSpec: "file:/somewhere/create-perf-backend",
};

function generate(input: Record<string, unknown> = {}, files: VirtualFiles = {}): Promise<GeneratorRun> {
  return runGenerator("app", { ...INPUT, ...input }, files, { policy: "skip" });
}

const paths = (run: GeneratorRun): string[] => run.result.plan.entries.map((entry) => entry.path);
const conflicts = (run: GeneratorRun) =>
  run.result.plan.entries
    .filter((entry) => entry.action === "conflict" && entry.after === null)
    .map((entry) => ({ path: entry.path, reason: entry.reason }));

describe("appGenerator on an empty virtual workspace", () => {
  it("stages the documented layout", async () => {
    const staged = paths(await generate());
    expect(staged).toMatchSnapshot();
    for (const required of [
      "src/db/pool.ts",
      "src/db/transaction.ts",
      "src/db/client.ts",
      "src/db/schema/index.ts",
      "src/cache/redis-client.ts",
      "src/workers/worker-pools.ts",
      "drizzle.config.ts",
      "plopfile.js",
      "perf-backend.json",
      ".env.example",
      ".gitignore",
      "eslint.config.js",
      "README.md",
      "src/main.ts",
      "src/server/app.ts",
    ]) {
      expect(staged).toContain(required);
    }
  });

  it("writes package.json with pinned versions, the tool spec and the scripts", async () => {
    const packageJson = JSON.parse((await generate()).read("package.json") ?? "{}") as {
      name: string;
      type: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(packageJson.name).toBe("demo");
    expect(packageJson.type).toBe("module");
    expect(Object.keys(packageJson.scripts)).toEqual(
      expect.arrayContaining(["dev", "build", "start", "test", "lint", "db:generate", "db:migrate"]),
    );
    expect(packageJson.devDependencies["create-perf-backend"]).toBe(INPUT.toolSpec);
    for (const version of [...Object.values(packageJson.dependencies), ...Object.values(packageJson.devDependencies)]) {
      if (version !== INPUT.toolSpec) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(packageJson.dependencies.fastify).toBeDefined();
  });

  it("library-only projects get no server", async () => {
    const run = await generate({ server: false });
    expect(paths(run)).toContain("src/index.ts");
    expect(paths(run).filter((file) => file.startsWith("src/server") || file === "src/main.ts")).toEqual([]);
    expect(JSON.parse(run.read("package.json") ?? "{}").dependencies.fastify).toBeUndefined();
  });

  it("returns install and git tasks as asked, with next steps", async () => {
    expect((await generate({ git: true })).result.tasks).toEqual([
      { kind: "install", packageManager: "pnpm" },
      { kind: "git-init", commitMessage: "Initial commit from create-perf-backend" },
    ]);
    const without = await generate({ install: false });
    expect(without.result.tasks).toEqual([]);
    expect(without.result.nextSteps[0]).toBe("pnpm i");
  });

  it("treats a non-empty directory as a conflict, but not a .git folder", async () => {
    expect(conflicts(await generate({}, { ".git/HEAD": "ref: main\n" }))).toEqual([]);
    expect(conflicts(await generate({}, { "notes.txt": "mine" }))).toEqual([
      {
        path: "",
        reason: "the directory is not empty (notes.txt); use `create-perf-backend init` for an existing repo",
      },
    ]);
  });

  it("rejects a bad package manager or project name with the flag to fix (exit 2)", async () => {
    await expect(generate({ packageManager: "pip" })).rejects.toThrow(
      '--pm must be one of npm, pnpm, yarn, bun, got "pip".',
    );
    await expect(generate({ name: "Not Valid" })).rejects.toThrow(/Invalid project name/);
  });

  it("records a hash of every generated file in perf-backend.json", async () => {
    const { result } = await generate();
    const manifestEntry = result.plan.entries.find((entry) => entry.path === "perf-backend.json");
    const manifest = JSON.parse(manifestEntry?.after ?? "{}") as {
      files: Record<string, string>;
      layout: { db: { pool: string } };
    };
    expect(manifest.layout.db.pool).toBe("src/db/pool.ts");
    const generated = result.plan.entries.filter((entry) => entry.path !== "perf-backend.json");
    expect(Object.keys(manifest.files).sort()).toEqual(generated.map((entry) => entry.path).sort());
    for (const entry of generated) expect(manifest.files[entry.path]).toBe(hashContent(entry.after ?? ""));
  });
});

describe("appGenerator in a folder with install and build output", () => {
  it("never lists node_modules and does not count lockfiles or dist as files that differ", () => {
    const host = createMemoryHost({
      "node_modules/pg/package.json": "{}",
      "node_modules/pg/lib/index.js": "",
      "package-lock.json": "{}",
      "dist/main.js": "",
    });
    const listed: string[] = [];
    const tree = new Tree({ ...host, list: (dir) => (listed.push(dir), host.list(dir)) });
    appGenerator(tree, {
      directory: VIRTUAL_ROOT,
      projectName: "demo",
      packageManager: "npm",
      install: false,
      git: false,
      server: true,
      drizzleLine: "0",
      toolSpec: INPUT.toolSpec,
    });
    expect(listed.filter((dir) => dir.startsWith("node_modules"))).toEqual([]);
    expect(tree.conflicts()).toEqual([]);
  });
});
