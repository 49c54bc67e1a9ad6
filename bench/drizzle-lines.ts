import { copyFile } from "node:fs/promises";
import path from "node:path";

import { run } from "./processes.js";
import { GENERATE_STEPS, INSTALL_ARGS, REPO_ROOT, runCli, SKIP_GENERATOR_INSTALL } from "./project.js";
import type { Measurement } from "./stats.js";

// Row 13: the bench's users repository on drizzle-orm 1.0 against the same one on 0.45 (the bench's own project).
export const DRIZZLE_LINES_ROW = "eager-drizzle-1";
const V1_PROJECT = "demo-drizzle-1";
const SCRIPT = "bench-drizzle-lines.ts";
// The three tables and `repository users --with posts.comments`: what the eager read needs (no cache, no worker).
const EAGER_READ_STEPS = GENERATE_STEPS.filter(([generator]) => generator === "schema" || generator === "repository");

/**
 * Scaffolds the bench's tables and users repository on drizzle-orm 1.0 (`create --drizzle 1`) beside the 0.45 project,
 * installs it, and reads the same page of the same seeded database through both repositories in one process, call
 * by call (the 1.0 project migrates nothing: the tables are the 0.45 project's). Prints nothing; returns the rows.
 */
export async function measureDrizzleLines(
  v0Project: string,
  workDir: string,
  env: { DATABASE_URL: string; REDIS_URL: string; BENCH_REPETITIONS: string },
): Promise<Measurement[]> {
  await runCli([V1_PROJECT, "--drizzle", "1", "--yes", "--no-install", "--no-git"], workDir);
  const project = path.join(workDir, V1_PROJECT);
  for (const step of EAGER_READ_STEPS) await runCli(["generate", ...step], project, SKIP_GENERATOR_INSTALL);
  await run("npm", INSTALL_ARGS, { cwd: project });
  await copyFile(path.join(REPO_ROOT, "bench/in-project/measure-drizzle-lines.ts"), path.join(project, SCRIPT));
  const measured = await run(path.join(project, "node_modules/.bin/tsx"), [SCRIPT], {
    cwd: project,
    env: { ...env, BENCH_V0_PROJECT: v0Project },
  });
  const line = measured.stdout.trim().split("\n").at(-1) ?? "";
  const rows = JSON.parse(line) as Measurement[];
  if (!Array.isArray(rows) || rows.some((row) => !row.id.startsWith(DRIZZLE_LINES_ROW)))
    throw new Error(`unexpected output from ${SCRIPT}:\n${measured.stdout}`);
  return rows;
}
