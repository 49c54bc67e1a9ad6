import { existsSync } from "node:fs";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { makeTempDir } from "../../../test/helpers/temp-dir.js";
import { acquireProjectLock, LOCK_DIR } from "./project-lock.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir("lock"));
});
afterEach(() => cleanup());

const SHORT_WAIT_MS = 300;
const RELEASE_AFTER_MS = 200;
/** No process has this pid on Linux (pid_max is at most 2^22). */
const DEAD_PID = 2 ** 22 + 1;
const OLD_SECONDS = 120;

describe("acquireProjectLock", () => {
  it("refuses a second holder with who holds it and since when, then lets it in after release", async () => {
    const first = await acquireProjectLock(dir, { command: "generate cache a" });
    await expect(acquireProjectLock(dir, { command: "generate cache b" })).rejects.toThrow(
      new RegExp(
        `Another run holds the lock on .* since \\d{4}-.*: process ${String(process.pid)} on .* \\(generate cache a\\)`,
      ),
    );
    await first.release();
    const second = await acquireProjectLock(dir);
    await second.release();
  });

  it("--wait waits for the holder to finish", async () => {
    const first = await acquireProjectLock(dir);
    const started = Date.now();
    setTimeout(() => void first.release(), RELEASE_AFTER_MS);
    const second = await acquireProjectLock(dir, { wait: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(RELEASE_AFTER_MS - 50);
    await second.release();
  });

  it("--wait gives up after its limit with the same message", async () => {
    const first = await acquireProjectLock(dir);
    await expect(acquireProjectLock(dir, { wait: true, waitLimitMs: SHORT_WAIT_MS })).rejects.toThrow(
      /Another run holds the lock/,
    );
    await first.release();
  });

  it("takes over a lock whose holder is no longer running", async () => {
    await mkdir(path.join(dir, LOCK_DIR));
    const owner = { pid: DEAD_PID, host: hostname(), since: "2026-01-01T00:00:00.000Z", command: "generate schema x" };
    await writeFile(path.join(dir, LOCK_DIR, "owner.json"), JSON.stringify(owner));
    const lock = await acquireProjectLock(dir);
    expect(lock.notes.join("\n")).toMatch(
      /Removed a stale project lock left by process \d+ \(generate schema x, since 2026-01-01/,
    );
    await lock.release();
  });

  it("takes over a lock nobody refreshed for longer than the stale limit", async () => {
    await mkdir(path.join(dir, LOCK_DIR));
    const old = new Date(Date.now() - OLD_SECONDS * 1000);
    await utimes(path.join(dir, LOCK_DIR), old, old);
    const lock = await acquireProjectLock(dir);
    expect(lock.notes.join("\n")).toMatch(/not refreshed for \d+ s/);
    await lock.release();
  });
});

describe("a lock held past its refresh interval", () => {
  const UPDATE_MS = 1000;
  const STALE_MS = 2000;
  const HOLD_MS = 2600;
  it("stays ours (the owner record does not look like a takeover) and is removed on release", async () => {
    const lock = await acquireProjectLock(dir, { updateMs: UPDATE_MS, staleMs: STALE_MS });
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    expect(lock.compromised).toBeNull();
    await lock.release();
    expect(existsSync(path.join(dir, LOCK_DIR))).toBe(false);
  });
});
