import path from "node:path";

import { GenerationError } from "./output/errors.js";

const NOTHING_OUTSIDE: ReadonlySet<string> = new Set();
const ANCESTOR_DIR = /^\.\.(?:\/\.\.)*$/;
const MANIFEST = "package.json";

/**
 * Tree paths are POSIX, relative to the tree root, normalized.
 * Anything escaping the root is a programming error in a generator, not user input, except the few paths
 * the host lets out (`outside`: the workspace root's package.json, see `workspaceManifestPath`).
 */
export function normalizeTreePath(input: string, outside: ReadonlySet<string> = NOTHING_OUTSIDE): string {
  const posix = input.replaceAll("\\", "/");
  if (posix.startsWith("/") || /^[A-Za-z]:/.test(posix)) {
    throw new GenerationError(`Generator tried to use an absolute path: ${input}`);
  }
  const normalized = path.posix.normalize(posix).replace(/^\.\//, "");
  if (normalized === ".." || normalized.startsWith("../")) {
    if (outside.has(normalized)) return normalized;
    throw new GenerationError(`Generator tried to write outside the target directory: ${input}`);
  }
  return normalized === "." ? "" : normalized.replace(/\/$/, "");
}

/**
 * The tree path of the workspace root's package.json, seen from a package inside it (`../../package.json`):
 * the one file above the root a run may read and edit (dev tools the workspace keeps there).
 * `rootDir` is the workspace root relative to the package; only an ancestor qualifies.
 */
export function workspaceManifestPath(rootDir: string): string {
  const dir = path.posix.normalize(rootDir.replaceAll("\\", "/")).replace(/\/$/, "");
  if (!ANCESTOR_DIR.test(dir))
    throw new GenerationError(`The workspace root must be an ancestor of the package, not ${rootDir}.`);
  return `${dir}/${MANIFEST}`;
}
