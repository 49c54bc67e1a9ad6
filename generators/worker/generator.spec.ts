import { beforeAll, describe, expect, it } from "vitest";

import { createBaseProject, runGenerator } from "../testing.js";
import type { GeneratorRun, VirtualFiles } from "../testing.js";

let base: Record<string, string>;
let library: Record<string, string>;
beforeAll(async () => {
  base = await createBaseProject();
  library = await createBaseProject({ server: false });
});

function generate(files: VirtualFiles, input: Record<string, unknown> = {}): Promise<GeneratorRun> {
  return runGenerator("worker", { name: "hash-password", ...input }, files);
}

describe("worker options", () => {
  it("derives names, default type names and pool defaults", async () => {
    const task = (await generate(base, { maxThreads: "2" })).read("src/workers/hash-password-task.ts") ?? "";
    for (const text of [
      "export type { HashPasswordInput, HashPasswordOutput }",
      "const DEFAULT_HASH_PASSWORD_MAX_THREADS = 2;",
      "export const HASH_PASSWORD_IDLE_TIMEOUT_MS = 30000;",
      "export const HASH_PASSWORD_TASK_TIMEOUT_MS = 10000;",
      "export const HASH_PASSWORD_MAX_QUEUE = 256;",
      "export async function runHashPasswordTask(",
    ]) {
      expect(task).toContain(text);
    }
    expect((await generate(base)).read("src/workers/hash-password-task.ts")).toContain(
      'workerThreadsFromEnv("HASH_PASSWORD_MAX_THREADS");',
    );
  });

  it.each([
    [{ name: "" }, /The name is empty/],
    [{ name: "class" }, /reserved/],
    [{ name: "3d-render" }, /identifier/],
    [{ name: "workers/hash" }, /path/],
    [{ maxThreads: "-1" }, /--max-threads/],
    [{ maxThreads: "many" }, /--max-threads/],
    [{ inputType: "lowercase" }, /--input-type/],
    [{ outputType: "Piscina" }, /--output-type/],
    [{ inputType: "Same", outputType: "Same" }, /must differ/],
  ])("rejects %o with a UsageError", async (raw, message) => {
    await expect(generate(base, raw)).rejects.toThrow(message);
    await expect(generate(base, raw)).rejects.toMatchObject({ name: "UsageError" });
  });
});

describe("workerGenerator on the base project", () => {
  it("renders worker, task and test beside the base modules and updates the workers barrel", async () => {
    const run = await generate(base, { maxThreads: 2 });
    const tree = run;
    const nextSteps = run.result.nextSteps;
    expect(run.changes).toEqual([
      "edit perf-backend.json",
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
    for (const constant of ["IDLE_TIMEOUT_MS = 30000", "TASK_TIMEOUT_MS = 10000", "MAX_QUEUE = 256"])
      expect(task).toContain(`export const HASH_PASSWORD_${constant};`);
    expect(task).toContain('import { resolveWorkerFile } from "./resolve-worker-file.js";');
    expect(task).toContain('import { registerWorkerPool, workerThreadsFromEnv } from "./worker-pools.js";');
    expect(task).toContain("registerWorkerPool(shutdownHandle);");
    expect(task).toContain('const WORKER_BASE_NAME = "hash-password";');
    expect(task).toContain("export async function runHashPasswordTask(");
    expect(task).toContain("export async function closeHashPasswordPool(): Promise<void>");
    expect(task).toMatchSnapshot();
    expect(tree.read("src/workers/hash-password.worker.ts")).toContain(
      "export function hashPassword(input: HashPasswordInput): HashPasswordOutput {",
    );
    // The base shutdown already calls closeWorkerPools: registration is the whole wiring.
    expect(tree.read("src/shutdown.ts")).toContain("closeWorkerPools");
    expect(nextSteps.join("\n")).not.toContain("graceful shutdown");
  });

  it("maxThreads 0 sizes the pool from the cores at run time; custom type names are used throughout", async () => {
    const tree = await generate(library, { inputType: "Credentials", outputType: "Digest" });
    const task = tree.read("src/workers/hash-password-task.ts") ?? "";
    expect(task).toContain(
      'export const HASH_PASSWORD_MAX_THREADS = workerThreadsFromEnv("HASH_PASSWORD_MAX_THREADS");',
    );
    expect(task).toContain('import type { Credentials, Digest } from "./hash-password.worker.js";');
    expect(tree.read("src/workers/hash-password.worker.ts")).toContain("export interface Credentials {");
    expect(tree.read("src/workers/hash-password-task.test.ts")).toContain("let heavyInput: Credentials;");
  });

  it("tells the user to wire the shutdown when it does not call the pool registry", async () => {
    const files = { ...base, "src/shutdown.ts": "export async function shutdown(): Promise<void> {}\n" };
    const nextSteps = (await generate(files)).result.nextSteps;
    expect(nextSteps.join("\n")).toContain(
      "call closeWorkerPools() (from src/workers/worker-pools.ts) in your graceful shutdown",
    );
  });

  it("fails with the reason when a base workers module is missing", async () => {
    const files = { ...base };
    delete files["src/workers/resolve-worker-file.ts"];
    await expect(generate(files)).rejects.toThrow(/resolve-worker-file\.ts/);
  });

  it("refuses a type name another module of the workers barrel already exports (exit 2)", async () => {
    const first = await generate(base, { outputType: "Digest" });
    await expect(generate(first.files, { name: "sign-token", outputType: "Digest" })).rejects.toThrow(
      'The worker task name "sign-token" would export `Digest`, which src/workers/hash-password-task.ts already exports.',
    );
  });

  it("is idempotent: the same input on its own output plans no change", async () => {
    const first = await generate(base, { maxThreads: 2 });
    expect(first.result.plan.entries.filter((entry) => entry.action === "conflict")).toEqual([]);
    const second = await generate(first.files, { maxThreads: 2 });
    expect(
      second.result.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path),
    ).toEqual([]);
  });
});

describe("workerGenerator --queue", () => {
  it("adds the queue module, the worker-process entry and its test, exports the queue, and bullmq, ioredis and scripts", async () => {
    const run = await generate(base, { queue: true });
    expect(run.changes).toEqual([
      "edit package.json",
      "edit perf-backend.json",
      "generate src/workers/hash-password-queue.test.ts",
      "generate src/workers/hash-password-queue.ts",
      "generate src/workers/hash-password-task.test.ts",
      "generate src/workers/hash-password-task.ts",
      "generate src/workers/hash-password.queue-worker.ts",
      "generate src/workers/hash-password.worker.ts",
      "edit src/workers/index.ts",
    ]);
    expect(run.read("src/workers/index.ts")).toContain('export * from "./hash-password-queue.js";\n');
    const pkg = JSON.parse(run.read("package.json") ?? "{}") as {
      dependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.dependencies).toMatchObject({ bullmq: "6.7.0", ioredis: "6.0.0" });
    expect(pkg.scripts).toMatchObject({
      "queue-worker:hash-password": "node dist/workers/hash-password.queue-worker.js",
      "queue-worker:hash-password:dev": "tsx src/workers/hash-password.queue-worker.ts",
    });
    const queue = run.read("src/workers/hash-password-queue.ts") ?? "";
    for (const text of [
      'import { readIntegerEnv, readStringEnv, REDIS_URL } from "../config/env.js";',
      "export async function enqueueHashPasswordTask(input: HashPasswordInput, options: EnqueueHashPasswordTaskOptions): Promise<string> {",
      "add(HASH_PASSWORD_QUEUE_NAME, input, { jobId: hashPasswordQueueJobId(options.jobId) })",
      'backoff: { type: "exponential", delay: HASH_PASSWORD_QUEUE_BACKOFF_DELAY_MS }',
      "maxRetriesPerRequest: null",
      "stalledInterval: HASH_PASSWORD_QUEUE_STALLED_INTERVAL_MS",
    ]) {
      expect(queue).toContain(text);
    }
    expect(run.read("src/workers/hash-password.queue-worker.ts")).toContain(
      'import { shutdown } from "../shutdown.js";',
    );
    expect(run.result.nextSteps.join("\n")).toContain("npm run queue-worker:hash-password");
  });

  it("without --queue adds no queue file and no bullmq", async () => {
    const run = await generate(base);
    expect(run.changes.filter((change) => change.includes("queue"))).toEqual([]);
    expect(run.read("package.json")).not.toContain("bullmq");
  });

  it("finds the env module from a workers folder elsewhere, and refuses a pools module without it", async () => {
    const manifest = JSON.parse(base["perf-backend.json"] ?? "{}") as { layout: { workers: { dir: string } } };
    manifest.layout.workers.dir = "src/background/jobs";
    const moved = { ...base, "perf-backend.json": JSON.stringify(manifest) };
    const queue = (await generate(moved, { queue: true })).read("src/background/jobs/hash-password-queue.ts") ?? "";
    expect(queue).toContain('from "../../config/env.js";');
    expect(queue).toContain('from "../../workers/worker-pools.js";');

    const withoutEnv = { ...base, "src/workers/worker-pools.ts": "export function registerWorkerPool(): void {}\n" };
    await expect(generate(withoutEnv, { queue: true })).rejects.toThrow(/does not import readIntegerEnv/);
  });

  it("refuses type names the queue module imports", async () => {
    await expect(generate(base, { queue: true, outputType: "Job" })).rejects.toThrow(/imports from bullmq/);
    await expect(generate(base, { queue: true, inputType: "EnqueueHashPasswordTaskOptions" })).rejects.toThrow(
      /clashes/,
    );
    expect((await generate(base, { outputType: "Job" })).read("src/workers/hash-password.worker.ts")).toContain(
      "interface Job",
    );
  });

  it("is idempotent with --queue", async () => {
    const first = await generate(base, { queue: true });
    const second = await generate(first.files, { queue: true });
    expect(
      second.result.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path),
    ).toEqual([]);
  });
});
