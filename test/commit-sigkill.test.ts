import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { REPO_ROOT, runMain } from "./helpers/cli.js";
import { makeTempDir, snapshotDir } from "./helpers/temp-dir.js";

const SIGKILL_TIMEOUT_MS = 300_000;
/** Operations that change the disk: the process is killed right before the n-th of them. */
const MUTATING = ["mkdir", "rmdir", "writeFile", "rename", "link", "unlink", "chmod"];
const GENERATE = ["generate", "cache", "sessions", "--no-install"];

const dist = (file: string): string => JSON.stringify(pathToFileURL(path.join(REPO_ROOT, "dist", file)).href);

// The real engine in its own process, running `generate cache sessions`; it SIGKILLs itself before step KILL_AT
// (0: counts the steps of a whole commit and prints the number).
const SCRIPT = `
const { findGenerator } = await import(${dist("generators/index.js")});
const { runDefinition } = await import(${dist("src/devkit/runner.js")});
const { diskCommitFs } = await import(${dist("src/core/commit/commit-fs.js")});
const { createConsoleReporter } = await import(${dist("src/core/output/console-reporter.js")});
const root = process.argv[1];
const killAt = Number(process.argv[2]);
const mutating = new Set(${JSON.stringify(MUTATING)});
let steps = 0;
const fs = Object.fromEntries(Object.entries(diskCommitFs).map(([name, operation]) => [name, async (...args) => {
  if (mutating.has(name)) {
    steps += 1;
    if (steps === killAt) process.kill(process.pid, "SIGKILL");
  }
  return operation(...args);
}]));
await runDefinition(findGenerator("cache"), {
  cwd: root, input: { name: "sessions" }, ask: async () => ({}), interactive: false, dryRun: false, policy: "abort",
  reporter: createConsoleReporter(process.stderr, { spinners: false, colors: false }), commitFs: fs, skipTasks: true, command: "generate cache",
});
process.stdout.write(String(steps));
`;

let dir: string;
let cleanup: () => Promise<void>;
let pristine: string;
let expected: Record<string, string>;

async function freshCopy(name: string): Promise<string> {
  const target = path.join(dir, name);
  await cp(pristine, target, { recursive: true });
  return target;
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir("sigkill"));
  pristine = path.join(dir, "pristine");
  const created = await runMain(["pristine", "--yes", "--no-install", "--no-git"], dir);
  expect(created.exitCode, created.stderr).toBe(0);
  const reference = await freshCopy("reference");
  const generated = await runMain(GENERATE, reference);
  expect(generated.exitCode, generated.stderr).toBe(0);
  expected = await snapshotDir(reference);
});
afterAll(() => cleanup());

describe("a commit killed with SIGKILL at every step", () => {
  it(
    "the next run restores or completes it and leaves the same tree as an uninterrupted run",
    async () => {
      const counting = await freshCopy("counting");
      const whole = await execa("node", ["--input-type=module", "-e", SCRIPT, counting, "0"], { reject: false });
      expect(whole.exitCode, whole.stderr).toBe(0);
      const steps = Number(whole.stdout);
      expect(steps).toBeGreaterThan(10);
      expect(await snapshotDir(counting)).toEqual(expected);

      const observed = { nothingToUndo: 0, restored: 0, completedAndCleanedUp: 0, silent: 0 };
      for (let step = 1; step <= steps; step += 1) {
        const project = await freshCopy(`kill-${String(step)}`);
        const killed = await execa("node", ["--input-type=module", "-e", SCRIPT, project, String(step)], {
          reject: false,
        });
        expect(killed.signal, `step ${String(step)}: ${killed.stderr}`).toBe("SIGKILL");
        // The killed run held the lock: the next run takes it over (its holder is gone) and recovers.
        const next = await runMain(GENERATE, project);
        expect(next.exitCode, `step ${String(step)}: ${next.stderr}`).toBe(0);
        const output = next.stdout + next.stderr;
        expect(output).toContain("Removed a stale project lock left by process");
        expect(output).not.toMatch(/\n\s+at /);
        if (output.includes("interrupted before it wrote anything")) observed.nothingToUndo += 1;
        else if (output.includes("its files were all in place")) observed.completedAndCleanedUp += 1;
        else if (output.includes("was interrupted while writing")) observed.restored += 1;
        else observed.silent += 1;
        expect(await snapshotDir(project), `after a kill at step ${String(step)} of ${String(steps)}`).toEqual(
          expected,
        );
      }
      console.info(`SIGKILL at each of ${String(steps)} steps: ${JSON.stringify(observed)}`);
      expect(observed.restored).toBeGreaterThan(0);
      // Only a kill before the journal's first byte leaves nothing to undo (the stale lock is still reported).
      expect(observed.silent).toBe(1);
      expect(observed.completedAndCleanedUp).toBeGreaterThan(0);
      expect(await readFile(path.join(dir, `kill-${String(steps)}`, "src/cache/index.ts"), "utf8")).toContain(
        "./sessions-cache.js",
      );
    },
    SIGKILL_TIMEOUT_MS,
  );
});
