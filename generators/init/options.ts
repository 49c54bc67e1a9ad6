import type { PackageManager } from "../../src/core/package-manager.js";
import type { RepoFacts } from "../../src/core/repo/inspect-repo.js";

export interface InitOptions {
  /** What the repo already has, read before anything is staged. */
  facts: RepoFacts;
  packageManager: PackageManager;
  /** How package.json depends on create-perf-backend. */
  toolSpec: string;
  /** Files an earlier run wrote (perf-backend.json): ours to regenerate, not the user's. */
  owned: ReadonlySet<string>;
}
