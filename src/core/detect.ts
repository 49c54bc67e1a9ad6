import { detect } from "package-manager-detector/detect";

import { UsageError } from "./errors.js";
import { createDiskHost } from "./host.js";
import { MANIFEST_FILE, readManifest } from "./manifest.js";
import type { Manifest } from "./manifest.js";
import { isPackageManager } from "./package-manager.js";
import type { PackageManager } from "./package-manager.js";
import { Tree } from "./tree.js";

/** What a feature generator knows about the project it writes into. */
export interface ProjectContext {
  root: string;
  manifest: Manifest;
  packageManager: PackageManager;
  /** Read-only view for generators' questions and validation (e.g. which tables exist). */
  tree: Tree;
}

export async function detectPackageManager(root: string): Promise<PackageManager> {
  const found = await detect({ cwd: root });
  return isPackageManager(found?.name) ? found.name : "npm";
}

/** Loads perf-backend.json and what else generators need; a project without one has not been set up. */
export async function loadProject(root: string): Promise<ProjectContext> {
  const tree = new Tree(createDiskHost(root));
  const manifest = readManifest(tree);
  if (!manifest) {
    throw new UsageError(`No ${MANIFEST_FILE} in ${root}: this is not a create-perf-backend project.`, [
      "Create one with `npx create-perf-backend <dir>`, or pass --cwd <project dir>.",
    ]);
  }
  return { root, manifest, packageManager: await detectPackageManager(root), tree };
}
