import { randomBytes } from "node:crypto";
import path from "node:path";

import { GenerationError } from "../output/errors.js";
import type { PlanEntry } from "../plan.js";
import { diskCommitFs } from "./commit-fs.js";
import type { CommitFs } from "./commit-fs.js";
import { newJournal, removeJournal, undoCommit, writeJournal } from "./commit-journal.js";
import type { Journal } from "./commit-journal.js";

export { diskCommitFs };
export type { CommitFs };

const TEMP_ID_BYTES = 6;
const PERMISSION_BITS = 0o777;

interface Staged {
  entry: PlanEntry;
  target: string;
  temp: string;
  backup: string | null;
  mode: number | undefined;
}

/** Directories missing on the way to `file`, parents first (already planned ones skipped). */
async function missingDirs(fs: CommitFs, file: string, planned: Set<string>): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = path.dirname(file); !planned.has(dir) && (await fs.mode(dir)) === null; dir = path.dirname(dir)) {
    missing.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of missing) planned.add(dir);
  return missing;
}

/**
 * Temp and backup names are short (the target's name may already be near NAME_MAX) and hidden; the journal
 * says which target each belongs to.
 */
function sideName(target: string, id: string, index: number, suffix: "tmp" | "bak"): string {
  return path.join(path.dirname(target), `.perf-${id}-${String(index)}.${suffix}`);
}

/**
 * Writes every entry or none. Each file's new content is staged in a temp file beside it and renamed OVER the
 * target (atomic: the target is never missing); an existing file first gets a hard-linked rollback copy. A
 * journal in the root lists every step, so a run killed part-way is undone by the next run
 * (`recoverInterruptedCommit`). Before anything is written every target is re-read and compared with what the
 * generator read; any difference aborts with nothing changed.
 */
export async function commitEntries(
  root: string,
  entries: readonly PlanEntry[],
  fs: CommitFs = diskCommitFs,
): Promise<string[]> {
  return withSignalsDeferred(() => writeAll(root, entries, fs));
}

export const DEFERRED_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let commitsHoldingSignals = 0;

/** Whether a commit is holding signals back right now (it delivers them itself once its renames are done). */
export function signalsHeld(): boolean {
  return commitsHoldingSignals > 0;
}

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
  commitsHoldingSignals += 1;
  try {
    return await work();
  } finally {
    commitsHoldingSignals -= 1;
    for (const signal of DEFERRED_SIGNALS) process.off(signal, defer);
    const [first] = received;
    if (first) process.kill(process.pid, first);
  }
}

async function currentContent(fs: CommitFs, file: string): Promise<string | null> {
  return (await fs.mode(file)) === null ? null : fs.readFile(file);
}

async function stage(
  root: string,
  entries: readonly PlanEntry[],
  fs: CommitFs,
  id: string,
): Promise<{ staged: Staged[]; dirs: string[] }> {
  const planned = new Set<string>();
  const dirs: string[] = [];
  const staged: Staged[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.after === null) continue;
    const target = path.join(root, entry.path);
    dirs.push(...(await missingDirs(fs, target, planned)));
    const currentMode = planned.has(path.dirname(target)) ? null : await fs.mode(target);
    const current =
      currentMode === null
        ? null
        : await currentContent(fs, target).catch((error: unknown) => {
            const { code, message } = error as NodeJS.ErrnoException;
            throw new GenerationError(
              `Cannot replace ${entry.path}: ${code === "EISDIR" ? "it is a directory" : message}; nothing was written.`,
              [`Move ${entry.path} out of the way, then run again.`],
            );
          });
    if (current !== entry.before) {
      throw new GenerationError(
        `${entry.path} changed on disk after this run read it (another program wrote it); nothing was written.`,
        ["Run again: the plan is made from the file as it is now."],
      );
    }
    // Keep the permissions of a replaced file (an executable script stays executable).
    const mode = currentMode === null ? entry.mode : (currentMode & PERMISSION_BITS) | (entry.mode ?? 0);
    staged.push({
      entry,
      target,
      temp: sideName(target, id, index, "tmp"),
      backup: currentMode === null ? null : sideName(target, id, index, "bak"),
      mode,
    });
  }
  return { staged, dirs };
}

async function writeAll(root: string, entries: readonly PlanEntry[], fs: CommitFs): Promise<string[]> {
  const id = randomBytes(TEMP_ID_BYTES).toString("hex");
  const { staged, dirs } = await stage(root, entries, fs, id);
  if (staged.length === 0) return [];
  const relative = (file: string): string => path.relative(root, file);
  const journal: Journal = newJournal(
    id,
    dirs.map(relative),
    staged.map((file) => ({
      path: file.entry.path,
      temp: relative(file.temp),
      backup: file.backup && relative(file.backup),
      after: file.entry.after ?? "",
    })),
  );
  // The root of a new project is made before its journal can live in it.
  const rootChain = dirs.filter((dir) => dir === root || !dir.startsWith(`${root}${path.sep}`));
  const created: string[] = [];
  try {
    for (const dir of rootChain) {
      await fs.mkdir(dir);
      created.push(dir);
    }
  } catch (error) {
    // Nothing of ours is on disk yet: no undo, which could take files of the run that made the directory for its own.
    for (const dir of [...created].reverse()) await fs.rmdir(dir).catch(() => undefined);
    throw new GenerationError(
      `Writing files failed, nothing was changed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    await writeJournal(fs, root, journal);
    for (const dir of dirs.filter((item) => !rootChain.includes(item))) await fs.mkdir(dir);
    for (const file of staged) {
      await fs.writeFile(file.temp, file.entry.after ?? "");
      if (file.mode !== undefined) await fs.chmod(file.temp, file.mode);
    }
    for (const file of staged) {
      if (file.backup) await fs.link(file.target, file.backup);
      await fs.rename(file.temp, file.target);
    }
    await writeJournal(fs, root, { ...journal, phase: "committed" });
  } catch (error) {
    const report = await undoCommit(fs, root, journal);
    // A journal stays only when the undo failed: the next run tries again.
    if (report.failures.length === 0) await removeJournal(fs, root);
    for (const dir of [...created].reverse()) await fs.rmdir(dir).catch(() => undefined);
    const details = report.failures.length > 0 ? [`Rollback also failed: ${report.failures.join("; ")}`] : [];
    const reason = error instanceof Error ? error.message : String(error);
    throw new GenerationError(`Writing files failed, nothing was changed: ${reason}`, details);
  }
  const leftovers: string[] = [];
  for (const file of staged) {
    if (!file.backup) continue;
    const backup = file.backup;
    await fs.unlink(backup).catch(() => leftovers.push(relative(backup)));
  }
  if (leftovers.length === 0) await removeJournal(fs, root);
  return leftovers;
}
