import path from "node:path";

/** What locating a config needs of the files: a reader and a folder listing (a FileHost or a Tree). */
export interface ConfigLookup {
  read(file: string): string | null;
  list(dir: string): string[];
}

export const DRIZZLE_CONFIG_NAMES = [
  "drizzle.config.ts",
  "drizzle.config.mts",
  "drizzle.config.cts",
  "drizzle.config.js",
  "drizzle.config.mjs",
  "drizzle.config.cjs",
];

// `drizzle-kit generate --config migrations/drizzle.config.ts` or `--config=./db/drizzle.config.ts`.
const CONFIG_FLAG = /\bdrizzle-kit\b[^&|;]*?--config(?:=|\s+)["']?([^\s"'&|;]+)/g;
// Folders a config is never in (installed packages, build output, drizzle-kit's own migrations output).
const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", ".next", "coverage", ".git", ".turbo", "out"]);
// Folders whose configs are not the package's own: test fixtures, examples, vendored or installed copies.
const NOT_THE_PACKAGES = new Set([
  "test",
  "tests",
  "__tests__",
  "e2e",
  "fixtures",
  "__fixtures__",
  "example",
  "examples",
  "vendor",
  "bower_components",
  "jspm_packages",
  "tmp",
  "temp",
]);
const MAX_DEPTH = 3;

const inRoot = (root: string, file: string): string =>
  path.posix.normalize(root ? path.posix.join(root, file) : file).replace(/^\.\//, "");

/** Config paths the package's scripts pass to drizzle-kit with `--config`, in script order. */
export function configsFromScripts(scripts: Readonly<Record<string, string>> | undefined): string[] {
  const found: string[] = [];
  for (const command of Object.values(scripts ?? {})) {
    for (const match of command.matchAll(CONFIG_FLAG)) if (match[1] && !found.includes(match[1])) found.push(match[1]);
  }
  return found;
}

/** A `drizzle.config.*` in a subfolder of `root`, the shallowest first (breadth-first, names in sorted order). */
function configBelow(files: ConfigLookup, root: string, ignore: ReadonlySet<string>): string | null {
  let level = [root];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const name of [...files.list(dir)].sort()) {
        if (SKIPPED_DIRS.has(name) || NOT_THE_PACKAGES.has(name.toLowerCase()) || name.startsWith(".")) continue;
        const child = inRoot(dir, name);
        if (DRIZZLE_CONFIG_NAMES.includes(name)) {
          if (depth > 0 && !ignore.has(child) && files.read(child) !== null) return child;
        } else if (!name.includes(".")) next.push(child);
      }
    }
    level = next;
  }
  return null;
}

/**
 * The drizzle config drizzle-kit reads for the package at `root`: the one its scripts pass with `--config`, else
 * `drizzle.config.*` at the root (drizzle-kit's default), else one in a subfolder (`migrations/drizzle.config.ts`).
 * Files in `ignore` (written by an earlier run of ours) are not the repo's.
 */
export function locateDrizzleConfig(
  files: ConfigLookup,
  root: string,
  scripts: Readonly<Record<string, string>> | undefined,
  ignore: ReadonlySet<string> = new Set(),
): string | null {
  const usable = (file: string): boolean => !ignore.has(file) && files.read(file) !== null;
  const fromScripts = configsFromScripts(scripts)
    .map((entry) => inRoot(root, entry))
    .find(usable);
  if (fromScripts) return fromScripts;
  const atRoot = DRIZZLE_CONFIG_NAMES.map((name) => inRoot(root, name)).find(usable);
  return atRoot ?? configBelow(files, root, ignore);
}
