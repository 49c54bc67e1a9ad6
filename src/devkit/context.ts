import { detectPackageManager, lockfileChoiceNote } from "../core/detect.js";
import type { FileHost } from "../core/host.js";
import { createDiskHost } from "../core/host.js";
import { MANIFEST_FILE, readManifest } from "../core/manifest.js";
import type { Manifest, ProjectLayout } from "../core/manifest.js";
import { UsageError } from "../core/output/errors.js";
import type { PackageManager } from "../core/packages/package-manager.js";
import { attachReadCache, projectCacheDir } from "../core/read-cache.js";
import { findOwnModules } from "../core/repo/own-modules.js";
import { Tree } from "../core/tree.js";

/** "required": a create-perf-backend project; "optional": any repo (init); "none": makes a new directory (create). */
export type ProjectRequirement = "required" | "optional" | "none";

/** What a generator's dialogue and normalize see of the directory the run starts in. */
export interface GeneratorContext {
  /** Absolute directory the run starts in (--cwd). */
  cwd: string;
  /** Read view of `cwd` (questions read existing tables, loaders...). */
  tree: Tree;
  /** The same files as a plain host (repo inspection). */
  host: FileHost;
  /** perf-backend.json as it is before the run, parsed once; null outside a project. */
  manifest: Manifest | null;
  /** Detected from the repo; for `create`, the one that launched the tool. */
  packageManager: PackageManager;
  /** Which manager was chosen among several lockfiles, and why; absent when nothing was ambiguous. */
  packageManagerNote?: string | null;
}

/** A context whose project has been set up: generators that extend a project read their paths from here. */
export interface ProjectContext extends GeneratorContext {
  manifest: Manifest;
  layout: ProjectLayout;
}

export interface LoadContextOptions {
  cwd: string;
  project: ProjectRequirement;
  /** Package manager when the directory does not tell (create: the one in npm_config_user_agent). */
  fallbackPackageManager?: PackageManager;
  /** Tests: a virtual workspace instead of the disk. */
  host?: FileHost;
}

// Where a new project (and most inits) keep their modules: enough to tell a project that lost its perf-backend.json.
const DEFAULT_SRC_DIR = "src";

function notAProject(cwd: string, host: FileHost): UsageError {
  const orphans = findOwnModules(host, DEFAULT_SRC_DIR);
  if (orphans.length > 0) {
    return new UsageError(
      `No ${MANIFEST_FILE} in ${cwd}, yet it holds create-perf-backend's modules (${orphans.join(", ")}).`,
      [
        `Restore ${MANIFEST_FILE} (\`git checkout -- ${MANIFEST_FILE}\`, or from a backup): it records where they are and what was generated; init would add copies beside them.`,
      ],
    );
  }
  return new UsageError(`No ${MANIFEST_FILE} in ${cwd}: this is not a create-perf-backend project.`, [
    "Create one with `npx create-perf-backend <dir>`, add one to an existing repo with `npx create-perf-backend init`, or pass --cwd <project dir>.",
  ]);
}

export async function loadGeneratorContext(options: LoadContextOptions): Promise<GeneratorContext> {
  const host = options.host ?? createDiskHost(options.cwd);
  const tree = new Tree(host);
  // On the disk, reads that are pure functions of files (the schema model) are reused across runs.
  if (!options.host) attachReadCache(tree, projectCacheDir(options.cwd));
  if (options.project === "none") {
    return { cwd: options.cwd, tree, host, manifest: null, packageManager: options.fallbackPackageManager ?? "npm" };
  }
  const manifest = readManifest(tree);
  if (!manifest && options.project === "required") throw notAProject(options.cwd, host);
  if (options.host)
    return { cwd: options.cwd, tree, host, manifest, packageManager: options.fallbackPackageManager ?? "npm" };
  const packageManager = await detectPackageManager(options.cwd);
  return {
    cwd: options.cwd,
    tree,
    host,
    manifest,
    packageManager,
    packageManagerNote: lockfileChoiceNote(options.cwd, packageManager),
  };
}

/** The project context of a feature generator, or the error that says how to set one up (exit 2). */
export function requireProject(context: GeneratorContext): ProjectContext {
  if (!context.manifest) throw notAProject(context.cwd, context.host);
  return { ...context, manifest: context.manifest, layout: context.manifest.layout };
}
