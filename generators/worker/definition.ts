import { defineGenerator } from "../../src/core/generator-definition.js";
import { workerGenerator } from "./generator.js";
import { MAX_THREADS_LIMIT, normalizeWorkerOptions } from "./options.js";
import type { WorkerOptions } from "./options.js";
import { workerQuestions } from "./questions.js";

export const workerDefinition = defineGenerator<WorkerOptions>({
  name: "worker",
  description: "CPU task on a piscina worker pool: <name>.worker.ts + <name>-task.ts with timeout, abort, shutdown (src/workers/)",
  positional: { name: "name", description: "task name, e.g. hash-password" },
  flags: [
    { flags: "--input-type <Name>", description: "input type name (default <Name>Input)" },
    { flags: "--output-type <Name>", description: "output type name (default <Name>Output)" },
    { flags: "--max-threads <n>", description: `pool size 0-${String(MAX_THREADS_LIMIT)}; 0 = all cores but one, at run time (default 0)` },
  ],
  help: ["Example:", "  create-perf-backend generate worker hash-password --max-threads 2"].join("\n"),
  questions: (raw) => workerQuestions(raw),
  normalize: (raw, project) => normalizeWorkerOptions(raw, project.manifest.layout, project.packageManager),
  generator: workerGenerator,
});
