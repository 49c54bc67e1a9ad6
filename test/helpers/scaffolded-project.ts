import path from "node:path";

import { afterAll, beforeAll, expect } from "vitest";

import { runCli } from "./cli.js";
import { createThrowawayDatabase, redisUrl } from "./services.js";
import { makeTempDir } from "./temp-dir.js";

const SETUP_TIMEOUT_MS = 120_000;

/** One CLI run's arguments, e.g. `["generate", "schema", "users", ...]`. */
type GeneratorRun = readonly string[];

export interface ScaffoldedProject {
  /** Where `create-perf-backend demo` ran. */
  workDir: string;
  /** The generated project (`<workDir>/demo`). */
  project: string;
  /** DATABASE_URL (a throwaway database) and REDIS_URL for the project's own commands. */
  env: Record<string, string>;
}

/**
 * Registers hooks that give a suite a temp dir and a throwaway database, dropped afterwards;
 * `scaffold(generate)` then creates the project there the way a user would (built CLI, no install, no git) and runs
 * each generator command in it, every one expected to exit 0.
 */
export function useScaffoldedProject(
  label: string,
  createArgs: readonly string[] = [],
): { current: () => ScaffoldedProject; scaffold: (generate?: readonly GeneratorRun[]) => Promise<ScaffoldedProject> } {
  let state: ScaffoldedProject | undefined;
  let cleanupDir: (() => Promise<void>) | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const temp = await makeTempDir(`e2e-${label}`);
    cleanupDir = temp.cleanup;
    const database = await createThrowawayDatabase(label.replaceAll("-", ""));
    dropDatabase = database.drop;
    state = {
      workDir: temp.dir,
      project: path.join(temp.dir, "demo"),
      env: { DATABASE_URL: database.url, REDIS_URL: redisUrl() },
    };
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await dropDatabase?.();
    await cleanupDir?.();
  });

  const current = (): ScaffoldedProject => {
    if (!state) throw new Error("useScaffoldedProject: used outside its suite");
    return state;
  };
  return {
    current,
    scaffold: async (generate = []) => {
      const created = await runCli(["demo", "--yes", "--no-install", "--no-git", ...createArgs], {
        cwd: current().workDir,
      });
      expect(created.exitCode, String(created.stderr)).toBe(0);
      for (const args of generate) {
        const run = await runCli([...args], { cwd: current().project });
        expect(run.exitCode, `${args.join(" ")}\n${String(run.stdout)}\n${String(run.stderr)}`).toBe(0);
      }
      return current();
    },
  };
}
