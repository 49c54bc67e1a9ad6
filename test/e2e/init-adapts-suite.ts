import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import path from "node:path";

import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AdaptShape } from "../fixtures/adapt-shapes.js";
import { REPO_ROOT, runMain } from "../helpers/cli.js";
import { EVERY_GENERATOR } from "../helpers/generator-commands.js";
import { timed } from "../helpers/project.js";
import { createThrowawayDatabase, execute, redisUrl, servicesAvailable } from "../helpers/services.js";
import type { ThrowawayDatabase } from "../helpers/services.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// Install, six generator runs, a second install and four checks: a shared 2-core machine under load needs the margin.
const SHAPE_TIMEOUT_MS = 900_000;
const STEP_TIMEOUT_MS = 300_000;
// Removing seven fixture repos with their node_modules takes longer than the default hook timeout on a busy machine.
const CLEANUP_TIMEOUT_MS = 180_000;
const GIT_ENV = {
  GIT_AUTHOR_NAME: "fixture",
  GIT_AUTHOR_EMAIL: "f@example.com",
  GIT_COMMITTER_NAME: "fixture",
  GIT_COMMITTER_EMAIL: "f@example.com",
};
// What a user runs after init: the generators that write code into the repo (all without installing,
// one install afterwards). The pre-commit typecheck needs the new packages installed, so it is off
// here; the repo's own tsc after the install is the check (init-matrix covers the pre-commit one).
const generate = (initInstalls: boolean, job: readonly string[][] = EVERY_GENERATOR): string[][] =>
  [["init", ...(initInstalls ? [] : ["--no-install"])], ...job].map((args) => [...args, "--no-typecheck"]);
// Repo-owned files init may change: package.json gains entries, the lockfile follows the install.
const MAY_CHANGE = new Set(["package.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"]);

type Manager = NonNullable<AdaptShape["packageManager"]>;
// pnpm and yarn 1 are pinned devDependencies of this repo: their bins, first on PATH for the fixtures and for
// the install task init runs itself. Their store and cache are shared between runs, as npm's cache is.
const TOOL_BIN = path.join(REPO_ROOT, "node_modules/.bin");
const TOOL_CACHE = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "create-perf-backend");
const MANAGER_ENV = { PNPM_HOME: path.join(TOOL_CACHE, "pnpm"), YARN_CACHE_FOLDER: path.join(TOOL_CACHE, "yarn") };
// Every install offline-first and without dependency scripts (npm's --ignore-scripts; pnpm 10 runs none unless allowed).
// pnpm freezes the lockfile under CI: the install after init is there to update it.
const INSTALL: Record<Manager, string[]> = {
  npm: ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
  pnpm: ["install", "--no-frozen-lockfile", "--prefer-offline", "--reporter=append-only", "--loglevel=error"],
  yarn: ["install", "--ignore-scripts", "--prefer-offline", "--non-interactive", "--silent"],
};

type Step = "install" | "doctor" | AdaptShape["checks"][number];
type Outcome = { ok: boolean; output: string };
const table: Array<{ shape: string; before: Partial<Record<Step, boolean>>; after: Partial<Record<Step, boolean>> }> =
  [];

async function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const result = await timed(cwd, command, args, (file, fileArgs) =>
    execa(file, fileArgs, {
      cwd,
      env: { ...GIT_ENV, ...env, FORCE_COLOR: "0", NO_COLOR: "1", CI: "true" },
      all: true,
      reject: false,
      stdin: "ignore",
      timeout: STEP_TIMEOUT_MS,
    }),
  );
  return {
    ok: !result.failed,
    output: `$ ${command} ${args.join(" ")} (exit ${String(result.exitCode)})\n${String(result.all)}`,
  };
}

const PACKAGE_NAME = "create-perf-backend";
const LOCKFILES: Record<Manager, string> = { npm: "package-lock.json", pnpm: "pnpm-lock.yaml", yarn: "yarn.lock" };
const managerOf = (shape: AdaptShape): Manager => shape.packageManager ?? "npm";
const install = (cwd: string, shape: AdaptShape): Promise<Outcome> =>
  run(cwd, managerOf(shape), INSTALL[managerOf(shape)]);
const runScript = (cwd: string, shape: AdaptShape, script: string, env: Record<string, string>): Promise<Outcome> =>
  run(cwd, managerOf(shape), ["run", script], env);

async function checks(
  cwd: string,
  shape: AdaptShape,
  env: Record<string, string>,
  scripts: readonly string[] = shape.checks,
): Promise<Record<string, Outcome>> {
  const outcomes: Record<string, Outcome> = {};
  for (const check of scripts) outcomes[check] = await runScript(cwd, shape, check, env);
  return outcomes;
}

type PackageJson = Record<string, Record<string, string> | undefined>;
const readPackageJson = async (dir: string): Promise<PackageJson> =>
  JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as PackageJson;
const declared = (json: PackageJson): Record<string, string> => ({ ...json.dependencies, ...json.devDependencies });

const passed = (outcomes: Record<string, Outcome>): Record<string, boolean> =>
  Object.fromEntries(Object.entries(outcomes).map(([step, outcome]) => [step, outcome.ok]));
const failures = (outcomes: Record<string, Outcome>): string =>
  Object.values(outcomes)
    .filter((outcome) => !outcome.ok)
    .map((outcome) => outcome.output)
    .join("\n\n");

// Where a fixture whose own checks passed before init is remembered (a file per key, like the installed roots).
const FIXTURE_CHECKS_DIR = path.join(tmpdir(), "cpb-fixture-checks");
const KEY_LENGTH = 16;

/** The fixture's files, the lockfile its manager wrote (every resolved version) and the Node line. */
async function fixtureChecksKey(repo: string, shape: AdaptShape): Promise<string> {
  const lockfile = await readFile(path.join(repo, LOCKFILES[managerOf(shape)]), "utf8");
  return createHash("sha256")
    .update(
      JSON.stringify({ files: shape.files, checks: shape.checks, lockfile, node: process.versions.node.split(".")[0] }),
    )
    .digest("hex")
    .slice(0, KEY_LENGTH);
}
const fixtureChecked = (key: string): Promise<boolean> =>
  access(path.join(FIXTURE_CHECKS_DIR, key)).then(
    () => true,
    () => false,
  );
async function rememberFixtureChecked(key: string): Promise<void> {
  await mkdir(FIXTURE_CHECKS_DIR, { recursive: true });
  await writeFile(path.join(FIXTURE_CHECKS_DIR, key), new Date().toISOString());
}

/** Lines git shows as removed from package.json, apart from the comma a new last entry adds. */
function removedPackageJsonLines(diff: string): string[] {
  const lines = diff.split("\n");
  const added = new Set(
    lines.filter((line) => line.startsWith("+") && !line.startsWith("+++")).map((line) => line.slice(1)),
  );
  return lines
    .filter((line) => line.startsWith("-") && !line.startsWith("---"))
    .map((line) => line.slice(1))
    .filter((line) => !added.has(`${line},`));
}

/**
 * The suite over some of the shapes: two test files take half each, so vitest's two workers share the longest suite.
 */
export async function describeInitAdapts(shapes: readonly AdaptShape[]): Promise<void> {
  const available = await servicesAvailable("init-adapts");
  describe.runIf(available)("init leaves a repo's own toolchain passing", () => {
    let root: string;
    let cleanup: () => Promise<void>;
    const databases: ThrowawayDatabase[] = [];
    const savedEnv = {
      PATH: process.env.PATH,
      ...Object.fromEntries(Object.keys(MANAGER_ENV).map((name) => [name, process.env[name]])),
    };

    beforeAll(async () => {
      ({ dir: root, cleanup } = await makeTempDir("init-adapts"));
      // The install task init runs itself inherits this process's environment.
      Object.assign(process.env, MANAGER_ENV, { PATH: `${TOOL_BIN}${path.delimiter}${process.env.PATH ?? ""}` });
    });
    afterAll(async () => {
      // yarn 1 caches a `file:` checkout whole (node_modules too, ~300 MB) under a new key each install: keep
      // the shared cache to registry packages.
      if (shapes.some((shape) => shape.packageManager === "yarn"))
        await run(root, "yarn", ["cache", "clean", PACKAGE_NAME, "--silent"]);
      for (const [name, value] of Object.entries(savedEnv)) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
      console.log(
        [
          "| fixture | install | tsc | lint | build | tests | doctor |",
          "|---|---|---|---|---|---|---|",
          ...table.map(({ shape, before, after }) => {
            const word = (value: boolean | undefined): string =>
              value === undefined ? "n/a" : value ? "pass" : "FAIL";
            const cell = (step: Step): string => `${word(before[step])} -> ${word(after[step])}`;
            return `| ${shape} | ${cell("install")} | ${cell("typecheck")} | ${cell("lint")} | ${cell("build")} | ${cell("test")} | ${word(after.doctor)} |`;
          }),
        ].join("\n"),
      );
      for (const database of databases) await database.drop();
      await cleanup();
    }, CLEANUP_TIMEOUT_MS);

    it.each(shapes.map((shape) => [shape.name, shape] as const))(
      "%s: own checks and install pass before and after init + every generator; only package.json gains lines",
      async (_name, shape) => {
        const repo = path.join(root, shape.name);
        for (const [file, content] of Object.entries(shape.files)) {
          await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
          await writeFile(path.join(repo, file), content);
        }
        const cwd = path.join(repo, shape.packageDir ?? ".");
        const row = {
          shape: shape.name,
          before: {} as Partial<Record<Step, boolean>>,
          after: {} as Partial<Record<Step, boolean>>,
        };
        table.push(row);

        const installBefore = await install(repo, shape);
        row.before.install = installBefore.ok;
        expect(installBefore.ok, installBefore.output).toBe(true);
        // The repo's own manager made its one lockfile (the one init's detection reads).
        expect(Object.values(LOCKFILES).filter((file) => existsSync(path.join(repo, file)))).toEqual([
          LOCKFILES[managerOf(shape)],
        ]);
        await writeFile(path.join(repo, ".gitignore"), "node_modules\ndist\n.env\n");
        for (const args of [
          ["init", "-q"],
          ["add", "-A"],
          ["commit", "-qm", "the repo as its authors left it"],
        ]) {
          const git = await run(repo, "git", args);
          expect(git.ok, git.output).toBe(true);
        }
        // A database per fixture: each migrates its own users and posts.
        const database = await createThrowawayDatabase("init_adapts");
        databases.push(database);
        const env = { DATABASE_URL: database.url, DB_URL: database.url, REDIS_URL: redisUrl() };
        for (const [dir, script] of shape.setup ?? []) {
          const setup = await run(path.join(repo, dir), managerOf(shape), ["run", script], env);
          expect(setup.ok, setup.output).toBe(true);
        }
        // The fixture's own checks before init prove the fixture green, so that a failure after init is init's: one
        // pass is remembered per fixture content, lockfile and Node line (what decides it), as installed installs are.
        const fixtureKey = await fixtureChecksKey(repo, shape);
        if (await fixtureChecked(fixtureKey)) {
          Object.assign(row.before, Object.fromEntries(shape.checks.map((check) => [check, true])));
        } else {
          const before = await checks(cwd, shape, env);
          Object.assign(row.before, passed(before));
          expect(failures(before), "the fixture's own checks pass before init").toBe("");
          await rememberFixtureChecked(fixtureKey);
        }

        const rootBefore = await readPackageJson(repo);
        for (const args of generate(shape.initInstalls ?? false, shape.generate)) {
          const result = await runMain([...args, "--json"], cwd);
          expect(result.exitCode, `${args.join(" ")}: ${result.stdout} ${result.stderr}`).toBe(0);
          // init detects the manager from the lockfile at the workspace root: its next steps use it.
          // test:perf where the repo's own test script runs another runner (jest).
          const testScript = shape.added?.includes("test:perf") ? "test:perf" : "test";
          if (args[0] === "init")
            expect((JSON.parse(result.stdout) as { nextSteps: string[] }).nextSteps).toContain(
              `${managerOf(shape)} run ${testScript}`,
            );
          if (args[0] === "init" && shape.initInstalls) {
            // Its own install, with the repo's manager, at the workspace root (where the lockfile is).
            const { tasks } = JSON.parse(result.stdout) as {
              tasks: Array<{ title: string; ok: boolean; error?: string }>;
            };
            expect(tasks, result.stdout).toEqual([
              { title: `Installing dependencies with ${managerOf(shape)}`, ok: true },
            ]);
          }
        }
        const installAfter = await install(repo, shape);
        row.after.install = installAfter.ok;
        expect(installAfter.ok, installAfter.output).toBe(true);
        for (const script of ["db:generate", "db:migrate"]) {
          const migrate = await runScript(cwd, shape, script, env);
          expect(migrate.ok, migrate.output).toBe(true);
        }
        for (const table of shape.expectTables ?? []) {
          const quoted = table
            .split(".")
            .map((part) => `"${part}"`)
            .join(".");
          await expect(
            execute(database.url, `select from ${quoted} limit 0`),
            `table ${table} after db:migrate`,
          ).resolves.toBeUndefined();
        }
        const after = await checks(cwd, shape, env, [...shape.checks, ...(shape.added ?? [])]);
        Object.assign(row.after, passed(after));
        expect(failures(after), "the fixture's own checks pass after init and the generators").toBe("");
        // doctor (our rules on the repo's own tsconfig): the repo with what we generated has no error-level finding.
        const doctor = await runMain(["doctor", "--json"], cwd);
        row.after.doctor = doctor.exitCode === 0;
        expect(doctor.exitCode, `doctor: ${doctor.stdout} ${doctor.stderr}`).toBe(0);
        expect(
          (JSON.parse(doctor.stdout) as { filesChecked: number }).filesChecked,
          "doctor read the repo's files",
        ).toBeGreaterThan(0);

        const changed = (await run(repo, "git", ["diff", "--name-only"])).output.split("\n").slice(1).filter(Boolean);
        const gainsLines = (shape.mayGainLines ?? []).map((file) =>
          path.posix.join(shape.packageDir ?? ".", file).replace(/^\.\//, ""),
        );
        expect(
          changed.filter((file) => !MAY_CHANGE.has(path.posix.basename(file)) && !gainsLines.includes(file)),
          "repo-owned files changed",
        ).toEqual([]);
        const diff = await run(repo, "git", ["diff", "--", "package.json", "*/package.json", ...gainsLines]);
        expect(removedPackageJsonLines(diff.output), "package.json (and mayGainLines files) only gain lines").toEqual(
          [],
        );
        for (const [file, text] of shape.expectInFile ?? [])
          expect(await readFile(path.join(cwd, file), "utf8"), file).toContain(text);
        const app = declared(await readPackageJson(cwd));
        if (shape.expectAdded) {
          expect(
            Object.fromEntries(Object.keys(shape.expectAdded).map((name) => [name, app[name]])),
            "the workspace's versions",
          ).toEqual(shape.expectAdded);
        }
        if (shape.expectNotAdded)
          expect(
            shape.expectNotAdded.filter((name) => app[name] !== undefined),
            "left to the workspace root or left out",
          ).toEqual([]);
        if (shape.expectRootDevAdded) {
          const rootAfter = await readPackageJson(repo);
          const gained = Object.keys(rootAfter.devDependencies ?? {}).filter(
            (name) => rootBefore.devDependencies?.[name] === undefined,
          );
          expect(
            gained.filter((name) => shape.expectRootDevAdded?.includes(name)),
            "dev tools in the workspace root's package.json",
          ).toEqual(shape.expectRootDevAdded);
          expect(Object.keys(rootAfter.devDependencies ?? {}), "the root's devDependencies stay sorted").toEqual(
            Object.keys(rootAfter.devDependencies ?? {}).sort(),
          );
          expect(rootAfter.dependencies, "no runtime dependency at the root").toEqual(rootBefore.dependencies);
        }
      },
      SHAPE_TIMEOUT_MS,
    );
  });
}
