import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DRIZZLE_1_JOB, DRIZZLE_1_REPO, DRIZZLE_V1, GUILD_SCHEMA } from "../fixtures/drizzle-1-shapes.js";
import { runMain } from "../helpers/cli.js";
import { installedRoot } from "../helpers/installed-root.js";
import type { InstalledRoot } from "../helpers/installed-root.js";
import { inProject } from "../helpers/project.js";
import { createThrowawayDatabase, execute, redisUrl, servicesAvailable } from "../helpers/services.js";
import type { ThrowawayDatabase } from "../helpers/services.js";
import { FIXTURE_ROOT_DEPENDENCIES } from "../helpers/shared-dependencies.js";

// A shared install (the verified-writes suite's drizzle 1.0 list: installed once for both), init, three generators,
// their second runs, tsc, drizzle-kit and the generated tests on a busy 2-core machine.
const SUITE_TIMEOUT_MS = 900_000;
// The pre-commit typecheck is the verified-writes suite's subject; here the repo's own tsc afterwards is the check.
const NO_TYPECHECK = "--no-typecheck";
// The generated repository test that proves the eager read is one statement.
const EAGER_READ_TEST = "reads one team with its nested relations in one statement, children in key order";

interface JsonRun {
  ok: boolean;
  plan: Array<{ path: string; write: boolean }>;
  error?: { message: string };
}

interface VitestReport {
  testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
}

async function cli(args: string[], cwd: string): Promise<JsonRun> {
  const result = await runMain([...args, NO_TYPECHECK, "--json"], cwd);
  const json = JSON.parse(result.stdout) as JsonRun;
  expect(result.exitCode, `${args.join(" ")}: ${result.stdout} ${result.stderr}`).toBe(0);
  return json;
}

const available = await servicesAvailable("drizzle-1-repos");

describe.runIf(available)("an existing drizzle-orm 1.0 repo: init and the core job", () => {
  let installed: InstalledRoot;
  let database: ThrowawayDatabase;
  beforeAll(async () => {
    installed = await installedRoot("drizzle-1-repos", {
      ...FIXTURE_ROOT_DEPENDENCIES,
      "drizzle-orm": DRIZZLE_V1,
      "drizzle-kit": DRIZZLE_V1,
    });
    database = await createThrowawayDatabase("drizzle_1_repos");
  }, SUITE_TIMEOUT_MS);
  afterAll(async () => {
    await database.drop();
    await installed.cleanup();
  });

  it(
    "init, repository --with two levels, a new table referencing an existing one, cache: tsc green, the tables migrate, generated tests pass (eager read = 1 statement), a second run of each plans nothing",
    async () => {
      const cwd = path.join(installed.dir, "guild-api");
      for (const [file, content] of Object.entries(DRIZZLE_1_REPO)) {
        await mkdir(path.dirname(path.join(cwd, file)), { recursive: true });
        await writeFile(path.join(cwd, file), content);
      }
      const tsc = installed.bin("tsc");
      await inProject(cwd, tsc, ["--noEmit", "-p", "."]);

      const commands = [["init", "--no-install"], ...DRIZZLE_1_JOB];
      for (const command of commands) await cli(command, cwd);
      const client = await readFile(path.join(cwd, "src/db/client.ts"), "utf8");
      expect(client).toContain("drizzle({ client: existingClient, relations })");
      const relations = await readFile(path.join(cwd, "src/db/relations.ts"), "utf8");
      expect(relations).toContain("rewards: r.many.rewards(),");
      expect(relations).not.toMatch(/\brelations\(/);
      for (const command of commands) {
        const again = await cli([...command, "--dry-run"], cwd);
        expect(
          again.plan.filter((entry) => entry.write).map((entry) => entry.path),
          `second ${command.join(" ")}`,
        ).toEqual([]);
      }

      await inProject(cwd, tsc, ["--noEmit", "-p", "."]);
      const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl() };
      const drizzleKit = installed.bin("drizzle-kit");
      await inProject(cwd, drizzleKit, ["generate"], env);
      await inProject(cwd, drizzleKit, ["migrate"], env);
      for (const table of [`"${GUILD_SCHEMA}"."teams"`, `"${GUILD_SCHEMA}"."quest_logs"`, "rewards"])
        await execute(database.url, `select from ${table} limit 0`);

      const report = path.join(cwd, "vitest-report.json");
      await inProject(cwd, installed.bin("vitest"), ["run", "--reporter=json", `--outputFile=${report}`], env);
      const results = (JSON.parse(await readFile(report, "utf8")) as VitestReport).testResults.flatMap(
        (file) => file.assertionResults,
      );
      expect(results.filter((result) => result.status !== "passed")).toEqual([]);
      expect(results.find((result) => result.title === EAGER_READ_TEST)?.status).toBe("passed");
    },
    SUITE_TIMEOUT_MS,
  );
});
