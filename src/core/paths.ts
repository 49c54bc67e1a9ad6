import path from "node:path";

import { GenerationError } from "./errors.js";

/**
 * Tree paths are POSIX, relative to the tree root, normalized.
 * Anything escaping the root is a programming error in a generator, not user input.
 */
export function normalizeTreePath(input: string): string {
  const posix = input.replaceAll("\\", "/");
  if (posix.startsWith("/") || /^[A-Za-z]:/.test(posix)) {
    throw new GenerationError(`Generator tried to use an absolute path: ${input}`);
  }
  const normalized = path.posix.normalize(posix).replace(/^\.\//, "");
  if (normalized === ".." || normalized.startsWith("../")) {
    throw new GenerationError(`Generator tried to write outside the target directory: ${input}`);
  }
  return normalized === "." ? "" : normalized.replace(/\/$/, "");
}
