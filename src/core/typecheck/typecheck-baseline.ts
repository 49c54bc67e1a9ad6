import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

// Folders no tsconfig compiles from: dependencies, VCS, caches and build output of common tools.
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", ".next", ".nuxt", ".turbo", ".cache", "coverage", "dist"]);
// What a TypeScript program can read from the repo (sources, declarations, JS under allowJs, JSON imports, tsconfig).
const PROGRAM_FILE = /\.(?:[cm]?[jt]sx?|json)$/;
// Files outside that pattern that still change what compiles: which versions node_modules holds.
const LOCKFILES = ["pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb"];
const BASELINE_FORMAT = 2;

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
export function baselineKey(
  root: string,
  files: readonly string[],
  compiler: string,
  staged: ReadonlyMap<string, string> = new Map(),
): string {
  const hash = createHash("sha256").update(`${String(BASELINE_FORMAT)}\0${compiler}\0`);
  for (const file of files) {
    hash.update(file).update("\0");
    const content = staged.get(file);
    try {
      hash.update(content === undefined ? readFileSync(path.join(root, file)) : Buffer.from(content)).update("\0");
    } catch {
      hash.update("missing\0");
    }
  }
  return hash.digest("hex");
}

/** The program files once the staged ones are written (new ones added), in the order `listProgramFiles` gives. */
export function filesAfter(files: readonly string[], staged: ReadonlyMap<string, string>): string[] {
  return [
    ...new Set([
      ...files,
      ...[...staged.keys()].filter((file) => PROGRAM_FILE.test(file) || LOCKFILES.includes(path.posix.basename(file))),
    ]),
  ].sort();
}

/**
 * The repo's diagnostics after the run, from a check of only the files it affected: the others keep theirs.
 * Written as the next run's baseline, so a chain of runs (init, then each generator) computes the full one once.
 */
export function baselineAfter(
  before: readonly string[],
  after: readonly string[],
  affected: readonly string[] | null,
): string[] {
  if (affected === null) return [...after];
  const changed = new Set(affected);
  const fileOf = (diagnostic: string): string | null => POSITION.exec(diagnostic)?.[1] ?? null;
  return [
    ...before.filter((diagnostic) => {
      const file = fileOf(diagnostic);
      return file !== null && !changed.has(file);
    }),
    ...after,
  ];
}

interface BaselineEntry {
  key: string;
  diagnostics: string[];
}
// The repo before this run and after it (the next run's), plus a couple of states a retry or a revert returns to.
const BASELINES_KEPT = 4;

function baselinePath(cacheDir: string, root: string): string {
  return path.join(cacheDir, "baselines", `${createHash("sha256").update(root).digest("hex").slice(0, 32)}.json`);
}

function readEntries(cacheDir: string, root: string): BaselineEntry[] {
  try {
    const stored = JSON.parse(readFileSync(baselinePath(cacheDir, root), "utf8")) as { entries?: unknown };
    return Array.isArray(stored.entries)
      ? (stored.entries as BaselineEntry[]).filter(
          (entry) => typeof entry.key === "string" && Array.isArray(entry.diagnostics),
        )
      : [];
  } catch {
    return [];
  }
}

/** The repo's diagnostics before a run, when the cache holds them for exactly this key. */
export function readBaseline(cacheDir: string, root: string, key: string): string[] | null {
  return readEntries(cacheDir, root).find((entry) => entry.key === key)?.diagnostics ?? null;
}

/** The latest few baselines per repo: a cache, so failing to write it costs only time. */
export function writeBaseline(cacheDir: string, root: string, key: string, diagnostics: readonly string[]): void {
  const file = baselinePath(cacheDir, root);
  try {
    const entries = [
      { key, diagnostics: [...diagnostics] },
      ...readEntries(cacheDir, root).filter((entry) => entry.key !== key),
    ].slice(0, BASELINES_KEPT);
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${String(process.pid)}.tmp`;
    writeFileSync(temp, JSON.stringify({ entries }));
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

const SOURCE = /\.[cm]?[jt]sx?$/;
const DECLARATION = /\.d\.[cm]?ts$/;
// Imports, re-exports, dynamic imports and requires; JSDoc `import("x")` types too.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;
// What reaches files that never import it: global declarations and module augmentation.
const GLOBAL_EFFECT = /\bdeclare\s+(?:global\b|module\s+["'])/;
const MODULE_SYNTAX = /^\s*(?:import|export)\b/m;
const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".d.ts", ".js", ".jsx", "/index.ts", "/index.tsx", "/index.js"];
const JS_TO_TS: Record<string, string[]> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

function resolveRelative(from: string, specifier: string, known: ReadonlySet<string>): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const extension = path.posix.extname(base);
  const candidates = [
    ...RESOLVE_SUFFIXES.map((suffix) => `${base}${suffix}`),
    ...(JS_TO_TS[extension] ?? []).map((ts) => `${base.slice(0, -extension.length)}${ts}`),
  ];
  return candidates.find((candidate) => known.has(candidate)) ?? null;
}

/**
 * The files whose diagnostics a run can change: the staged sources and every file that imports one of them,
 * transitively. Null when the run can change any file's (a tsconfig or dependency change, a global declaration,
 * a script file, or an import through a tsconfig `paths` alias, which this scan does not resolve). The caller
 * decides about package.json (a new dependency changes no existing file; a re-pinned one may change any).
 */
export function affectedFiles(
  files: readonly string[],
  staged: ReadonlyMap<string, string>,
  readOriginal: (file: string) => string | null,
  aliasPrefixes: readonly string[],
): string[] | null {
  for (const [file, content] of staged) {
    if (!SOURCE.test(file)) {
      if (/(?:^|\/)tsconfig[^/]*\.json$/.test(file)) return null;
      continue;
    }
    if (DECLARATION.test(file) || GLOBAL_EFFECT.test(content) || !MODULE_SYNTAX.test(content)) return null;
  }
  const sources = files.filter((file) => SOURCE.test(file));
  const known = new Set([...sources, ...[...staged.keys()].filter((file) => SOURCE.test(file))]);
  const importers = new Map<string, Set<string>>();
  for (const file of known) {
    const content = staged.get(file) ?? readOriginal(file) ?? "";
    for (const match of content.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? "";
      if (!specifier.startsWith(".")) {
        // A `paths` alias may point anywhere in the repo.
        if (aliasPrefixes.some((prefix) => specifier.startsWith(prefix))) return null;
        continue;
      }
      const target = resolveRelative(file, specifier, known);
      if (target) importers.set(target, (importers.get(target) ?? new Set()).add(file));
    }
  }
  const affected = new Set([...staged.keys()].filter((file) => SOURCE.test(file)));
  const queue = [...affected];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const importer of importers.get(file) ?? []) {
      if (!affected.has(importer)) {
        affected.add(importer);
        queue.push(importer);
      }
    }
  }
  return [...affected].sort();
}

/** Specifier prefixes that a tsconfig's `paths` (and a `baseUrl`'s top-level entries) map into the repo. */
export function aliasPrefixes(
  paths: Readonly<Record<string, unknown>> | undefined,
  baseUrl: string | undefined,
): string[] {
  const prefixes = Object.keys(paths ?? {}).map((key) => key.replace(/\*.*$/, ""));
  if (baseUrl) {
    try {
      for (const entry of readdirSync(baseUrl, { withFileTypes: true })) {
        if (entry.name !== "node_modules")
          prefixes.push(entry.isDirectory() ? `${entry.name}/` : entry.name.replace(/\.[^.]+$/, ""));
      }
    } catch {
      // A baseUrl that does not exist maps nothing.
    }
  }
  return prefixes.filter((prefix) => prefix.length > 0);
}

const DEPENDENCY_SECTIONS = new Set(["dependencies", "devDependencies"]);

/**
 * Whether a package.json edit can change what existing files compile to: new dependencies cannot (nothing
 * imported them yet), a re-pinned one or any other field (type, imports, exports) can.
 */
export function packageJsonChangesExistingTypes(before: string | null, after: string | null): boolean {
  try {
    const old = JSON.parse(before ?? "{}") as Record<string, unknown>;
    const next = JSON.parse(after ?? "{}") as Record<string, unknown>;
    const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
    for (const key of keys) {
      if (!DEPENDENCY_SECTIONS.has(key)) {
        if (JSON.stringify(old[key]) !== JSON.stringify(next[key])) return true;
        continue;
      }
      const oldSection = (old[key] ?? {}) as Record<string, unknown>;
      const nextSection = (next[key] ?? {}) as Record<string, unknown>;
      if (Object.keys(oldSection).some((name) => oldSection[name] !== nextSection[name])) return true;
    }
    return false;
  } catch {
    return true;
  }
}
