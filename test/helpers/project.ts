import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

import { execa } from "execa";
import type { Options } from "execa";
import { expect } from "vitest";

const STEP_TIMEOUT_MS = 300_000;
// E2E_STEP_CPU=<file>: each command's CPU (user+sys of it and its children) and wall seconds are appended there as
// tab-separated lines (test file, command, cpu, wall), to find where an e2e file's time goes on a shared machine.
const STEP_CPU_LOG = process.env.E2E_STEP_CPU;
const TIME_FORMAT = "%U %S %e";

/** Runs `command` through `run`, timed under /usr/bin/time and logged when E2E_STEP_CPU is set (see above). */
export async function timed(
  cwd: string,
  command: string,
  args: string[],
  run: (command: string, args: string[]) => ReturnType<typeof execa>,
) {
  if (!STEP_CPU_LOG) return run(command, args);
  const dir = await mkdtemp(path.join(tmpdir(), "cpb-step-time-"));
  const output = path.join(dir, "time");
  try {
    const result = await run("/usr/bin/time", ["-f", TIME_FORMAT, "-o", output, command, ...args]);
    const [user = 0, sys = 0, wall = 0] =
      (await readFile(output, "utf8")).trim().split("\n").at(-1)?.split(" ").map(Number) ?? [];
    const step = [path.basename(command), ...args.slice(0, 2)].join(" ");
    await appendFile(
      STEP_CPU_LOG,
      `${path.basename(expect.getState().testPath ?? "")}\t${step}\t${(user + sys).toFixed(1)}\t${wall.toFixed(1)}\t${path.basename(cwd)}\n`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a command inside a generated project and fails with its output when it fails. */
export async function inProject(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  options: Options = {},
) {
  const result = await timed(cwd, command, args, (file, fileArgs) =>
    execa(file, fileArgs, {
      cwd,
      env: { ...env, FORCE_COLOR: "0", NO_COLOR: "1", CI: "true" },
      all: true,
      reject: false,
      stdin: "ignore",
      timeout: STEP_TIMEOUT_MS,
      ...options,
    }),
  );
  if (result.failed) {
    throw new Error(
      `\`${command} ${args.join(" ")}\` failed in ${cwd} (exit ${String(result.exitCode)}):\n${String(result.all)}`,
    );
  }
  return { all: stripVTControlCharacters(String(result.all)), stdout: stripVTControlCharacters(String(result.stdout)) };
}

export const NPM_INSTALL_ARGS = [
  "install",
  "--ignore-scripts",
  "--no-audit",
  "--no-fund",
  "--prefer-offline",
  "--loglevel=error",
];

/**
 * npm install the way a user would, but offline-first so CI reuses its cache, and with --ignore-scripts: the
 * project depends on this checkout through `file:`, whose `prepare` would rebuild dist/ while other suites run it
 * (`npm test` builds it once, first).
 */
export function npmInstall(cwd: string): ReturnType<typeof inProject> {
  return inProject(cwd, "npm", NPM_INSTALL_ARGS);
}

/**
 * vitest's summary counts (`1 failed`, `3 skipped`), never a test's name: slow tests are listed by name under load,
 * and a name may say "failed" ("warns again after Redis recovered and failed once more").
 */
export const VITEST_SKIPPED_OR_FAILED = /\b\d+ (?:skipped|failed)\b/;
