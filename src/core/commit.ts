import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs/promises";
import path from "node:path";

import { GenerationError } from "./errors.js";
import type { PlanEntry } from "./plan.js";

/** The file operations a commit uses; tests swap in one that fails part-way. */
export interface CommitFs {
  mkdir(dir: string): Promise<void>;
  rmdir(dir: string): Promise<void>;
  writeFile(file: string, content: string): Promise<void>;
  readFile(file: string): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
  /** File mode, or null when the file does not exist. */
  mode(file: string): Promise<number | null>;
}

export const diskCommitFs: CommitFs = {
  mkdir: async (dir) => {
    await nodeFs.mkdir(dir);
  },
  rmdir: (dir) => nodeFs.rmdir(dir),
  writeFile: (file, content) => nodeFs.writeFile(file, content, { flag: "wx" }),
  readFile: (file) => nodeFs.readFile(file, "utf8"),
  rename: (from, to) => nodeFs.rename(from, to),
  unlink: (file) => nodeFs.unlink(file),
  chmod: (file, mode) => nodeFs.chmod(file, mode),
  mode: async (file) => {
    try {
      return (await nodeFs.stat(file)).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  },
};

const TEMP_ID_BYTES = 6;
const PERMISSION_BITS = 0o777;

interface Swap {
  target: string;
  temp: string;
  backup: string | null;
  done: boolean;
}

async function createMissingDirs(fs: CommitFs, file: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let dir = path.dirname(file); (await fs.mode(dir)) === null; dir = path.dirname(dir)) {
    missing.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    await fs.mkdir(dir);
    created.push(dir);
  }
}

async function quietly(work: () => Promise<unknown>, failures: string[], what: string): Promise<void> {
  try {
    await work();
  } catch (error) {
    failures.push(`${what}: ${(error as Error).message}`);
  }
}

/**
 * Writes every entry or none: stage temp files beside their targets, then swap them in with renames.
 * On any failure every swap already done is undone and staged files and new directories are removed,
 * so the target is exactly as it was.
 */
export async function commitEntries(root: string, entries: readonly PlanEntry[], fs: CommitFs = diskCommitFs): Promise<string[]> {
  return withSignalsDeferred(() => writeAll(root, entries, fs));
}

const DEFERRED_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Ctrl-C between two renames would leave half a commit. The commit takes milliseconds: hold signals
 * until it has finished (or rolled back), then deliver the first one as if it had just arrived.
 */
async function withSignalsDeferred<T>(work: () => Promise<T>): Promise<T> {
  const received: NodeJS.Signals[] = [];
  const defer = (signal: NodeJS.Signals): void => {
    received.push(signal);
  };
  for (const signal of DEFERRED_SIGNALS) process.on(signal, defer);
  try {
    return await work();
  } finally {
    for (const signal of DEFERRED_SIGNALS) process.off(signal, defer);
    const [first] = received;
    if (first) process.kill(process.pid, first);
  }
}

async function writeAll(root: string, entries: readonly PlanEntry[], fs: CommitFs): Promise<string[]> {
  const id = randomBytes(TEMP_ID_BYTES).toString("hex");
  const createdDirs: string[] = [];
  const swaps: Swap[] = [];
  try {
    for (const entry of entries) {
      if (entry.after === null) continue;
      const target = path.join(root, entry.path);
      await createMissingDirs(fs, target, createdDirs);
      const currentMode = await fs.mode(target);
      const current = currentMode === null ? null : await fs.readFile(target);
      if (current !== entry.before) {
        throw new GenerationError(`${entry.path} changed on disk while the plan was being made; run again.`);
      }
      const temp = `${target}.${id}.tmp`;
      swaps.push({ target, temp, backup: currentMode === null ? null : `${target}.${id}.bak`, done: false });
      await fs.writeFile(temp, entry.after);
      // Keep the permissions of a replaced file (an executable script stays executable).
      const mode = currentMode === null ? entry.mode : (currentMode & PERMISSION_BITS) | (entry.mode ?? 0);
      if (mode !== undefined) await fs.chmod(temp, mode);
    }
    for (const swap of swaps) {
      if (swap.backup) await fs.rename(swap.target, swap.backup);
      swap.done = true;
      await fs.rename(swap.temp, swap.target);
    }
  } catch (error) {
    const failures = await rollback(fs, swaps, createdDirs);
    const details = failures.length > 0 ? [`Rollback also failed: ${failures.join("; ")}`] : [];
    const reason = error instanceof Error ? error.message : String(error);
    throw new GenerationError(`Writing files failed, nothing was changed: ${reason}`, details);
  }
  const leftovers: string[] = [];
  for (const swap of swaps) {
    if (swap.backup) await quietly(() => fs.unlink(swap.backup as string), leftovers, swap.backup);
  }
  return leftovers;
}

async function rollback(fs: CommitFs, swaps: readonly Swap[], createdDirs: readonly string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const swap of [...swaps].reverse()) {
    if (swap.done) {
      // The new file may or may not have been renamed in yet.
      if ((await fs.mode(swap.temp)) === null) await quietly(() => fs.unlink(swap.target), failures, swap.target);
      if (swap.backup) await quietly(() => fs.rename(swap.backup as string, swap.target), failures, swap.target);
    }
    if ((await fs.mode(swap.temp)) !== null) await quietly(() => fs.unlink(swap.temp), failures, swap.temp);
  }
  for (const dir of [...createdDirs].reverse()) await quietly(() => fs.rmdir(dir), failures, dir);
  return failures;
}
