import path from "node:path";

import { hashContent } from "../hash.js";
import type { CommitFs } from "./commit-fs.js";

/** Written before the first file of a commit is touched and removed after the last: a run that finds it was interrupted. */
export const JOURNAL_FILE = ".perf-backend.journal.json";
const JOURNAL_VERSION = 1;

export interface JournalFile {
  /** Target, relative to the root. */
  path: string;
  /** Staged new content, beside the target. */
  temp: string;
  /** Hard link to the old content (null: the file is new). */
  backup: string | null;
  /** Hash of the new content: a new file is only removed if it is still what this commit wrote. */
  afterHash: string;
}

export interface Journal {
  version: number;
  id: string;
  pid: number;
  startedAt: string;
  /** "writing": undo everything; "committed": every file is in place, only leftovers remain. */
  phase: "writing" | "committed";
  /** Directories this commit created, parents first. */
  dirs: string[];
  files: JournalFile[];
}

export interface RecoveryReport {
  journal: Journal;
  restored: string[];
  removed: string[];
  leftovers: number;
  failures: string[];
}

export function journalPath(root: string): string {
  return path.join(root, JOURNAL_FILE);
}

export async function writeJournal(fs: CommitFs, root: string, journal: Journal): Promise<void> {
  const target = journalPath(root);
  const temp = `${target}.tmp`;
  if (await exists(fs, temp)) await fs.unlink(temp);
  await fs.writeFile(temp, `${JSON.stringify(journal)}\n`);
  await fs.rename(temp, target);
}

export async function readJournal(fs: CommitFs, root: string): Promise<Journal | null> {
  if ((await fs.mode(journalPath(root))) === null) return null;
  try {
    const parsed = JSON.parse(await fs.readFile(journalPath(root))) as Journal;
    return parsed.version === JOURNAL_VERSION && Array.isArray(parsed.files) ? parsed : null;
  } catch {
    // A journal that is not valid JSON was never renamed into place completely: nothing was touched yet.
    return null;
  }
}

export function newJournal(
  id: string,
  dirs: string[],
  files: Array<Omit<JournalFile, "afterHash"> & { after: string }>,
): Journal {
  return {
    version: JOURNAL_VERSION,
    id,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    phase: "writing",
    dirs,
    files: files.map(({ after, ...file }) => ({ ...file, afterHash: hashContent(after) })),
  };
}

async function exists(fs: CommitFs, file: string): Promise<boolean> {
  try {
    return (await fs.mode(file)) !== null;
  } catch {
    return false;
  }
}

async function attempt(work: () => Promise<unknown>, failures: string[], what: string): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    failures.push(`${what}: ${(error as Error).message}`);
    return false;
  }
}

/**
 * Brings the tree back to a consistent state from whatever step a commit stopped at. Every decision is made from
 * what is on disk, so it works in-process after a failure and in a later run after a kill.
 * "writing": staged temp files are removed, replaced files get their old content back (the backup is renamed
 * over the target, atomically), new files are removed. "committed": only leftover backups and temps go.
 */
export async function undoCommit(fs: CommitFs, root: string, journal: Journal): Promise<RecoveryReport> {
  const report: RecoveryReport = { journal, restored: [], removed: [], leftovers: 0, failures: [] };
  const abs = (relative: string): string => path.join(root, relative);
  for (const file of [...journal.files].reverse()) {
    const target = abs(file.path);
    const temp = abs(file.temp);
    const backup = file.backup === null ? null : abs(file.backup);
    const tempLeft = await exists(fs, temp);
    const backupLeft = backup !== null && (await exists(fs, backup));
    if (tempLeft && (await attempt(() => fs.unlink(temp), report.failures, file.temp))) report.leftovers += 1;
    if (journal.phase === "committed" || tempLeft) {
      // Not swapped yet (or already committed): a backup is just a second name of the current file.
      if (backupLeft && (await attempt(() => fs.unlink(backup), report.failures, file.backup ?? "")))
        report.leftovers += 1;
      continue;
    }
    if (backup !== null) {
      if (backupLeft && (await attempt(() => fs.rename(backup, target), report.failures, file.path)))
        report.restored.push(file.path);
      continue;
    }
    // A new file: remove it only while it still holds what this commit wrote.
    if (await exists(fs, target)) {
      const current = await fs.readFile(target).catch(() => null);
      if (
        current !== null &&
        hashContent(current) === file.afterHash &&
        (await attempt(() => fs.unlink(target), report.failures, file.path))
      ) {
        report.removed.push(file.path);
      }
    }
  }
  if (journal.phase === "writing") {
    for (const dir of [...journal.dirs].reverse()) {
      // Not empty: something else lives there now; leave it.
      await fs.rmdir(abs(dir)).catch(() => undefined);
    }
  }
  return report;
}

/** Removes the journal (and a half-written one). */
export async function removeJournal(fs: CommitFs, root: string): Promise<void> {
  await fs.unlink(`${journalPath(root)}.tmp`).catch(() => undefined);
  await fs.unlink(journalPath(root)).catch(() => undefined);
}

/** Finishes or undoes a commit a killed run left behind; null when there was none. */
export async function recoverInterruptedCommit(fs: CommitFs, root: string): Promise<RecoveryReport | null> {
  // Killed while the journal itself was being written: nothing else was touched yet.
  const journalTemp = `${journalPath(root)}.tmp`;
  if (await exists(fs, journalTemp)) await fs.unlink(journalTemp);
  const present = await exists(fs, journalPath(root));
  const journal = await readJournal(fs, root);
  if (!journal) {
    if (present) await fs.unlink(journalPath(root)).catch(() => undefined);
    return null;
  }
  const report = await undoCommit(fs, root, journal);
  if (report.failures.length === 0) await fs.unlink(journalPath(root));
  return report;
}

export function describeRecovery(report: RecoveryReport): string {
  const { journal } = report;
  const what =
    journal.phase === "committed"
      ? "its files were all in place; removed what it left behind"
      : `restored ${String(report.restored.length)} file(s), removed ${String(report.removed.length)} new file(s), so the project is as before that run`;
  return `An earlier run (process ${String(journal.pid)}, started ${journal.startedAt}) was interrupted while writing: ${what} (${String(report.leftovers)} temporary file(s) removed).`;
}
