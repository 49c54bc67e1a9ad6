import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

import { execa } from "execa";
import { describe, expect, it } from "vitest";

import { runMain } from "../helpers/cli.js";
import { linkSharedDependencies } from "../helpers/linked-dependencies.js";
import { MUTATIONS } from "../helpers/mutations.js";
import { inProject, VITEST_SKIPPED_OR_FAILED } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import {
  ADD_COLUMNS,
  GENERATE_REPOSITORY,
  GENERATE_SCHEMAS,
  MORE_GENERATORS,
  MORE_SCHEMAS,
} from "../helpers/schema-repository-project.js";
import { servicesAvailable } from "../helpers/services.js";

// The generated tests run once unmutated and once per mutation (29 of them): on a loaded 2-core machine that took
// over 10 minutes.
const E2E_TIMEOUT_MS = 1_500_000;
const MUTATION_TIMEOUT_MS = 120_000;

const available = await servicesAvailable("schema-repository mutations e2e");
// MUTATIONS_MATCHING=<regular expression>: only the mutations whose name it matches (proving new ones die without
// the full run).
const MATCHING = process.env["MUTATIONS_MATCHING"];
const SELECTED =
  MATCHING === undefined ? MUTATIONS : MUTATIONS.filter((mutation) => new RegExp(MATCHING).test(mutation.name));

// The project schema-repository.test.ts builds and checks run by run (it checks tsc, lint, indexes and re-runs):
// here it is only the ground the mutations stand on, built in-process with one install at the end.
const BUILD_STEPS = [
  ...GENERATE_SCHEMAS,
  [...GENERATE_REPOSITORY, "--no-install"],
  ...MORE_GENERATORS,
  ADD_COLUMNS,
  ...MORE_SCHEMAS,
];

describe.skipIf(!available)(
  "e2e: each known breaking edit of a generated project makes its generated tests fail",
  () => {
    const scaffolded = useScaffoldedProject("mutations");

    it(
      "the generated tests pass unmutated, and fail under every mutation of test/helpers/mutations.ts",
      async () => {
        const { project, env } = scaffolded.current();
        await scaffolded.scaffold();
        for (const args of BUILD_STEPS) {
          const run = await runMain(args, project);
          expect(run.exitCode, `${args.join(" ")}\n${run.stdout}\n${run.stderr}`).toBe(0);
        }
        await linkSharedDependencies(project);
        await inProject(project, "npm", ["run", "db:generate"], env);
        await inProject(project, "npm", ["run", "db:migrate"], env);

        // The project's own vitest, without npx in front of each of the 30 runs.
        const vitest = path.join(project, "node_modules", ".bin", "vitest");
        const testFiles = [...new Set(SELECTED.flatMap((mutation) => mutation.tests))];
        // Unmutated first: a mutation counts as killed only where these same tests pass without it.
        const baseline = await inProject(project, vitest, ["run", ...testFiles], env);
        expect(baseline.all).toMatch(/Tests\s+\d+ passed/);
        expect(baseline.all).not.toMatch(VITEST_SKIPPED_OR_FAILED);

        const survivors: string[] = [];
        for (const mutation of SELECTED) {
          const file = path.join(project, mutation.file);
          const original = await readFile(file, "utf8");
          expect(original, `${mutation.name}: the text to break is not in ${mutation.file}`).toContain(mutation.find);
          await writeFile(file, original.replaceAll(mutation.find, mutation.replace));
          try {
            const run = await execa(vitest, ["run", ...mutation.tests], {
              cwd: project,
              env: { ...env, FORCE_COLOR: "0", CI: "true" },
              reject: false,
              all: true,
              timeout: MUTATION_TIMEOUT_MS,
            });
            if (run.exitCode === 0) survivors.push(mutation.name);
            // The tests that failed, by name: the proof of which test kills it.
            const killedBy = [...new Set(stripVTControlCharacters(run.all).match(/^ FAIL {2}.*$/gm) ?? [])].map(
              (line) => line.slice(" FAIL  ".length),
            );
            console.info(
              `mutation ${run.exitCode === 0 ? "SURVIVED" : "killed"}: ${mutation.name} (${mutation.tests.join(", ")})${killedBy.map((name) => `\n  by ${name}`).join("")}`,
            );
          } finally {
            await writeFile(file, original);
          }
        }
        console.info(`mutation check: killed ${String(SELECTED.length - survivors.length)}/${String(SELECTED.length)}`);
        expect(survivors).toEqual([]);
      },
      E2E_TIMEOUT_MS,
    );
  },
);
