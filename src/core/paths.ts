import path from "node:path";

import { GenerationError } from "./errors.js";
import type { ProjectLayout } from "./manifest.js";

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

/** A TypeScript source file (`.ts`, `.mts`, `.cts`, `.tsx`). */
export const TYPESCRIPT_FILE = /\.(?:c|m)?tsx?$/;

/** The specifier to write in `fromFile` for importing `toFile`, honouring the project's import style and aliases. */
export function moduleSpecifier(layout: Pick<ProjectLayout, "importStyle" | "aliases">, fromFile: string, toFile: string): string {
  const target = normalizeTreePath(toFile).replace(TYPESCRIPT_FILE, "");
  let relative = path.posix.relative(path.posix.dirname(normalizeTreePath(fromFile)), target);
  // `schema/posts.ts` importing `schema.ts`: the target is the importing file's own folder name.
  if (relative === "") relative = `../${path.posix.basename(target)}`;
  if (!relative.startsWith(".")) relative = `./${relative}`;
  const alias = relative.startsWith("../") ? layout.aliases?.find((candidate) => target.startsWith(candidate.target)) : undefined;
  const base = alias ? `${alias.prefix}${target.slice(alias.target.length)}` : relative;
  return layout.importStyle === "nodenext" ? `${base}.js` : base;
}


