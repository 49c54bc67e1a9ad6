import path from "node:path";

import { GenerationError, moduleSpecifier } from "../../src/devkit/index.js";
import type { ProjectLayout, Tree } from "../../src/devkit/index.js";

// The base worker-pools module reads its settings through the project's env module: the queue module uses the same one.
const ENV_IMPORT = /import\s*\{[^}]*\breadIntegerEnv\b[^}]*\}\s*from\s*["']([^"']+)["']/;
const RELATIVE = /^\.\.?\//;
const JS_SUFFIX = /\.js$/;

/**
 * The specifier `from` must use for the env module (REDIS_URL, readIntegerEnv): the layout records no path for
 * it, so it is found where the base worker-pools module imports it (init may have placed it as perf-env.ts).
 */
export function envModuleSpecifier(tree: Tree, layout: ProjectLayout, from: string): string {
  const pools = layout.workers.pools;
  const specifier = ENV_IMPORT.exec(tree.read(pools) ?? "")?.[1];
  if (specifier === undefined) {
    throw new GenerationError(
      `${pools} does not import readIntegerEnv from the env module; the queue module needs that module too.`,
      ["Restore the base module (create-perf-backend init) or import readIntegerEnv from your env module there."],
    );
  }
  // An alias (or a specifier from the same folder) means the same thing from the queue module's folder.
  if (!RELATIVE.test(specifier) || path.posix.dirname(pools) === path.posix.dirname(from)) return specifier;
  const target = path.posix.join(path.posix.dirname(pools), specifier).replace(JS_SUFFIX, ".ts");
  return moduleSpecifier(layout, from, tree.exists(target) ? target : `${target}.ts`);
}
