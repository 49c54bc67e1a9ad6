import { describe, expect, it } from "vitest";

import { hashContent } from "../../src/core/hash.js";
import { createMemoryHost } from "../../src/core/host.js";
import { silentReporter } from "../../src/core/reporter.js";
import { runGenerator } from "../../src/core/run.js";
import { Tree } from "../../src/core/tree.js";
import { appGenerator } from "./generator.js";
import type { AppOptions } from "./options.js";

const OPTIONS: AppOptions = {
  directory: "/virtual/demo",
  projectName: "demo",
  packageManager: "pnpm",
  install: true,
  git: false,
  server: true,
  toolSpec: "file:/somewhere/create-perf-backend",
};

function generate(options: Partial<AppOptions> = {}, files: Record<string, string> = {}): Tree {
  const tree = new Tree(createMemoryHost(files));
  appGenerator(tree, { ...OPTIONS, ...options });
  return tree;
}

describe("appGenerator on an empty virtual workspace", () => {
  it("stages the documented layout", () => {
    const paths = generate().changes().map((change) => change.path);
    expect(paths).toMatchSnapshot();
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
      expect(paths).toContain(required);
    }
  });

  it("writes package.json with pinned versions, the tool spec and the scripts", () => {
    const packageJson = JSON.parse(generate().read("package.json") ?? "{}") as {
      name: string;
      type: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(packageJson.name).toBe("demo");
    expect(packageJson.type).toBe("module");
    expect(Object.keys(packageJson.scripts)).toEqual(expect.arrayContaining(["dev", "build", "start", "test", "lint", "db:generate", "db:migrate"]));
    expect(packageJson.devDependencies["create-perf-backend"]).toBe(OPTIONS.toolSpec);
    for (const version of [...Object.values(packageJson.dependencies), ...Object.values(packageJson.devDependencies)]) {
      if (version !== OPTIONS.toolSpec) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(packageJson.dependencies.fastify).toBeDefined();
  });

  it("library-only projects get no server", () => {
    const tree = generate({ server: false });
    const paths = tree.changes().map((change) => change.path);
    expect(paths).toContain("src/index.ts");
    expect(paths.filter((file) => file.startsWith("src/server") || file === "src/main.ts")).toEqual([]);
    expect(JSON.parse(tree.read("package.json") ?? "{}").dependencies.fastify).toBeUndefined();
  });

  it("returns install and git tasks as asked, with next steps", () => {
    const tree = new Tree(createMemoryHost());
    expect(appGenerator(tree, { ...OPTIONS, git: true }).tasks).toEqual([
      { kind: "install", packageManager: "pnpm" },
      { kind: "git-init", commitMessage: "Initial commit from create-perf-backend" },
    ]);
    const without = appGenerator(new Tree(createMemoryHost()), { ...OPTIONS, install: false });
    expect(without.tasks).toEqual([]);
    expect(without.nextSteps?.[0]).toBe("pnpm i");
  });

  it("treats a non-empty directory as a conflict, but not a .git folder", () => {
    expect(generate({}, { ".git/HEAD": "ref: main\n" }).conflicts()).toEqual([]);
    expect(generate({}, { "notes.txt": "mine" }).conflicts()).toEqual([
      { path: "", reason: "the directory is not empty (notes.txt); use `create-perf-backend init` for an existing repo" },
    ]);
  });

  it("records a hash of every generated file in perf-backend.json", async () => {
    const result = await runGenerator({
      root: "/virtual/demo",
      generator: appGenerator,
      options: OPTIONS,
      dryRun: true,
      policy: "abort",
      reporter: silentReporter,
      host: createMemoryHost(),
    });
    const manifestEntry = result.plan.entries.find((entry) => entry.path === "perf-backend.json");
    const manifest = JSON.parse(manifestEntry?.after ?? "{}") as { files: Record<string, string>; layout: { db: { pool: string } } };
    expect(manifest.layout.db.pool).toBe("src/db/pool.ts");
    const generated = result.plan.entries.filter((entry) => entry.path !== "perf-backend.json");
    expect(Object.keys(manifest.files).sort()).toEqual(generated.map((entry) => entry.path).sort());
    for (const entry of generated) expect(manifest.files[entry.path]).toBe(hashContent(entry.after ?? ""));
  });
});

describe("appGenerator in a folder with install and build output", () => {
  it("never lists node_modules and does not count lockfiles or dist as files that differ", () => {
    const host = createMemoryHost({ "node_modules/pg/package.json": "{}", "node_modules/pg/lib/index.js": "", "package-lock.json": "{}", "dist/main.js": "" });
    const listed: string[] = [];
    const tree = new Tree({ ...host, list: (dir) => (listed.push(dir), host.list(dir)) });
    appGenerator(tree, OPTIONS);
    expect(listed.filter((dir) => dir.startsWith("node_modules"))).toEqual([]);
    expect(tree.conflicts()).toEqual([]);
  });
});
