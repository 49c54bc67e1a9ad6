import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import lockfile from "proper-lockfile";

import { GenerationError } from "../output/errors.js";
import { DEFERRED_SIGNALS, signalsHeld } from "./commit.js";

/** Another run holds the project's lock: in a project, "run again" (exit 1); `create` turns it into a usage error. */
export class LockHeldError extends GenerationError {
  override readonly name: string = "LockHeldError";
}

/** A directory (mkdir is atomic) that proper-lockfile keeps fresh while a run holds it. */
export const LOCK_DIR = ".perf-backend.lock";
/** Who holds the lock, written inside the lock directory right after it is taken. */
const OWNER_FILE = "owner.json";

/** A holder that stops refreshing the lock (killed, or its host gone) is taken over after this long. */
const LOCK_STALE_MS = 30_000;
const LOCK_UPDATE_MS = 5_000;
/** A lock directory with no owner record for this long was left by a run that died while taking it. */
const OWNERLESS_STALE_MS = 2_000;
/** `--wait`: how often to try again, and when to give up. */
const LOCK_RETRY_MS = 150;
export const LOCK_WAIT_LIMIT_MS = 600_000;

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export interface ProjectLock {
  /** Set when another process took the lock away (we stopped refreshing it in time). */
  readonly compromised: Error | null;
  /** Notes for the user, e.g. a stale lock that was taken over. */
  readonly notes: readonly string[];
  release(): Promise<void>;
}

export interface LockOptions {
  /** Wait for a running holder instead of failing at once. */
  wait?: boolean;
  /** What this run is, shown to a run that finds the lock taken. */
  command?: string;
  /** Tests: how long `wait` waits. */
  waitLimitMs?: number;
  /** Tests: writes the owner record (a full disk makes it throw). */
  writeOwner?: (file: string, text: string) => void;
  /** Tests: proper-lockfile's refresh interval and stale limit (at least 1 s and 2 s). */
  updateMs?: number;
  staleMs?: number;
}

function readOwner(lockDir: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(path.join(lockDir, OWNER_FILE), "utf8")) as LockOwner;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why an existing lock no longer protects anything, or null when its holder is alive. */
function staleReason(lockDir: string): string | null {
  let modified: number;
  try {
    modified = statSync(lockDir).mtimeMs;
  } catch {
    return null;
  }
  const owner = readOwner(lockDir);
  if (owner && owner.host === hostname() && owner.pid !== process.pid && !isRunning(owner.pid)) {
    return `left by process ${String(owner.pid)} (${owner.command}, since ${owner.since}), which is no longer running`;
  }
  if (Date.now() - modified > LOCK_STALE_MS) {
    return `not refreshed for ${String(Math.round((Date.now() - modified) / 1000))} s`;
  }
  // A holder writes its record the moment it has the lock: without one for this long, it died taking it.
  if (!owner && Date.now() - modified > OWNERLESS_STALE_MS) {
    return `without an owner record for ${String(Math.round((Date.now() - modified) / 1000))} s (its run ended while taking it)`;
  }
  return null;
}

/**
 * While the lock is held, Ctrl-C, SIGTERM or SIGHUP remove it before the process ends, so the next run is not
 * refused. A commit holding signals delivers them again once its renames are done; the lock goes then.
 * Returns the function that stops watching (on release).
 */
function removeOnSignal(lockDir: string): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalsHeld()) return;
    stop();
    // Ours, or ours while releasing it (the record is removed first); the watch ends once the directory is gone.
    const owner = readOwner(lockDir);
    if (!owner || owner.pid === process.pid) rmSync(lockDir, { recursive: true, force: true });
    // Delivered again with our listener gone: the default action (or proper-lockfile's exit hook) ends the process.
    process.kill(process.pid, signal);
  };
  const stop = (): void => {
    for (const signal of DEFERRED_SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of DEFERRED_SIGNALS) process.on(signal, onSignal);
  return stop;
}

/** The holder writes its record right after taking the lock: give it that moment. */
const OWNER_RECORD_POLLS = 20;
const OWNER_RECORD_POLL_MS = 25;

async function heldMessage(root: string, lockDir: string): Promise<string> {
  let owner = readOwner(lockDir);
  for (let poll = 0; !owner && poll < OWNER_RECORD_POLLS; poll += 1) {
    await sleep(OWNER_RECORD_POLL_MS);
    owner = readOwner(lockDir);
  }
  const who = owner ? `process ${String(owner.pid)} on ${owner.host} (${owner.command})` : "another run";
  const since = owner ? owner.since : "a moment ago";
  return `Another run holds the lock on ${root} since ${since}: ${who}.`;
}

/**
 * Serialises runs on one project: held from reading the tree to the end of the commit and its tasks, so two
 * generators started together cannot both edit the barrel from the same old text.
 */
export async function acquireProjectLock(root: string, options: LockOptions = {}): Promise<ProjectLock> {
  const lockDir = path.join(root, LOCK_DIR);
  const notes: string[] = [];
  let compromised: Error | null = null;
  const deadline = Date.now() + (options.waitLimitMs ?? LOCK_WAIT_LIMIT_MS);
  for (;;) {
    const stale = staleReason(lockDir);
    if (stale) {
      rmSync(lockDir, { recursive: true, force: true });
      notes.push(`Removed a stale project lock ${stale}.`);
    }
    try {
      const release = await lockfile.lock(root, {
        lockfilePath: lockDir,
        realpath: false,
        stale: options.staleMs ?? LOCK_STALE_MS,
        update: options.updateMs ?? LOCK_UPDATE_MS,
        onCompromised: (error) => {
          compromised = error;
        },
      });
      const owner: LockOwner = {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
        command: options.command ?? "create-perf-backend",
      };
      // From here on a signal that ends the process removes the lock (proper-lockfile's own exit hook cannot:
      // its rmdir fails on the owner record inside).
      const stopWatching = removeOnSignal(lockDir);
      try {
        // proper-lockfile checks that the directory's mtime is still the one it set: adding the record changes it.
        const { mtime } = statSync(lockDir);
        (options.writeOwner ?? writeFileSync)(path.join(lockDir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
        utimesSync(lockDir, mtime, mtime);
      } catch (error) {
        // ENOSPC, EDQUOT...: a lock without its owner record would refuse every run for LOCK_STALE_MS.
        stopWatching();
        await release().catch(() => undefined);
        rmSync(lockDir, { recursive: true, force: true });
        throw new GenerationError(
          `Cannot lock ${root}: writing ${LOCK_DIR}/${OWNER_FILE} failed (${(error as Error).message}); nothing was written.`,
          ["Free some disk space (or check the directory's permissions), and run again."],
        );
      }
      return {
        get compromised() {
          return compromised;
        },
        notes,
        release: async () => {
          // Watched until proper-lockfile's rmdir is done: a signal in between would leave the directory behind.
          rmSync(path.join(lockDir, OWNER_FILE), { force: true });
          await release().catch(() => undefined);
          stopWatching();
          // Still there only when proper-lockfile gave it up as compromised while we held it.
          if (compromised && existsSync(lockDir) && !readOwner(lockDir))
            rmSync(lockDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") {
        throw new GenerationError(`Cannot lock ${root}: ${(error as Error).message}`, [
          "Check that the directory is writable.",
        ]);
      }
      if (!options.wait || Date.now() > deadline) {
        throw new LockHeldError(await heldMessage(root, lockDir), [
          options.wait
            ? `Gave up after waiting ${String(Math.round((options.waitLimitMs ?? LOCK_WAIT_LIMIT_MS) / 1000))} s.`
            : "Run again when it has finished, or pass --wait to wait for it.",
          `If no other run is active, the lock (${LOCK_DIR}) is taken over automatically once its holder is gone.`,
        ]);
      }
      await sleep(LOCK_RETRY_MS);
    }
  }
}
