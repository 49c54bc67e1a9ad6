import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { packageInfo, packageRoot } from "./packages/package-root.js";
import type { Tree } from "./tree.js";

/** Written by `npm run build` (scripts/build-artifacts.js): a hash of the built code, so a rebuilt tool never reads an old entry. */
export const BUILD_ID_FILE = "build-id.json";
const CACHE_NAME = "create-perf-backend";
const FORMAT = 1;
const BUILD_PREFIX_LENGTH = 12;

/** A read the computation made, and the hash of what it saw: the entry is valid while every one still sees the same. */
type RecordedRead = [kind: ReadKind, path: string, hash: string];
type ReadKind = "read" | "original" | "children";

interface CacheEntry {
  format: number;
  reads: RecordedRead[];
  value: unknown;
}

/** Hits and misses of this process: tests assert through them (and a module-load hook), never through timing. */
export const readCacheStats = { hits: 0, misses: 0 };

const cacheDirs = new WeakMap<Tree, string>();

const hashOf = (text: string | null): string =>
  text === null ? "-" : createHash("sha256").update(text).digest("base64url");

let buildId: string | null | undefined;

function currentBuildId(): string | null {
  if (buildId !== undefined) return buildId;
  try {
    buildId = (JSON.parse(readFileSync(path.join(packageRoot(), "dist", BUILD_ID_FILE), "utf8")) as { id: string }).id;
  } catch {
    // Run from src/ (tests, tsx): the code may change under the same version, so nothing is cached.
    buildId = null;
  }
  return buildId;
}

/**
 * Where a project's cached reads live: `node_modules/.cache/create-perf-backend` when it has node_modules (the
 * convention of Babel, ESLint and Vite), otherwise a folder of the user's cache dir named by the project path.
 */
export function projectCacheDir(root: string, homeDir = os.homedir()): string {
  if (existsSync(path.join(root, "node_modules"))) return path.join(root, "node_modules", ".cache", CACHE_NAME);
  return path.join(homeDir, ".cache", CACHE_NAME, "projects", hashOf(path.resolve(root)).slice(0, 16));
}

/** Lets `cachedTreeRead` keep entries for this tree (a disk run) in `dir`; without it nothing is cached. */
export function attachReadCache(tree: Tree, dir: string): void {
  cacheDirs.set(tree, dir);
}

const answer = (tree: Tree, kind: ReadKind, file: string): string | null =>
  kind === "read" ? tree.read(file) : kind === "original" ? tree.readOriginal(file) : tree.children(file).join("\n");

// What a cached computation may ask the tree; anything else (a write, the staged changes) makes it uncacheable.
const RECORDED: Readonly<Record<string, ReadKind>> = {
  read: "read",
  exists: "read",
  readOriginal: "original",
  children: "children",
};

/** The tree as `compute` sees it, with every read recorded. */
function recordingTree(tree: Tree, reads: RecordedRead[], onUncacheable: () => void): Tree {
  const asked = new Set<string>();
  return new Proxy(tree, {
    get(target, property) {
      const kind = typeof property === "string" ? RECORDED[property] : undefined;
      if (kind) {
        return (file: string) => {
          // The tree answers a path the same way all run long: one record per question is enough to check.
          const record = (text: string | null): void => {
            const question = `${kind}\0${file}`;
            if (asked.has(question)) return;
            asked.add(question);
            reads.push([kind, file, hashOf(text)]);
          };
          if (kind === "children") {
            const names = target.children(file);
            record(names.join("\n"));
            return names;
          }
          const text = answer(target, kind, file);
          record(text);
          return property === "exists" ? text !== null : text;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      onUncacheable();
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}

function stillValid(tree: Tree, reads: readonly RecordedRead[]): boolean {
  return reads.every(([kind, file, hash]) => hashOf(answer(tree, kind, file)) === hash);
}

function readEntry(file: string): CacheEntry | null {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
    return entry.format === FORMAT && Array.isArray(entry.reads) ? entry : null;
  } catch {
    return null;
  }
}

function writeEntry(file: string, entry: CacheEntry, buildPrefix: string): void {
  // A cache is an optimisation: a read-only or full disk costs the next run time, never this run its result.
  const dir = path.dirname(file);
  const temporary = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, JSON.stringify(entry));
    renameSync(temporary, file);
    // Entries of another build (or version) are never read again: a miss is when they are dropped.
    for (const name of readdirSync(dir))
      if (name.endsWith(".json") && !name.startsWith(buildPrefix)) rmSync(path.join(dir, name), { force: true });
  } catch {
    rmSync(temporary, { force: true });
  }
}

export interface TreeReadCodec<T> {
  /** JSON-safe form of the value (taken before anyone can mutate it). */
  serialize(value: T): unknown;
  deserialize(stored: unknown): T;
}

/**
 * Memoizes `compute`, a pure function of what it reads from the tree, across runs: the entry holds the hash of
 * every read it made (file texts and directory listings) and is used only while each read still gives the same
 * answer. `key` names the computation and its options; the tool's version and build are part of the key.
 */
export async function cachedTreeRead<T>(
  tree: Tree,
  key: string,
  compute: (tree: Tree) => Promise<T>,
  codec: TreeReadCodec<T>,
): Promise<T> {
  const dir = cacheDirs.get(tree);
  const build = dir ? currentBuildId() : null;
  if (!dir || !build) return compute(tree);
  const buildPrefix = `${hashOf(`${packageInfo().version}\0${build}`).slice(0, BUILD_PREFIX_LENGTH)}-`;
  const file = path.join(dir, `${buildPrefix}${hashOf(key)}.json`);
  const entry = readEntry(file);
  if (entry && stillValid(tree, entry.reads)) {
    readCacheStats.hits += 1;
    return codec.deserialize(entry.value);
  }
  readCacheStats.misses += 1;
  const reads: RecordedRead[] = [];
  let cacheable = true;
  const value = await compute(
    recordingTree(tree, reads, () => {
      cacheable = false;
    }),
  );
  if (cacheable) writeEntry(file, { format: FORMAT, reads, value: codec.serialize(value) }, buildPrefix);
  return value;
}
