import path from "node:path";

import type { ProjectLayout } from "./manifest.js";
import { normalizeTreePath } from "./paths.js";

/** A TypeScript source file (`.ts`, `.mts`, `.cts`, `.tsx`). */
export const TYPESCRIPT_FILE = /\.(?:c|m)?tsx?$/;

/** The specifier to write in `fromFile` for importing `toFile`, honouring the project's import style and aliases. */
export function moduleSpecifier(
  layout: Pick<ProjectLayout, "importStyle" | "aliases">,
  fromFile: string,
  toFile: string,
): string {
  const target = normalizeTreePath(toFile).replace(TYPESCRIPT_FILE, "");
  let relative = path.posix.relative(path.posix.dirname(normalizeTreePath(fromFile)), target);
  // `schema/posts.ts` importing `schema.ts`: the target is the importing file's own folder name.
  if (relative === "") relative = `../${path.posix.basename(target)}`;
  if (!relative.startsWith(".")) relative = `./${relative}`;
  const alias = relative.startsWith("../")
    ? layout.aliases?.find((candidate) => target.startsWith(candidate.target))
    : undefined;
  const base = alias ? `${alias.prefix}${target.slice(alias.target.length)}` : relative;
  return layout.importStyle === "nodenext" ? `${base}.js` : base;
}
