import path from "node:path";

import { ensureExportStar } from "../../src/core/ast/barrel.js";
import { DEPENDENCY_VERSIONS } from "../../src/core/dependency-versions.js";
import { GenerationError } from "../../src/core/errors.js";
import type { DeferredTask, GeneratorResult } from "../../src/core/generator.js";
import { describeDiffering, mergePackageJson } from "../../src/core/package-json.js";
import { moduleSpecifier } from "../../src/core/paths.js";
import { renderTemplateFile } from "../../src/core/render.js";
import type { Tree } from "../../src/core/tree.js";
import { assertNoExportCollisions } from "../shared/module-name.js";
import type { WorkerOptions } from "./options.js";

const TEMPLATE_FOLDER = "worker";
const BARREL = "index.ts";
const SHUTDOWN_CALL = "closeWorkerPools";

/** Where the worker, its task module, the test and the barrel go (all in one folder: the task finds the worker beside it). */
export function workerFiles(options: WorkerOptions): { worker: string; task: string; test: string; barrel: string } {
  const dir = options.layout.workers.dir;
  const kebab = options.names.kebab;
  return {
    worker: path.posix.join(dir, `${kebab}.worker.ts`),
    task: path.posix.join(dir, `${kebab}-task.ts`),
    test: path.posix.join(dir, `${kebab}-task.test.ts`),
    barrel: path.posix.join(dir, BARREL),
  };
}

/**
 * `<name>.worker.ts` (the pure task) and `<name>-task.ts` (piscina pool, constants, run/close) + test.
 * The pool registers with the base's worker-pool registry, which the graceful shutdown closes.
 */
export async function workerGenerator(tree: Tree, options: WorkerOptions): Promise<GeneratorResult> {
  const { layout, names } = options;
  const files = workerFiles(options);
  for (const required of [layout.workers.pools, layout.workers.resolveWorkerFile]) {
    if (!tree.exists(required)) {
      throw new GenerationError(`${required} (a base module the worker task imports) does not exist.`, [
        "Run `create-perf-backend init` to add the base modules, or fix layout.workers in perf-backend.json.",
      ]);
    }
  }
  const data = {
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
    workerPoolsImport: moduleSpecifier(layout, files.task, layout.workers.pools),
    resolveWorkerFileImport: moduleSpecifier(layout, files.task, layout.workers.resolveWorkerFile),
  };
  tree.write(files.worker, renderTemplateFile(TEMPLATE_FOLDER, "name.worker.ts", data), { kind: "generate" });
  tree.write(files.task, renderTemplateFile(TEMPLATE_FOLDER, "name-task.ts", data), { kind: "generate" });
  tree.write(files.test, renderTemplateFile(TEMPLATE_FOLDER, "name-task.test.ts", data), { kind: "generate" });
  await assertNoExportCollisions(tree, files.barrel, files.task, "worker task", names.kebab);
  await ensureExportStar(tree, files.barrel, moduleSpecifier(layout, files.barrel, files.task));

  const merged = mergePackageJson(tree, {
    dependencies: { piscina: DEPENDENCY_VERSIONS.piscina },
    // Runs the .ts worker inside pool threads in development and tests.
    devDependencies: { tsx: DEPENDENCY_VERSIONS.tsx },
  });
  const tasks: DeferredTask[] = merged.added.length > 0 ? [{ kind: "install", packageManager: options.packageManager }] : [];
  const nextSteps = [
    `await run${names.pascal}Task(input, { signal }) from ${files.barrel}; replace the placeholder body of ${names.camel} in ${files.worker}`,
  ];
  // The pool registers itself; the shutdown must call the registry, or its threads outlive SIGTERM.
  if (!tree.read(layout.shutdown)?.includes(SHUTDOWN_CALL)) {
    nextSteps.push(`call ${SHUTDOWN_CALL}() (from ${layout.workers.pools}) in your graceful shutdown: ${layout.shutdown} does not`);
  }
  return { tasks, nextSteps, notes: describeDiffering(merged) };
}
