import path from "node:path";

import {
  addDependencies,
  DEPENDENCY_VERSIONS,
  ensureExports,
  formatCommand,
  GenerationError,
  generateFiles,
  moduleSpecifier,
  processScripts,
  runScriptCommand,
  templateTarget,
} from "../../src/devkit/index.js";
import type { GeneratorResult, ModuleNames, PackageManager, ProjectLayout, Tree } from "../../src/devkit/index.js";
import { envModuleSpecifier } from "./env-import.js";

export interface WorkerOptions {
  names: ModuleNames;
  inputType: string;
  outputType: string;
  maxThreads: number;
  idleTimeoutMs: number;
  taskTimeoutMs: number;
  maxQueue: number;
  niceIncrement: number;
  /** Also a BullMQ queue (producer, worker factory) and a worker-process entry point. */
  queue: boolean;
  layout: ProjectLayout;
  packageManager: PackageManager;
}

const BARREL = "index.ts";
const SHUTDOWN_CALL = "closeWorkerPools";
// Templates rendered only with --queue (their names contain this).
const QUEUE_TEMPLATE = /queue/;
const QUEUE_SCRIPT_PREFIX = "queue-worker:";

/**
 * `<name>.worker.ts` (the pure task) and `<name>-task.ts` (piscina pool, constants, run/close) + test,
 * all in one folder: the task finds the worker beside it. The pool registers with the base's
 * worker-pool registry, which the graceful shutdown closes.
 */
export async function workerGenerator(tree: Tree, options: WorkerOptions): Promise<GeneratorResult> {
  const { layout, names } = options;
  const dir = layout.workers.dir;
  const task = path.posix.join(dir, `${names.kebab}-task.ts`);
  const barrel = path.posix.join(dir, BARREL);
  const worker = path.posix.join(dir, `${names.kebab}.worker.ts`);
  for (const required of [layout.workers.pools, layout.workers.resolveWorkerFile]) {
    if (!tree.exists(required)) {
      throw new GenerationError(`${required} (a base module the worker task imports) does not exist.`, [
        "Run `create-perf-backend init` to add the base modules, or fix layout.workers in perf-backend.json.",
      ]);
    }
  }
  const queueFile = path.posix.join(dir, `${names.kebab}-queue.ts`);
  const queueWorkerFile = path.posix.join(dir, `${names.kebab}.queue-worker.ts`);
  const variables = {
    kebabName: names.kebab,
    pascalName: names.pascal,
    camelName: names.camel,
    constantName: names.constant,
    inputType: options.inputType,
    outputType: options.outputType,
    maxThreads: options.maxThreads,
    idleTimeoutMs: options.idleTimeoutMs,
    taskTimeoutMs: options.taskTimeoutMs,
    maxQueue: options.maxQueue,
    niceIncrement: options.niceIncrement,
    // CommonJS output has no import.meta; the worker file is found from __filename there.
    esm: (layout.moduleSystem ?? "esm") === "esm",
    workerPoolsImport: moduleSpecifier(layout, task, layout.workers.pools),
    resolveWorkerFileImport: moduleSpecifier(layout, task, layout.workers.resolveWorkerFile),
    envImport: options.queue ? envModuleSpecifier(tree, layout, queueFile) : "",
    shutdownImport: moduleSpecifier(layout, queueWorkerFile, layout.shutdown),
    queueScript: `${QUEUE_SCRIPT_PREFIX}${names.kebab}`,
  };
  generateFiles(tree, "worker", dir, variables, {
    // The queue templates only with --queue; the rest as generateFiles would place them.
    place: (template) => {
      const relative = path.posix.relative(dir, template);
      return !options.queue && QUEUE_TEMPLATE.test(relative)
        ? null
        : path.posix.join(dir, templateTarget(relative, variables));
    },
  });
  await ensureExports(tree, barrel, task, { layout, what: `worker task name "${names.kebab}"` });
  if (options.queue)
    await ensureExports(tree, barrel, queueFile, { layout, what: `worker task name "${names.kebab}"` });
  const dependencies = addDependencies(
    tree,
    {
      // tsx runs the .ts worker inside pool threads in development and tests.
      dependencies: {
        piscina: DEPENDENCY_VERSIONS.piscina,
        // BullMQ opens its own Redis connections through ioredis (an optional peer of bullmq, so it is named here).
        ...(options.queue ? { bullmq: DEPENDENCY_VERSIONS.bullmq, ioredis: DEPENDENCY_VERSIONS.ioredis } : {}),
      },
      devDependencies: { tsx: DEPENDENCY_VERSIONS.tsx },
      ...(options.queue
        ? {
            scripts: processScripts({
              name: variables.queueScript,
              sourceFile: queueWorkerFile,
              srcDir: layout.srcDir,
            }),
          }
        : {}),
    },
    options.packageManager,
  );
  const nextSteps = [
    `await run${names.pascal}Task(input, { signal }) from ${barrel}; replace the placeholder body of ${names.camel} in ${worker}`,
  ];
  if (options.queue) {
    nextSteps.push(
      `enqueue${names.pascal}Task(input, { jobId }) from ${barrel}; start worker processes with \`${formatCommand(runScriptCommand(options.packageManager, variables.queueScript))}\` (after a build; \`${variables.queueScript}:dev\` from sources)`,
    );
  }
  // The pool registers itself; the shutdown must call the registry, or its threads outlive SIGTERM.
  if (!tree.read(layout.shutdown)?.includes(SHUTDOWN_CALL)) {
    nextSteps.push(
      `call ${SHUTDOWN_CALL}() (from ${layout.workers.pools}) in your graceful shutdown: ${layout.shutdown} does not`,
    );
  }
  return { tasks: dependencies.tasks, nextSteps, notes: dependencies.notes };
}
