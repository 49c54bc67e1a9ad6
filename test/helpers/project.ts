import { stripVTControlCharacters } from "node:util";

import { execa } from "execa";
import type { Options } from "execa";

const STEP_TIMEOUT_MS = 300_000;

/** Runs a command inside a generated project and fails with its output when it fails. */
export async function inProject(cwd: string, command: string, args: string[], env: Record<string, string> = {}, options: Options = {}) {
  const result = await execa(command, args, {
    cwd,
    env: { ...env, FORCE_COLOR: "0", NO_COLOR: "1", CI: "true" },
    all: true,
    reject: false,
    stdin: "ignore",
    timeout: STEP_TIMEOUT_MS,
    ...options,
  });
  if (result.failed) {
    throw new Error(`\`${command} ${args.join(" ")}\` failed in ${cwd} (exit ${String(result.exitCode)}):\n${String(result.all)}`);
  }
  return { all: stripVTControlCharacters(String(result.all)), stdout: stripVTControlCharacters(String(result.stdout)) };
}

/**
 * npm install the way a user would, but offline-first so CI reuses its cache, and with --ignore-scripts: the
 * project depends on this checkout through `file:`, whose `prepare` would rebuild dist/ while other suites run it
 * (`npm test` builds it once, first).
 */
export function npmInstall(cwd: string): ReturnType<typeof inProject> {
  return inProject(cwd, "npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]);
}

/**
 * vitest's summary counts (`1 failed`, `3 skipped`), never a test's name: slow tests are listed by name under load,
 * and a name may say "failed" ("warns again after Redis recovered and failed once more").
 */
export const VITEST_SKIPPED_OR_FAILED = /\b\d+ (?:skipped|failed)\b/;
