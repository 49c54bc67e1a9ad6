import path from "node:path";

import { addDependencies, DEPENDENCY_VERSIONS, ensureExports, GenerationError, generateFiles, moduleSpecifier } from "../../src/devkit/index.js";
import type { GeneratorResult, ModuleNames, PackageManager, ProjectLayout, Tree } from "../../src/devkit/index.js";

export interface WorkerOptions {
  names: ModuleNames;
  inputType: string;
  outputType: string;
  maxThreads: number;
  idleTimeoutMs: number;
  taskTimeoutMs: number;
  maxQueue: number;
  niceIncrement: number;
  layout: ProjectLayout;
  packageManager: PackageManager;
}

const BARREL = "index.ts";
const SHUTDOWN_CALL = "closeWorkerPools";

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
  generateFiles(tree, "worker", dir, {
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
  });
  await ensureExports(tree, barrel, task, { layout, what: `worker task name "${names.kebab}"` });
  const dependencies = addDependencies(
    tree,
    // tsx runs the .ts worker inside pool threads in development and tests.
    { dependencies: { piscina: DEPENDENCY_VERSIONS.piscina }, devDependencies: { tsx: DEPENDENCY_VERSIONS.tsx } },
    options.packageManager,
  );
  const nextSteps = [`await run${names.pascal}Task(input, { signal }) from ${barrel}; replace the placeholder body of ${names.camel} in ${worker}`];
  // The pool registers itself; the shutdown must call the registry, or its threads outlive SIGTERM.
  if (!tree.read(layout.shutdown)?.includes(SHUTDOWN_CALL)) {
    nextSteps.push(`call ${SHUTDOWN_CALL}() (from ${layout.workers.pools}) in your graceful shutdown: ${layout.shutdown} does not`);
  }
  return { tasks: dependencies.tasks, nextSteps, notes: dependencies.notes };
}
