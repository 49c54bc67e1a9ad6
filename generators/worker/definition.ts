import {
  defineGenerator,
  moduleNameProblem,
  requireProject,
  toModuleNames,
  UsageError,
} from "../../src/devkit/declare.js";
import type { GeneratorContext, OptionValues } from "../../src/devkit/declare.js";
import type { WorkerOptions } from "./generator.js";

/** 0 means "all cores but one", decided at run time on the machine that runs the project. */
export const AUTO_MAX_THREADS = 0;
export const MAX_THREADS_LIMIT = 256;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_TASK_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_QUEUE = 256;
export const DEFAULT_NICE_INCREMENT = 10;
const TYPE_NAME = /^[A-Z][A-Za-z0-9_]*$/;
// Names the generated task module already uses for something else.
const TAKEN_TYPE_NAMES = new Set(["AbortSignal", "Piscina", "Promise", "WorkerFile"]);
// ... and the names the queue module (--queue) imports from bullmq.
const QUEUE_TYPE_NAMES = new Set(["ConnectionOptions", "Job", "JobsOptions", "KeepJobs", "Queue", "Worker"]);

function typeNameProblem(flag: string): (value: string) => string | undefined {
  return (value) => {
    if (!TYPE_NAME.test(value))
      return `${flag} "${value}" is not a type name: start with a capital letter, then letters and digits.`;
    if (TAKEN_TYPE_NAMES.has(value))
      return `${flag} "${value}" clashes with a name the task module uses; choose another.`;
    return undefined;
  };
}

const WORKER_OPTIONS = {
  name: {
    kind: "string",
    positional: true,
    required: true,
    description: "task name, e.g. hash-password",
    prompt: "Task name (e.g. hash-password)",
    validate: moduleNameProblem("worker task", "hash-password"),
  },
  maxThreads: {
    kind: "integer",
    default: AUTO_MAX_THREADS,
    min: 0,
    max: MAX_THREADS_LIMIT,
    placeholder: "n",
    description: `pool size 0-${String(MAX_THREADS_LIMIT)}; 0 = all cores but one, at run time`,
    prompt: "Max threads (0: all cores but one)",
  },
  inputType: {
    kind: "string",
    placeholder: "Name",
    description: "input type name (default <Name>Input)",
    prompt: "Input type name (empty: <Name>Input)",
    validate: typeNameProblem("--input-type"),
  },
  outputType: {
    kind: "string",
    placeholder: "Name",
    description: "output type name (default <Name>Output)",
    prompt: "Output type name (empty: <Name>Output)",
    validate: typeNameProblem("--output-type"),
  },
  queue: {
    kind: "boolean",
    default: false,
    description:
      "also run the task from a BullMQ queue on the project's Redis, in separate worker processes (<name>.queue-worker.ts)",
    prompt: "Also run it from a BullMQ queue in separate worker processes?",
  },
} as const;

/** Typed values -> complete options; every problem is a UsageError naming the bad part (exit 2). */
export function normalizeWorkerOptions(
  values: OptionValues<typeof WORKER_OPTIONS>,
  context: GeneratorContext,
): WorkerOptions {
  const { layout, packageManager } = requireProject(context);
  const names = toModuleNames(values.name, "worker task", "hash-password");
  const inputType = values.inputType ?? `${names.pascal}Input`;
  const outputType = values.outputType ?? `${names.pascal}Output`;
  for (const [flag, type] of [
    ["--input-type", inputType],
    ["--output-type", outputType],
  ] as const) {
    const ownNames = [`Run${names.pascal}TaskOptions`, ...(values.queue ? [`Enqueue${names.pascal}TaskOptions`] : [])];
    const problem =
      typeNameProblem(flag)(type) ??
      (ownNames.includes(type)
        ? `${flag} "${type}" clashes with a name the task module uses; choose another.`
        : undefined);
    if (problem)
      throw new UsageError(problem, [`e.g. ${flag} ${names.pascal}${flag === "--input-type" ? "Input" : "Output"}`]);
    if (values.queue && QUEUE_TYPE_NAMES.has(type)) {
      throw new UsageError(
        `${flag} "${type}" clashes with a name the queue module imports from bullmq; choose another.`,
      );
    }
  }
  if (inputType === outputType)
    throw new UsageError(`--input-type and --output-type are both "${inputType}"; they must differ.`);
  return {
    names,
    inputType,
    outputType,
    maxThreads: values.maxThreads,
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
    taskTimeoutMs: DEFAULT_TASK_TIMEOUT_MS,
    maxQueue: DEFAULT_MAX_QUEUE,
    niceIncrement: DEFAULT_NICE_INCREMENT,
    queue: values.queue,
    layout,
    packageManager,
  };
}

export const workerDefinition = defineGenerator({
  name: "worker",
  description:
    "CPU task on a piscina worker pool: <name>.worker.ts + <name>-task.ts with timeout, abort, shutdown (src/workers/); --queue adds a BullMQ queue and worker process",
  help: [
    "Examples:",
    "  create-perf-backend generate worker hash-password --max-threads 2",
    "  create-perf-backend generate worker render-report --queue   # + enqueueRenderReportTask, npm run queue-worker:render-report",
  ].join("\n"),
  project: "required",
  options: WORKER_OPTIONS,
  normalize: normalizeWorkerOptions,
  // Loaded by the run that uses it: each generator is its own chunk of the bundle.
  generate: async (tree, options) => (await import("./generator.js")).workerGenerator(tree, options),
});
