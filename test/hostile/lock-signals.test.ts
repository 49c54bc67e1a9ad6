import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, utimes } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";

import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";

import { acquireProjectLock, LOCK_DIR } from "../../src/core/commit/project-lock.js";
import { GenerationError } from "../../src/core/output/errors.js";
import { BIN, REPO_ROOT, runMain } from "../helpers/cli.js";
import { STACK_TRACE, treeHash, useHostileProject } from "./hostile-case.js";

const { project } = useHostileProject("lock-signals");

const POLL_MS = 3;
/** Older than the 2 s a holder has to write its owner record, far younger than the 30 s stale limit. */
const OWNERLESS_AGE_MS = 5_000;
const ATTEMPTS = 5;

/**
 * Runs `init` with the built CLI and sends `signal` the moment its lock (with the owner record) exists, i.e. while
 * it reads and plans, before its commit. Tried again if the run was over before the lock was seen.
 */
async function interruptInit(
  signal: NodeJS.Signals,
): Promise<{ dir: string; code: number | null; killedBy: NodeJS.Signals | null; stderr: string; before: string }> {
  for (let attempt = 1; ; attempt += 1) {
    const dir = path.join(path.dirname(project()), `${signal}-${String(attempt)}`);
    await cp(project(), dir, { recursive: true });
    const before = await treeHash(dir);
    const child = spawn("node", [BIN, "init", "--no-install"], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (code, killedBy) => resolve([code, killedBy])),
    );
    let exited = false;
    void closed.then(() => (exited = true));
    let sent = false;
    while (!exited) {
      if (existsSync(path.join(dir, LOCK_DIR, "owner.json"))) {
        child.kill(signal);
        sent = true;
        break;
      }
      await sleep(POLL_MS);
    }
    const [code, killedBy] = await closed;
    if (sent || attempt === ATTEMPTS) return { dir, code, killedBy, stderr, before };
  }
}

/** The project after an init that ran to its end: what a signal that came after the commit leaves. */
let completed = "";
beforeAll(async () => {
  const dir = path.join(path.dirname(project()), "completed");
  await cp(project(), dir, { recursive: true });
  const result = await runMain(["init", "--no-install"], dir);
  expect(result.exitCode, result.stderr).toBe(0);
  completed = await treeHash(dir);
});

describe("hostile interruptions: the project lock never outlives its run", () => {
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)(
    "%s during init before the commit: no stale lock, nothing written",
    async (signal) => {
      const outcome = await interruptInit(signal);
      expect(outcome.killedBy, outcome.stderr).toBe(signal);
      expect(existsSync(path.join(outcome.dir, LOCK_DIR)), "the lock directory was left behind").toBe(false);
      expect(outcome.stderr).not.toMatch(STACK_TRACE);
      // Nothing written, or (on a busy machine the signal may land after the commit) the commit whole: never half of it.
      expect([outcome.before, completed]).toContain(await treeHash(outcome.dir));
      // The next run is not refused as "another run holds the lock".
      const again = await runMain(["generate", "cache", "x", "--no-install"], outcome.dir);
      expect(again.exitCode, again.stderr).toBe(0);
    },
  );

  it("a signal during the commit: the commit finishes, then the lock goes with the process", async () => {
    const dir = path.join(path.dirname(project()), "commit-signal");
    await cp(project(), dir, { recursive: true });
    const dist = (file: string) => JSON.stringify(pathToFileURL(path.join(REPO_ROOT, "dist/src/core", file)).href);
    const script = `
const { acquireProjectLock } = await import(${dist("commit/project-lock.js")});
const { commitEntries, diskCommitFs } = await import(${dist("commit/commit.js")});
const root = process.argv[1];
await acquireProjectLock(root, { command: "test" });
const entries = [0, 1, 2].map((index) => ({ path: "out/f" + index + ".txt", action: "create", kind: "generate", before: null, after: "file " + index + "\\n", write: true, diff: "" }));
let renames = 0;
const fs = { ...diskCommitFs, rename: async (from, to) => { renames += 1; if (renames === 1) process.kill(process.pid, "SIGTERM"); await new Promise((resolve) => setTimeout(resolve, 20)); return diskCommitFs.rename(from, to); } };
await commitEntries(root, entries, fs);
setInterval(() => undefined, 1000);
`;
    const child = await execa("node", ["--input-type=module", "-e", script, dir], { reject: false, timeout: 20_000 });
    expect(child.signal, child.stderr).toBe("SIGTERM");
    expect((await readdir(path.join(dir, "out"))).sort()).toEqual(["f0.txt", "f1.txt", "f2.txt"]);
    expect(await readFile(path.join(dir, "out/f2.txt"), "utf8")).toBe("file 2\n");
    expect(existsSync(path.join(dir, LOCK_DIR))).toBe(false);
  });

  it.each(["ENOSPC", "EDQUOT"])(
    "%s while writing the lock's owner record: refused, and no lock left for the next run",
    async (code) => {
      const dir = path.join(path.dirname(project()), `full-${code}`);
      await cp(project(), dir, { recursive: true });
      const before = await treeHash(dir);
      const full = () => {
        throw Object.assign(new Error(`${code}: no space left on device, write`), { code });
      };
      const failure = await acquireProjectLock(dir, { writeOwner: full }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(GenerationError);
      expect((failure as Error).message).toMatch(
        new RegExp(`owner\\.json failed \\(${code}: no space left on device, write\\); nothing was written`),
      );
      expect(existsSync(path.join(dir, LOCK_DIR))).toBe(false);
      expect(await treeHash(dir)).toBe(before);
      // Taken at once by the next run (not refused for the stale limit).
      const next = await acquireProjectLock(dir);
      await next.release();
    },
  );
});

describe("hostile leftovers: a lock without its owner record", () => {
  it("left by a run that died taking it is taken over after seconds, not refused for the stale limit", async () => {
    const dir = path.join(path.dirname(project()), "ownerless");
    await cp(project(), dir, { recursive: true });
    const lockDir = path.join(dir, LOCK_DIR);
    await mkdir(lockDir);
    const past = new Date(Date.now() - OWNERLESS_AGE_MS);
    await utimes(lockDir, past, past);
    const result = await runMain(["generate", "cache", "sessions", "--no-install"], dir);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/Removed a stale project lock without an owner record/);
    expect(existsSync(lockDir)).toBe(false);
  });

  it("a fresh one (its holder is writing the record right now) is still respected", async () => {
    const dir = path.join(path.dirname(project()), "ownerless-fresh");
    await cp(project(), dir, { recursive: true });
    await mkdir(path.join(dir, LOCK_DIR));
    const before = await treeHash(dir);
    const result = await runMain(["generate", "cache", "sessions", "--no-install"], dir);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/Another run holds the lock/);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(await treeHash(dir)).toBe(before);
  });
});
