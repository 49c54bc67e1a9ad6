import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

// Folders no tsconfig compiles from: dependencies, VCS, caches and build output of common tools.
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", ".next", ".nuxt", ".turbo", ".cache", "coverage", "dist"]);
// What a TypeScript program can read from the repo (sources, declarations, JS under allowJs, JSON imports, tsconfig).
const PROGRAM_FILE = /\.(?:[cm]?[jt]sx?|json)$/;
// Files outside that pattern that still change what compiles: which versions node_modules holds.
const LOCKFILES = ["pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb"];
const BASELINE_FORMAT = 1;

/** Every file under `root` a program could read, relative, `/`-separated, sorted. */
export function listProgramFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(child);
      } else if (entry.isFile() && (PROGRAM_FILE.test(entry.name) || LOCKFILES.includes(entry.name))) {
        files.push(child);
      }
    }
  };
  walk("");
  return files.sort();
}

/**
 * What the repo's diagnostics depend on, as one hash: the compiler and route, and every file a program could read
 * (with the lockfile, which pins node_modules). Same key, same diagnostics: the baseline is reused.
 */
export function baselineKey(root: string, files: readonly string[], compiler: string, extra: readonly string[] = []): string {
  const hash = createHash("sha256").update(`${String(BASELINE_FORMAT)}\0${compiler}\0`);
  for (const file of files) {
    hash.update(file).update("\0");
    try {
      hash.update(readFileSync(path.join(root, file))).update("\0");
    } catch {
      hash.update("missing\0");
    }
  }
  for (const text of extra) hash.update(text).update("\0");
  return hash.digest("hex");
}

interface BaselineFile {
  key: string;
  diagnostics: string[];
}

function baselinePath(cacheDir: string, root: string): string {
  return path.join(cacheDir, "baselines", `${createHash("sha256").update(root).digest("hex").slice(0, 32)}.json`);
}

/** The repo's diagnostics before a run, when the cache holds them for exactly this key. */
export function readBaseline(cacheDir: string, root: string, key: string): string[] | null {
  try {
    const stored = JSON.parse(readFileSync(baselinePath(cacheDir, root), "utf8")) as Partial<BaselineFile>;
    return stored.key === key && Array.isArray(stored.diagnostics) ? stored.diagnostics : null;
  } catch {
    return null;
  }
}

/** One baseline per repo (the latest): a cache, so failing to write it costs only time. */
export function writeBaseline(cacheDir: string, root: string, key: string, diagnostics: readonly string[]): void {
  const file = baselinePath(cacheDir, root);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${String(process.pid)}.tmp`;
    writeFileSync(temp, JSON.stringify({ key, diagnostics } satisfies BaselineFile));
    renameSync(temp, file);
  } catch {
    // A read-only home: the next run recomputes the baseline.
  }
}

// `src/a.ts(3,7): TS2322 message`: the position moves when a run edits the file above it, so it does not count.
const POSITION = /^(.*?)\(\d+,\d+\): /;

function identity(diagnostic: string): string {
  return diagnostic.replace(POSITION, "$1: ");
}

/** Diagnostics of `after` the repo did not already have (same file, code and message, counted). */
export function introducedDiagnostics(before: readonly string[], after: readonly string[]): string[] {
  const remaining = new Map<string, number>();
  for (const diagnostic of before) remaining.set(identity(diagnostic), (remaining.get(identity(diagnostic)) ?? 0) + 1);
  return after.filter((diagnostic) => {
    const left = remaining.get(identity(diagnostic)) ?? 0;
    remaining.set(identity(diagnostic), left - 1);
    return left <= 0;
  });
}
