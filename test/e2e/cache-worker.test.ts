import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { runCli } from "../helpers/cli.js";
import { linkSharedDependencies } from "../helpers/linked-dependencies.js";
import { inProject, VITEST_SKIPPED_OR_FAILED } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { servicesAvailable } from "../helpers/services.js";
import { snapshotDir } from "../helpers/temp-dir.js";

const E2E_TIMEOUT_MS = 600_000;
const BUILT_RUN_TIMEOUT_MS = 30_000;
const CACHE_COMMAND = ["generate", "cache", "user-profile", "--ttl", "300"];
const WORKER_COMMAND = ["generate", "worker", "hash-password", "--max-threads", "2"];
const WORKER_ROUNDS = 3;

const available = await servicesAvailable("cache-worker e2e");

function sha256Rounds(payload: string, rounds: number): string {
  let digest = payload;
  for (let round = 0; round < rounds; round += 1) digest = createHash("sha256").update(digest).digest("hex");
  return digest;
}

/** What a generator may touch: sources, package.json and perf-backend.json (node_modules and dist are not). */
async function generatedState(project: string): Promise<Record<string, string>> {
  const files = await Promise.all(
    ["package.json", "perf-backend.json"].map(async (name) => [name, await readFile(path.join(project, name), "utf8")]),
  );
  return { ...(await snapshotDir(path.join(project, "src"))), ...Object.fromEntries(files) };
}

function figure(output: string, pattern: RegExp): string {
  const match = pattern.exec(output);
  expect(match, `no match for ${String(pattern)} in the test output`).not.toBeNull();
  return match?.[1] ?? "";
}

describe.skipIf(!available)("e2e: generated cache and worker typecheck, lint, pass their tests and run built", () => {
  const scaffolded = useScaffoldedProject("cache-worker");

  it(
    "scaffolds, generates, typechecks, lints, tests, runs the build, and a second generate changes nothing",
    async () => {
      // --no-install: the shared install below instead of each generator's npm install (schema-repository's
      // repository run and create-project keep a generated project's real install).
      const { project, env } = await scaffolded.scaffold(
        [CACHE_COMMAND, WORKER_COMMAND].map((command) => [...command, "--no-install"]),
      );

      await linkSharedDependencies(project);
      // No separate `tsc --noEmit`: this cache and worker, their tests included, compile in
      // generators/generated-code-compiles.spec.ts, and `npm run build` below typechecks the project's sources.
      const lint = await inProject(project, "npm", ["run", "lint"]);
      expect(lint.all).not.toMatch(/\d+ problems?/);
      const tests = await inProject(project, "npm", ["test"], env);
      expect(tests.all).toMatch(/user-profile-cache\.test\.ts/);
      expect(tests.all).toMatch(/hash-password-task\.test\.ts/);
      expect(tests.all).toMatch(/Tests\s+\d+ passed/);
      expect(tests.all).not.toMatch(VITEST_SKIPPED_OR_FAILED);
      const loaderCalls = figure(tests.all, /loader calls for 100 concurrent cold reads: (\d+)/);
      const ttl = figure(tests.all, /TTL observed: (\d+ s \(at most \d+ s)/);
      const loopDelay = figure(tests.all, /event-loop delay: (pool p99 .*)/);
      expect(loaderCalls).toBe("1");
      console.info(
        `cache: loader calls for 100 concurrent cold reads = ${loaderCalls}; TTL observed ${ttl}); worker: ${loopDelay}`,
      );

      // After the build the task module resolves the compiled .js worker and runs under plain node.
      await inProject(project, "npm", ["run", "build"]);
      const built = await inProject(
        project,
        "node",
        [
          "--input-type=module",
          "-e",
          `import { runHashPasswordTask, closeHashPasswordPool } from "./dist/workers/hash-password-task.js";
           const output = await runHashPasswordTask({ payload: "e2e", rounds: ${String(WORKER_ROUNDS)} });
           await closeHashPasswordPool();
           console.log(JSON.stringify(output));`,
        ],
        env,
        { timeout: BUILT_RUN_TIMEOUT_MS },
      );
      const output = JSON.parse(built.stdout.trim()) as { digest: string; threadId: number };
      expect(output.digest).toBe(sha256Rounds("e2e", WORKER_ROUNDS));
      expect(output.threadId).toBeGreaterThan(0);

      // The base graceful shutdown closes the pool the task registered: the process exits by itself.
      const shutdown = await inProject(
        project,
        "node",
        [
          "--input-type=module",
          "-e",
          `import { runHashPasswordTask } from "./dist/workers/index.js";
           import { shutdown } from "./dist/shutdown.js";
           await runHashPasswordTask({ payload: "e2e", rounds: 1 });
           await shutdown();
           console.log("shut down");`,
        ],
        env,
        { timeout: BUILT_RUN_TIMEOUT_MS },
      );
      expect(shutdown.stdout).toContain("shut down");

      // Same commands again: nothing to create, update or conflict, and the tree is byte-for-byte the same.
      const before = await generatedState(project);
      for (const command of [CACHE_COMMAND, WORKER_COMMAND]) {
        const again = await runCli([...command, "--json"], { cwd: project });
        expect(again.exitCode, again.stderr).toBe(0);
        const result = JSON.parse(again.stdout) as { summary: Record<string, number> };
        expect(result.summary).toMatchObject({ create: 0, update: 0, conflict: 0 });
      }
      expect(await generatedState(project)).toEqual(before);
    },
    E2E_TIMEOUT_MS,
  );
});
