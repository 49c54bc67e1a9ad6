import path from "node:path";

import type { FileHost } from "../host.js";

const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", ".next", "coverage", ".git", ".turbo", "out"]);
const SOURCE_FILE = /\.(?:c|m)?[jt]sx?$/;
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
// Where database and cache clients live in practice; detection reads only these, never the whole repo.
const INTERESTING =
  /(?:^|\/)(?:db|database|drizzle|redis|cache|pool|schema|client|lib|server|infra|config)(?:\/|\.|-|$)/i;
const MAX_DEPTH = 5;
const MAX_FILES = 400;

/** Source files under `dir` whose path suggests a database, cache or schema module (or any, in a package that is all database). */
export function interestingSourceFiles(host: FileHost, dir: string, interesting: RegExp = INTERESTING): string[] {
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
    for (const name of host.list(current).sort()) {
      if (SKIPPED_DIRS.has(name)) continue;
      const child = current === "" ? name : path.posix.join(current, name);
      if (host.isDirectory(child)) walk(child, depth + 1);
      else if (SOURCE_FILE.test(name) && !TEST_FILE.test(name) && !name.endsWith(".d.ts") && interesting.test(child))
        found.push(child);
    }
  };
  walk(dir, 0);
  return found;
}

export interface ExportMatch {
  file: string;
  exportName: string;
}

/** First file that exports a const initialised by `initializer` (e.g. `drizzle(`) and imports `fromModule`. */
export function findExportedConst(
  host: FileHost,
  files: readonly string[],
  initializer: RegExp,
  fromModule: RegExp,
): (ExportMatch & { text: string }) | null {
  for (const file of files) {
    const text = host.read(file) ?? "";
    if (!fromModule.test(text)) continue;
    const pattern = new RegExp(String.raw`export\s+const\s+(\w+)\s*(?::[^=]+)?=\s*(?:await\s+)?${initializer.source}`);
    const match = pattern.exec(text);
    if (match?.[1]) return { file, exportName: match[1], text };
  }
  return null;
}
