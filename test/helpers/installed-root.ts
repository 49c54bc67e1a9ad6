import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import lockfile from "proper-lockfile";
import { afterAll, beforeAll } from "vitest";

import { NPM_INSTALL_ARGS, inProject } from "./project.js";

// One install at a time per root: another worker waits for it (an install takes under a minute; a cold cache longer).
const LOCK_RETRIES = 600;
const LOCK_RETRY_MS = 1_000;
const LOCK_STALE_MS = 30_000;
const KEY_LENGTH = 16;
const INSTALLED_MARKER = ".installed";
const RUNS_DIR = "runs";
// A cold npm cache on a loaded machine.
const INSTALL_TIMEOUT_MS = 300_000;

export interface InstalledRoot {
  /** A fresh directory of this suite's own below the shared node_modules: fixture repos go here. */
  dir: string;
  /** A package's bin from the shared node_modules, e.g. `bin("tsc")`. */
  bin: (name: string) => string;
  /** Removes `dir` (the shared install stays for the next suite and run). */
  cleanup: () => Promise<void>;
}

/** Where the install of these dependencies lives: its name is a hash of what it installs and the Node line. */
function installedRootPath(dependencies: Record<string, string>): string {
  const key = createHash("sha256")
    .update(JSON.stringify({ dependencies, node: process.versions.node.split(".")[0] }))
    .digest("hex")
    .slice(0, KEY_LENGTH);
  return path.join(tmpdir(), "cpb-installed-roots", key);
}

/**
 * The directory of a node_modules of `dependencies`, installed once per content and shared by every suite, worker
 * and run that asks for the same list (npm install the way the suites did it before, offline-first, without
 * scripts). The install is not what these suites test: the generated project's own install is (create-project, pack).
 */
export async function sharedInstall(dependencies: Record<string, string>): Promise<string> {
  const root = installedRootPath(dependencies);
  await mkdir(path.join(root, RUNS_DIR), { recursive: true });
  const release = await lockfile.lock(root, {
    lockfilePath: `${root}.lock`,
    stale: LOCK_STALE_MS,
    retries: { retries: LOCK_RETRIES, minTimeout: LOCK_RETRY_MS, maxTimeout: LOCK_RETRY_MS },
  });
  try {
    if (!existsSync(path.join(root, INSTALLED_MARKER))) {
      await writeFile(
        path.join(root, "package.json"),
        JSON.stringify({ name: "fixture-root", private: true, dependencies }),
      );
      await inProject(root, "npm", NPM_INSTALL_ARGS);
      // Written last: an install that died half way is redone, never used.
      await writeFile(path.join(root, INSTALLED_MARKER), new Date().toISOString());
    }
  } finally {
    await release();
  }
  return root;
}

/**
 * A shared install (see `sharedInstall`) with a directory of the caller's own below it, whose fixtures resolve
 * packages and bins from the shared node_modules above.
 */
export async function installedRoot(label: string, dependencies: Record<string, string>): Promise<InstalledRoot> {
  const root = await sharedInstall(dependencies);
  const dir = await mkdtemp(path.join(root, RUNS_DIR, `${label}-`));
  return {
    dir,
    bin: (name) => path.join(root, "node_modules", ".bin", name),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `installedRoot` for a whole suite: installed (or found) before its tests, its own directory removed after them. */
export function useInstalledRoot(label: string, dependencies: Record<string, string>): () => InstalledRoot {
  let installed: InstalledRoot | undefined;
  beforeAll(async () => {
    installed = await installedRoot(label, dependencies);
  }, INSTALL_TIMEOUT_MS);
  afterAll(() => installed?.cleanup());
  return () => {
    if (!installed) throw new Error("useInstalledRoot: used outside its suite");
    return installed;
  };
}
