import { mkdir, readdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";

import type { DependencyName } from "../../src/core/packages/dependency-versions.js";
import { DEPENDENCY_VERSIONS } from "../../src/core/packages/dependency-versions.js";
import { pinnedDependencies } from "../../src/core/packages/dependency-versions.js";
import { sharedInstall } from "./installed-root.js";

// Every package any generator may add, at the pinned versions: one install serves every generated project whatever
// generators its suite ran (a project's own declarations win, so another drizzle line gets an install of its own).
const EVERY_GENERATED_DEPENDENCY = pinnedDependencies(Object.keys(DEPENDENCY_VERSIONS) as DependencyName[]);
const BIN_DIR = ".bin";

type PackageJson = { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

/**
 * Gives a generated project the node_modules of its package.json without installing it: a directory of links into one
 * install shared by every suite, worker and run (test/helpers/installed-root.ts), keyed by what it holds. The project's
 * own `node_modules/` is a real directory (what tools cache there, e.g. vitest's results, stays per project).
 * What this replaces is the suites' `npm install`, which was never their subject: create-project and pack test the
 * generated project's real install. Call it after the last generator run that adds packages, and pass --no-install
 * to those runs (an install task would rewrite these links).
 */
export async function linkSharedDependencies(project: string): Promise<void> {
  const json = JSON.parse(await readFile(path.join(project, "package.json"), "utf8")) as PackageJson;
  const root = await sharedInstall({
    ...EVERY_GENERATED_DEPENDENCY,
    ...json.dependencies,
    ...json.devDependencies,
  });
  const shared = path.join(root, "node_modules");
  const own = path.join(project, "node_modules");
  await mkdir(own);
  // Top-level packages, scopes and .bin; npm's own hidden files (.package-lock.json) and tool caches stay out.
  const entries = (await readdir(shared)).filter((name) => !name.startsWith(".") || name === BIN_DIR);
  await Promise.all(entries.map((name) => symlink(path.join(shared, name), path.join(own, name))));
}
