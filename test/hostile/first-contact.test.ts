import { access, appendFile, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { Socket } from "node:net";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { runCli, runMain } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { STACK_TRACE, useHostileProject } from "./hostile-case.js";
import type { HostileCase } from "./hostile-case.js";

const { runCase } = useHostileProject("first-contact");

const MANIFEST = "perf-backend.json";
const INIT = ["init", "--no-install"];
const dropManifest = async (project: string): Promise<void> => rm(path.join(project, MANIFEST));

// Issue 26: perf-backend.json deleted, then the `init` the error message suggests.
const ORPHAN_MODULES: HostileCase[] = [
  {
    name: "init after perf-backend.json was deleted",
    setup: dropManifest,
    args: INIT,
    exitCode: 2,
    message:
      /already holds create-perf-backend's modules \(src\/observability\/measured-pool\.ts[\s\S]*git checkout -- perf-backend\.json/,
  },
  {
    name: "generate after perf-backend.json was deleted: restore it, not init",
    setup: dropManifest,
    args: ["generate", "cache", "sessions", "--no-install"],
    exitCode: 2,
    message:
      /yet it holds create-perf-backend's modules[\s\S]*Restore perf-backend\.json \(`git checkout -- perf-backend\.json`/,
  },
  {
    name: "init --dry-run after perf-backend.json was deleted",
    setup: dropManifest,
    args: [...INIT, "--dry-run"],
    exitCode: 2,
    message: /no perf-backend\.json/,
  },
  {
    name: "init after perf-backend.json was deleted, modules an earlier init prefixed",
    setup: async (project) => {
      await dropManifest(project);
      await rename(
        path.join(project, "src/workers/worker-pools.ts"),
        path.join(project, "src/workers/perf-worker-pools.ts"),
      );
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

const CREATE = ["demo", "--yes", "--no-install", "--no-git"];
/** Replaces the (service) project by a library one made by create --no-server. */
const libraryProject = async (project: string): Promise<void> => {
  await rm(project, { recursive: true });
  const created = await runMain([...CREATE, "--no-server"], path.dirname(project));
  expect(created.exitCode, created.stderr).toBe(0);
};

// Issue 26: `create proj` then `create proj --no-server` made a hybrid that does not compile.
const CREATE_OVER_PROJECT: HostileCase[] = [
  {
    name: "create --no-server over a service project",
    args: [...CREATE, "--no-server"],
    inParent: true,
    exitCode: 2,
    message: /already holds a create-perf-backend project, an HTTP service; creating a library \(--no-server\) over it/,
  },
  {
    name: "create --no-server --dry-run over a service project",
    args: [...CREATE, "--no-server", "--dry-run"],
    inParent: true,
    exitCode: 2,
    message: /already holds a create-perf-backend project/,
  },
  {
    name: "create (service) over a library project",
    setup: libraryProject,
    args: CREATE,
    inParent: true,
    exitCode: 2,
    message: /already holds a create-perf-backend project, a library \(--no-server\); creating an HTTP service/,
  },
  { name: "create with the same choices again: nothing changes", args: CREATE, inParent: true, exitCode: 0 },
  {
    name: "create --no-server again over a library project: nothing changes",
    setup: libraryProject,
    args: [...CREATE, "--no-server"],
    inParent: true,
    exitCode: 0,
  },
];

// Issue 26 / 22 item 9: init over a project create made rewrote its eslint.config.js (lint scoped to generated files)
// and spelled out layout defaults in perf-backend.json. The tree hash proves every file stays byte-identical.
describe("hostile: a second init is a no-op", () => {
  it("init on a project create made plans 0 changes and writes nothing", async () => {
    await runCase({
      name: "init over create",
      args: INIT,
      exitCode: 0,
      message: /Plan: 0 to create, 0 to update, \d+ unchanged, 0 conflict/,
    });
  });
});

describe("hostile: create into a directory that holds a project", () => {
  it.each(CREATE_OVER_PROJECT.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });
});

const exists = async (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

/** Races of two creates into one directory: the loser's check varies with timing, its exit code must not. */
const CREATE_RACE_ROUNDS = 20;
const CREATE_RACE_TIMEOUT_MS = 300_000;

describe("hostile: create and create --no-server at once", () => {
  it(
    `${String(CREATE_RACE_ROUNDS)} rounds: one of them makes its project, the other is refused with exit 2: never a hybrid, never "run again"`,
    async () => {
      const { dir, cleanup } = await makeTempDir("hostile-create-race");
      try {
        for (let round = 0; round < CREATE_RACE_ROUNDS; round += 1) {
          const name = `proj${String(round)}`;
          const [service, library] = await Promise.all([
            runCli([name, ...CREATE.slice(1)], { cwd: dir }),
            runCli([name, ...CREATE.slice(1), "--no-server"], { cwd: dir }),
          ]);
          const output = [service, library].map((run) => `${run.stdout}\n${run.stderr}`).join("\n");
          // Whichever check stops the second (the directory claimed first, the first run's lock on it, or the finished
          // project), starting two creates into one directory is a usage problem: exit 2.
          expect([service.exitCode, library.exitCode].sort(), `round ${String(round)}: ${output}`).toEqual([0, 2]);
          expect(output).toMatch(/already holds a create-perf-backend project|another run is creating a project there/);
          expect(output).not.toMatch(STACK_TRACE);
          const kinds = [
            await exists(path.join(dir, name, "src/main.ts")),
            await exists(path.join(dir, name, "src/index.ts")),
          ];
          expect(kinds, "exactly one kind of entry").toEqual(service.exitCode === 0 ? [true, false] : [false, true]);
        }
      } finally {
        await cleanup();
      }
    },
    CREATE_RACE_TIMEOUT_MS,
  );
});

const CACHE_MODULE = "src/cache/sessions-cache.ts";
const CACHE_TEST = "src/cache/sessions-cache.test.ts";
/** A cache module the user edited after generating it. */
const editedCache = async (project: string): Promise<void> => {
  const generated = await runMain(["generate", "cache", "sessions", "--no-install"], project);
  expect(generated.exitCode, generated.stderr).toBe(0);
  await appendFile(path.join(project, CACHE_MODULE), "// the user's own line\n");
};
const REGENERATE = ["generate", "cache", "sessions", "--strategy", "write-through", "--no-install", "--no-typecheck"];

// Issue 26: --on-conflict skip kept the user's module but regenerated its test (TS2305).
const SKIP_KEEPS_TESTS: HostileCase[] = [
  {
    name: "skip: the kept module's test is kept (dry run)",
    setup: editedCache,
    args: [...REGENERATE, "--on-conflict", "skip", "--dry-run"],
    exitCode: 0,
    message: /CONFLICT\s+src\/cache\/sessions-cache\.test\.ts \(kept with src\/cache\/sessions-cache\.ts/,
  },
  {
    name: "abort (default): module and test both refused",
    setup: editedCache,
    args: REGENERATE,
    exitCode: 1,
    message: /sessions-cache\.ts: edited since it was generated/,
  },
];

describe("hostile: --on-conflict skip keeps a module with its test", () => {
  it.each(SKIP_KEEPS_TESTS.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });

  it("skip writes neither the module nor its test", async () => {
    const { dir, cleanup } = await makeTempDir("hostile-skip");
    try {
      const created = await runMain(CREATE, dir);
      expect(created.exitCode, created.stderr).toBe(0);
      const project = path.join(dir, "demo");
      await editedCache(project);
      const [moduleBefore, testBefore] = await Promise.all([
        readFile(path.join(project, CACHE_MODULE), "utf8"),
        readFile(path.join(project, CACHE_TEST), "utf8"),
      ]);
      const result = await runMain([...REGENERATE, "--on-conflict", "skip"], project);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(`${result.stdout}\n${result.stderr}`).not.toMatch(STACK_TRACE);
      expect(await readFile(path.join(project, CACHE_MODULE), "utf8")).toBe(moduleBefore);
      expect(await readFile(path.join(project, CACHE_TEST), "utf8")).toBe(testBefore);
    } finally {
      await cleanup();
    }
  });
});

/** Empty lockfiles of several managers (what a repo that switched managers keeps), and optionally package.json's field. */
const lockfiles =
  (files: string[], packageManager?: string) =>
  async (project: string): Promise<void> => {
    for (const file of files) await writeFile(path.join(project, file), "");
    if (packageManager) {
      const manifest = path.join(project, "package.json");
      const json = JSON.parse(await readFile(manifest, "utf8")) as Record<string, unknown>;
      await writeFile(manifest, `${JSON.stringify({ ...json, packageManager }, null, 2)}\n`);
    }
  };
// `--local` adds a package: the run has an install task, so the manager matters.
const ADDS_PACKAGE = ["generate", "cache", "sessions", "--local", "--no-install", "--no-typecheck", "--dry-run"];
const ALL_LOCKS = ["pnpm-lock.yaml", "yarn.lock", "package-lock.json"];

// Issue 26: several lockfiles, the manager chosen silently.
const SEVERAL_LOCKFILES: HostileCase[] = [
  {
    name: "pnpm, yarn and npm lockfiles: pnpm, and why",
    setup: lockfiles(ALL_LOCKS),
    args: ADDS_PACKAGE,
    exitCode: 0,
    message:
      /Several lockfiles in \. \(pnpm-lock\.yaml, yarn\.lock, package-lock\.json\): using pnpm, as pnpm-lock\.yaml comes first/,
  },
  {
    name: "yarn and npm lockfiles: yarn",
    setup: lockfiles(["yarn.lock", "package-lock.json"]),
    args: ADDS_PACKAGE,
    exitCode: 0,
    message: /Several lockfiles in \. \(yarn\.lock, package-lock\.json\): using yarn, as yarn\.lock comes first/,
  },
  {
    name: "several lockfiles and packageManager yarn: yarn, as package.json says",
    setup: lockfiles(ALL_LOCKS, "yarn@4.5.0"),
    args: ADDS_PACKAGE,
    exitCode: 0,
    message: /using yarn, as package\.json's "packageManager" names it/,
  },
];

describe("hostile: several lockfiles", () => {
  it.each(SEVERAL_LOCKFILES.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });

  it("one lockfile, or a run that installs nothing: no note", async () => {
    const single = await runCase({
      name: "npm only",
      setup: lockfiles(["package-lock.json"]),
      args: ADDS_PACKAGE,
      exitCode: 0,
    });
    expect(single.stdout + single.stderr).not.toMatch(/Several lockfiles/);
    const nothingToInstall = await runCase({
      name: "no install task",
      setup: lockfiles(ALL_LOCKS),
      args: ["generate", "cache", "sessions", "--no-typecheck", "--dry-run"],
      exitCode: 0,
    });
    expect(nothingToInstall.stdout + nothingToInstall.stderr).not.toMatch(/Several lockfiles/);
  });
});

const BOUND_MS = 30_000;
const INSTALL_TIMEOUT_MS = 3000;

describe("hostile: create against a registry that cannot be reached", () => {
  it("a refused registry: the install is skipped at once with the command to run by hand", async () => {
    const { dir, cleanup } = await makeTempDir("hostile-registry");
    try {
      const started = Date.now();
      const result = await runCli(["proj", "--yes", "--no-git"], {
        cwd: dir,
        env: { npm_config_registry: "http://127.0.0.1:9" },
      });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(Date.now() - started, output).toBeLessThan(BOUND_MS);
      expect(result.exitCode, output).toBe(0);
      expect(output).toMatch(
        /Installing dependencies with npm skipped: the registry http:\/\/127\.0\.0\.1:9 cannot be reached \(ECONNREFUSED\)[\s\S]*\n {2}npm i\n/,
      );
      expect(output).not.toMatch(STACK_TRACE);
      expect(await exists(path.join(dir, "proj/node_modules"))).toBe(false);
    } finally {
      await cleanup();
    }
  });

  it("a registry that accepts and never answers: progress lines, then stopped at the bound", async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const { dir, cleanup } = await makeTempDir("hostile-registry-silent");
    try {
      const env = {
        npm_config_registry: `http://127.0.0.1:${String(port)}`,
        CREATE_PERF_BACKEND_INSTALL_TIMEOUT_MS: String(INSTALL_TIMEOUT_MS),
      };
      const started = Date.now();
      const result = await runCli(["proj", "--yes", "--no-git"], { cwd: dir, env });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(Date.now() - started, output).toBeLessThan(BOUND_MS);
      expect(result.exitCode, output).toBe(0);
      expect(output).toMatch(/npm i: still running after \d+ s/);
      expect(output).toMatch(
        /npm i failed: it did not finish within 3 s and was stopped[\s\S]*1 follow-up step\(s\) failed/,
      );
      expect(output).not.toMatch(STACK_TRACE);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
      await cleanup();
    }
  });
});

/** A truncated copy of the project's tsconfig beside it (the repo's own stays intact). */
const truncatedTsconfig = async (project: string): Promise<void> => {
  const text = await readFile(path.join(project, "tsconfig.json"), "utf8");
  await writeFile(path.join(project, "tsconfig.broken.json"), text.slice(0, Math.floor(text.length / 2)));
};

// Issue 26: `doctor --tsconfig package.json` ran out of memory after ~4 minutes (parse errors ignored).
const NOT_A_TSCONFIG: HostileCase[] = [
  {
    name: "doctor --tsconfig package.json",
    args: ["doctor", "--tsconfig", "package.json"],
    exitCode: 2,
    message:
      /package\.json is not a tsconfig TypeScript can parse: 'version' should be set inside the 'compilerOptions' object of the config json file \(line 3, column 3\)/,
  },
  {
    name: "doctor --tsconfig README.md",
    args: ["doctor", "--tsconfig", "README.md"],
    exitCode: 2,
    message: /README\.md is not a tsconfig TypeScript can parse: .*\(line 1, column \d+\)/,
  },
  {
    name: "doctor --tsconfig .env.example",
    args: ["doctor", "--tsconfig", ".env.example"],
    exitCode: 2,
    message: /\.env\.example is not a tsconfig TypeScript can parse/,
  },
  {
    name: "doctor --tsconfig a truncated copy",
    setup: truncatedTsconfig,
    args: ["doctor", "--tsconfig", "tsconfig.broken.json"],
    exitCode: 2,
    message: /tsconfig\.broken\.json is not a tsconfig TypeScript can parse: .*expected/,
  },
  {
    name: "doctor --json --tsconfig package.json",
    args: ["doctor", "--json", "--tsconfig", "package.json"],
    exitCode: 2,
    message: /is not a tsconfig TypeScript can parse/,
  },
];

describe("hostile: doctor on a file that is not a tsconfig", () => {
  it.each(NOT_A_TSCONFIG.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });
});
