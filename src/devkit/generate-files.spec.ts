import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../core/host.js";
import { loadTemplates } from "../core/render.js";
import { Tree } from "../core/tree.js";
import { generateFiles, templateTarget } from "./generate-files.js";

const APP_DATA = {
  projectName: "demo",
  server: true,
  srcDir: "src",
  drizzleSchema: "src/db/schema/index.ts",
  drizzleOut: "drizzle",
  aliases: [],
  scopedLint: false,
  databaseUrlEnv: "DATABASE_URL",
  ownPool: true,
  casingOption: "",
  drizzleV1: false,
};

describe("generateFiles", () => {
  it("renders every template of a folder, turning _dotfiles into .dotfiles", () => {
    const tree = new Tree(createMemoryHost());
    const written = generateFiles(tree, "app/base", "", APP_DATA).map((file) => file.path);
    expect(written.length).toBe(loadTemplates("app/base").size);
    expect(written).toContain(".gitignore");
    expect(written.every((file) => !file.endsWith(".hbs"))).toBe(true);
    expect(tree.read("src/db/pool.ts")).toContain("POOL_MAX_CONNECTIONS");
  });

  it("names files from the template paths' __placeholders__, under the target folder", () => {
    const tree = new Tree(
      createMemoryHost({ "src/workers/worker-pools.ts": "", "src/workers/resolve-worker-file.ts": "" }),
    );
    const data = {
      kebabName: "hash-password",
      pascalName: "HashPassword",
      camelName: "hashPassword",
      constantName: "HASH_PASSWORD",
    };
    expect(templateTarget("__kebabName__.worker.ts", data)).toBe("hash-password.worker.ts");
    expect(templateTarget("_gitignore", data)).toBe(".gitignore");
    expect(() => templateTarget("__missing__.ts", data)).toThrow("needs a value for __missing__");
    const written = generateFiles(tree, "worker", "lib/jobs", {
      ...data,
      inputType: "In",
      outputType: "Out",
      maxThreads: 1,
      idleTimeoutMs: 1,
      taskTimeoutMs: 1,
      maxQueue: 1,
      niceIncrement: 1,
      esm: true,
      workerPoolsImport: "./worker-pools.js",
      resolveWorkerFileImport: "./resolve-worker-file.js",
      envImport: "../config/env.js",
      shutdownImport: "../shutdown.js",
      queueScript: "queue-worker:hash-password",
    }).map((file) => file.path);
    expect(written.sort()).toEqual([
      "lib/jobs/hash-password-queue.test.ts",
      "lib/jobs/hash-password-queue.ts",
      "lib/jobs/hash-password-task.test.ts",
      "lib/jobs/hash-password-task.ts",
      "lib/jobs/hash-password.queue-worker.ts",
      "lib/jobs/hash-password.worker.ts",
    ]);
  });

  it("places or skips each file when asked (init), and keeps an existing barrel", () => {
    const tree = new Tree(createMemoryHost({ "app/db/schema/index.ts": "export * from './mine.js';\n" }));
    const placed = generateFiles(tree, "app/base", "", APP_DATA, {
      place: (target) =>
        target === "src/db/pool.ts"
          ? "app/db/pool.ts"
          : target === "src/db/schema/index.ts"
            ? "app/db/schema/index.ts"
            : null,
    });
    expect(placed).toEqual(
      expect.arrayContaining([
        { template: "src/db/pool.ts", path: "app/db/pool.ts", written: true },
        { template: "src/db/schema/index.ts", path: "app/db/schema/index.ts", written: false },
      ]),
    );
    expect(placed).toHaveLength(2);
    expect(tree.read("app/db/pool.ts")).toContain("POOL_MAX_CONNECTIONS");
    expect(tree.read("app/db/schema/index.ts")).toBe("export * from './mine.js';\n");
    expect(tree.changes().map((change) => change.path)).toEqual(["app/db/pool.ts"]);
  });
});
