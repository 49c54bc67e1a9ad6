import { rename, rm } from "node:fs/promises";
import path from "node:path";

import { describe, it } from "vitest";

import { useHostileProject } from "./hostile-case.js";
import type { HostileCase } from "./hostile-case.js";

const { runCase } = useHostileProject("first-contact");

const MANIFEST = "perf-backend.json";
const INIT = ["init", "--no-install"];
const dropManifest = async (project: string): Promise<void> => rm(path.join(project, MANIFEST));

// Issue 26: perf-backend.json deleted, then the `init` the error message suggests.
const ORPHAN_MODULES: HostileCase[] = [
  { name: "init after perf-backend.json was deleted", setup: dropManifest, args: INIT, exitCode: 2, message: /already holds create-perf-backend's modules \(src\/observability\/measured-pool\.ts[\s\S]*git checkout -- perf-backend\.json/ },
  { name: "init --dry-run after perf-backend.json was deleted", setup: dropManifest, args: [...INIT, "--dry-run"], exitCode: 2, message: /no perf-backend\.json/ },
  {
    name: "init after perf-backend.json was deleted, modules an earlier init prefixed",
    setup: async (project) => {
      await dropManifest(project);
      await rename(path.join(project, "src/workers/worker-pools.ts"), path.join(project, "src/workers/perf-worker-pools.ts"));
    },
    args: INIT,
    exitCode: 2,
    message: /src\/workers\/perf-worker-pools\.ts/,
  },
];

describe("hostile: init over the tool's own modules without their record", () => {
  it.each(ORPHAN_MODULES.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });
});
