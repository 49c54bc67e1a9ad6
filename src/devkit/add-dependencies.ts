import type { DeferredTask } from "../core/generator.js";
import { describeDiffering, mergePackageJson, PACKAGE_JSON } from "../core/package-json.js";
import type { PackageJsonAdditions } from "../core/package-json.js";
import type { PackageManager } from "../core/package-manager.js";
import type { Tree } from "../core/tree.js";

export interface DependencyChanges {
  /** An install, when anything was added. */
  tasks: DeferredTask[];
  /** Versions the project keeps that differ from the ones generated code is tested with. */
  notes: string[];
  /** `section name@version` for every entry added. */
  added: string[];
}

/**
 * Adds dependencies and scripts to package.json (never changing an existing entry) and queues one
 * install when anything was added (Nx's addDependenciesToPackageJson). `filePath`: another manifest the
 * tree may edit (`tree.workspaceManifest`, the workspace root's).
 */
export function addDependencies(tree: Tree, additions: PackageJsonAdditions, packageManager: PackageManager, filePath = PACKAGE_JSON): DependencyChanges {
  const merged = mergePackageJson(tree, additions, filePath);
  return {
    tasks: merged.added.length > 0 ? [{ kind: "install", packageManager }] : [],
    notes: describeDiffering(merged),
    added: merged.added,
  };
}
