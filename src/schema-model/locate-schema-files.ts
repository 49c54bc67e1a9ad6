import path from "node:path";

import picomatch from "picomatch";

import type { Tree } from "../core/tree.js";
import type { DiagnosticLog } from "./diagnostics.js";
import type { SourceGraph } from "./source-graph.js";

const SCHEMA_SOURCE = /\.[cm]?tsx?$/;
const NOT_SCHEMA = /\.(?:d|test|spec)\.[cm]?tsx?$/;
const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist"]);
const GLOB_CHARS = /[*?[\]{}]/;

const isSchemaSource = (name: string): boolean => SCHEMA_SOURCE.test(name) && !NOT_SCHEMA.test(name);

/** Every schema source below `dir` (staged files included). */
function filesBelow(tree: Tree, dir: string): string[] {
  const files: string[] = [];
  for (const name of tree.children(dir)) {
    if (SKIPPED_DIRS.has(name)) continue;
    const child = dir === "" || dir === "." ? name : path.posix.join(dir, name);
    if (tree.read(child) !== null) {
      if (isSchemaSource(name)) files.push(child);
    } else files.push(...filesBelow(tree, child));
  }
  return files;
}

/** The fixed folder a glob starts from: `src/db/*.schema.ts` -> `src/db`. */
function globBase(pattern: string): string {
  const parts = pattern.split("/");
  const fixed: string[] = [];
  for (const part of parts) {
    if (GLOB_CHARS.test(part)) break;
    fixed.push(part);
  }
  return fixed.join("/");
}

/** A `schema` entry as drizzle-kit reads it: one file, every file of a folder, or a glob. */
export function expandSchemaEntry(tree: Tree, entry: string, log: DiagnosticLog, source: string): string[] {
  const clean = entry.replace(/^\.\//, "");
  if (GLOB_CHARS.test(clean)) {
    const matches = picomatch(clean, { dot: false });
    const files = filesBelow(tree, globBase(clean)).filter((file) => matches(file));
    if (files.length === 0) log.add("schema-path-missing", source, 1, `schema glob "${entry}" matches no file`);
    return files;
  }
  if (tree.read(clean) !== null) return [clean];
  const files = filesBelow(tree, clean);
  if (files.length === 0)
    log.add(
      "schema-path-missing",
      source,
      1,
      `schema path "${entry}" is neither a file nor a folder with TypeScript files`,
    );
  return files;
}

/** The entries plus every file they re-export (`export * from`, `export { x } from`), transitively. */
export function withReExports(graph: SourceGraph, entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...graph.reExports(file));
  }
  return [...seen];
}
