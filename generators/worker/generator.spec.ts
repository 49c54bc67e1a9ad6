import { describe, expect, it } from "vitest";

import { UsageError } from "../../src/core/errors.js";
import { createMemoryHost } from "../../src/core/host.js";
import { silentReporter } from "../../src/core/reporter.js";
import { runGenerator } from "../../src/core/run.js";
import type { RunResult } from "../../src/core/run.js";
import { Tree } from "../../src/core/tree.js";
import { appGenerator } from "../app/generator.js";
import { DEFAULT_LAYOUT } from "../app/layout.js";
import { workerGenerator } from "./generator.js";
import { normalizeWorkerOptions } from "./options.js";
import type { WorkerOptions } from "./options.js";

/** The real base project (rendered by the app generator) as a virtual workspace. */
function baseProject(server = true): Record<string, string> {
  const tree = new Tree(createMemoryHost());
  appGenerator(tree, { directory: "/virtual/demo", projectName: "demo", packageManager: "npm", install: false, git: false, server, toolSpec: "^0.1.0" });
  return Object.fromEntries(tree.changes().map((change) => [change.path, change.content]));
}

function options(raw: Record<string, unknown> = {}): WorkerOptions {
  return normalizeWorkerOptions({ name: "hash-password", ...raw }, DEFAULT_LAYOUT);
}

async function generate(files: Record<string, string>, workerOptions: WorkerOptions): Promise<{ tree: Tree; nextSteps: string[] }> {
  const tree = new Tree(createMemoryHost(files));
  const result = await workerGenerator(tree, workerOptions);
  return { tree, nextSteps: result.nextSteps ?? [] };
}

async function run(files: Record<string, string>, workerOptions: WorkerOptions): Promise<RunResult> {
  return runGenerator({ root: "/virtual/demo", generator: workerGenerator, options: workerOptions, dryRun: true, policy: "abort", reporter: silentReporter, host: createMemoryHost(files), skipTasks: true });
}

describe("normalizeWorkerOptions", () => {
  it("derives names, default type names and pool defaults", () => {
    expect(options({ maxThreads: "2" })).toMatchObject({
      names: { kebab: "hash-password", pascal: "HashPassword", camel: "hashPassword", constant: "HASH_PASSWORD" },
      inputType: "HashPasswordInput",
      outputType: "HashPasswordOutput",
      maxThreads: 2,
      idleTimeoutMs: 30_000,
      taskTimeoutMs: 10_000,
      maxQueue: 256,
    });
    expect(options().maxThreads).toBe(0);
    expect(options({ inputType: "Credentials", outputType: "Digest" })).toMatchObject({ inputType: "Credentials", outputType: "Digest" });
  });

  it.each([
    [{ name: "" }, /empty/],
    [{ name: "class" }, /reserved/],
    [{ name: "3d-render" }, /identifier/],
    [{ name: "workers/hash" }, /path/],
    [{ maxThreads: "-1" }, /--max-threads/],
    [{ maxThreads: "many" }, /--max-threads/],
    [{ inputType: "lowercase" }, /--input-type/],
    [{ outputType: "Piscina" }, /--output-type/],
    [{ inputType: "Same", outputType: "Same" }, /must differ/],
  ])("rejects %o with a UsageError", (raw, message) => {
    expect(() => options(raw)).toThrow(UsageError);
    expect(() => options(raw)).toThrow(message);
  });
});

describe("workerGenerator on the base project", () => {
  it("renders worker, task and test beside the base modules and updates the workers barrel", async () => {
    const { tree, nextSteps } = await generate(baseProject(), options({ maxThreads: 2 }));
    expect(tree.changes().map((change) => `${change.kind} ${change.path}`)).toEqual([
      "generate src/workers/hash-password-task.test.ts",
      "generate src/workers/hash-password-task.ts",
      "generate src/workers/hash-password.worker.ts",
      "edit src/workers/index.ts",
    ]);
    expect(tree.read("src/workers/index.ts")).toBe(
      'export * from "./resolve-worker-file.js";\nexport * from "./worker-pools.js";\nexport * from "./hash-password-task.js";\n',
    );
    const task = tree.read("src/workers/hash-password-task.ts") ?? "";
    expect(task).toContain("const DEFAULT_HASH_PASSWORD_MAX_THREADS = 2;");
    expect(task).toContain('workerThreadsFromEnv("HASH_PASSWORD_MAX_THREADS", DEFAULT_HASH_PASSWORD_MAX_THREADS)');
    for (const constant of ["IDLE_TIMEOUT_MS = 30000", "TASK_TIMEOUT_MS = 10000", "MAX_QUEUE = 256"]) expect(task).toContain(`export const HASH_PASSWORD_${constant};`);
    expect(task).toContain('import { resolveWorkerFile } from "./resolve-worker-file.js";');
    expect(task).toContain('import { registerWorkerPool, workerThreadsFromEnv } from "./worker-pools.js";');
    expect(task).toContain("registerWorkerPool(shutdownHandle);");
    expect(task).toContain('const WORKER_BASE_NAME = "hash-password";');
    expect(task).toContain("export async function runHashPasswordTask(");
    expect(task).toContain("export async function closeHashPasswordPool(): Promise<void>");
    expect(task).toMatchSnapshot();
    expect(tree.read("src/workers/hash-password.worker.ts")).toContain("export function hashPassword(input: HashPasswordInput): HashPasswordOutput {");
    // The base shutdown already calls closeWorkerPools: registration is the whole wiring.
    expect(tree.read("src/shutdown.ts")).toContain("closeWorkerPools");
    expect(nextSteps.join("\n")).not.toContain("graceful shutdown");
  });

  it("maxThreads 0 sizes the pool from the cores at run time; custom type names are used throughout", async () => {
    const { tree } = await generate(baseProject(false), options({ inputType: "Credentials", outputType: "Digest" }));
    const task = tree.read("src/workers/hash-password-task.ts") ?? "";
    expect(task).toContain('export const HASH_PASSWORD_MAX_THREADS = workerThreadsFromEnv("HASH_PASSWORD_MAX_THREADS");');
    expect(task).toContain('import type { Credentials, Digest } from "./hash-password.worker.js";');
    expect(tree.read("src/workers/hash-password.worker.ts")).toContain("export interface Credentials {");
    expect(tree.read("src/workers/hash-password-task.test.ts")).toContain("let heavyInput: Credentials;");
  });

  it("tells the user to wire the shutdown when it does not call the pool registry", async () => {
    const files = { ...baseProject(), "src/shutdown.ts": "export async function shutdown(): Promise<void> {}\n" };
    const { nextSteps } = await generate(files, options());
    expect(nextSteps.join("\n")).toContain("call closeWorkerPools() (from src/workers/worker-pools.ts) in your graceful shutdown");
  });

  it("fails with the reason when a base workers module is missing", async () => {
    const files = baseProject();
    delete files["src/workers/resolve-worker-file.ts"];
    await expect(generate(files, options())).rejects.toThrow(/resolve-worker-file\.ts/);
  });

  it("is idempotent: the same input on its own output plans no change", async () => {
    const files = baseProject();
    const first = await run(files, options({ maxThreads: 2 }));
    expect(first.plan.entries.filter((entry) => entry.action === "conflict")).toEqual([]);
    const after = { ...files, ...Object.fromEntries(first.plan.entries.filter((entry) => entry.write && entry.after !== null).map((entry) => [entry.path, entry.after ?? ""])) };
    const second = await run(after, options({ maxThreads: 2 }));
    expect(second.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path)).toEqual([]);
  });
});
