import type { PackageManager } from "./packages/package-manager.js";
import type { Tree } from "./tree.js";

/** Work that runs only after a successful commit, never on a dry run. */
export type DeferredTask =
  | { kind: "install"; packageManager: PackageManager }
  | { kind: "git-init"; commitMessage: string }
  | { kind: "script"; packageManager: PackageManager; script: string; title: string };

export interface GeneratorResult {
  tasks?: DeferredTask[];
  /** Printed after a successful run: what the user does next. */
  nextSteps?: string[];
  /** What the generator detected, reused or skipped, and why; shown with the plan. */
  notes?: string[];
  /** Detected facts a script may want (init's package manager); added to --json output. */
  facts?: Record<string, string>;
}

/** Nx devkit shape: stages changes on the tree, never touches the disk itself. */
export type Generator<Options> = (tree: Tree, options: Options) => GeneratorResult | Promise<GeneratorResult>;
