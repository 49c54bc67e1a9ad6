import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { JOURNAL_FILE } from "../../src/core/commit/commit-journal.js";
import { acquireProjectLock } from "../../src/core/commit/project-lock.js";
import type { ProjectLock } from "../../src/core/commit/project-lock.js";
import { runMain } from "../helpers/cli.js";
import { useHostileProject } from "./hostile-case.js";
import type { HostileCase } from "./hostile-case.js";

const { runCase, project: template } = useHostileProject("disk");

/** A copy of the project for a case that is meant to change it. */
async function runCaseChanging(work: (project: string) => Promise<void>): Promise<boolean> {
  const copy = await mkdtemp(path.join(tmpdir(), "cpb-hostile-changing-"));
  try {
    await cp(template(), copy, { recursive: true });
    await work(copy);
    return true;
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

const CREATE_AGAIN = ["demo", "--yes", "--no-install", "--no-git"];
const GENERATE = ["generate", "cache", "sessions", "--no-install"];

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** What git's autocrlf does to a checkout. */
async function toCrlf(project: string): Promise<void> {
  for (const file of await filesBelow(project)) {
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replaceAll("\r\n", "\n").replaceAll("\n", "\r\n"));
  }
}
const addBom = (file: string) => async (project: string) => {
  const full = path.join(project, file);
  await writeFile(full, `\uFEFF${await readFile(full, "utf8")}`);
};
const generated = async (project: string): Promise<void> => {
  const result = await runMain(GENERATE, project);
  if (result.exitCode !== 0) throw new Error(result.stderr);
};
const both =
  (...steps: Array<(project: string) => Promise<void>>) =>
  async (project: string) => {
    for (const step of steps) await step(project);
  };

const CRLF_BOM: HostileCase[] = [
  {
    name: "create again on a CRLF checkout is a no-op",
    setup: toCrlf,
    args: CREATE_AGAIN,
    inParent: true,
    exitCode: 0,
    message: /0 to create, 0 to update/,
  },
  {
    name: "a generator again on a CRLF checkout is a no-op",
    setup: both(generated, toCrlf),
    args: GENERATE,
    exitCode: 0,
    message: /0 to create, 0 to update/,
  },
  {
    name: "a BOM on the barrel is not a change",
    setup: both(generated, addBom("src/cache/index.ts")),
    args: GENERATE,
    exitCode: 0,
    message: /0 to create, 0 to update/,
  },
  {
    name: "a BOM on a generated module is not a user edit",
    setup: both(generated, addBom("src/cache/sessions-cache.ts")),
    args: GENERATE,
    exitCode: 0,
    message: /0 conflict/,
  },
  {
    name: "a BOM and CRLF in package.json and perf-backend.json",
    setup: both(toCrlf, addBom("package.json"), addBom("perf-backend.json")),
    args: CREATE_AGAIN,
    inParent: true,
    exitCode: 0,
    message: /0 to create, 0 to update/,
  },
  {
    name: "a CRLF checkout previews as a no-op",
    setup: toCrlf,
    args: [...GENERATE.slice(0, 2), "other", "--dry-run"],
    exitCode: 0,
  },
];

const CREATE_FOLDER: HostileCase[] = [
  {
    name: "create again after install and build: node_modules, lockfile and dist are not files that differ",
    setup: async (project) => {
      await mkdir(path.join(project, "node_modules/pg"), { recursive: true });
      await writeFile(path.join(project, "node_modules/pg/package.json"), "{}");
      await writeFile(path.join(project, "package-lock.json"), "{}");
      await mkdir(path.join(project, "dist"));
      await writeFile(path.join(project, "dist/main.js"), "");
      await writeFile(path.join(project, ".env"), "DATABASE_URL=x\n");
    },
    args: CREATE_AGAIN,
    inParent: true,
    exitCode: 0,
    message: /0 to create, 0 to update, \d+ unchanged, 0 conflict/,
  },
  {
    name: "create again after a generator ran is a no-op",
    setup: generated,
    args: CREATE_AGAIN,
    inParent: true,
    exitCode: 0,
    message: /0 conflict/,
  },
  {
    name: "create into a folder with the user's own package.json is a conflict",
    setup: async (project) => writeFile(path.join(project, "package.json"), '{ "name": "mine" }\n'),
    args: CREATE_AGAIN,
    inParent: true,
    exitCode: 1,
    message: /package\.json is your own/,
  },
  {
    name: "create into a folder with a user's file of the same name as a template",
    setup: async (project) => writeFile(path.join(project, "src/db/pool.ts"), "export const mine = 1;\n"),
    args: CREATE_AGAIN,
    inParent: true,
    exitCode: 1,
    message: /src\/db\/pool\.ts/,
  },
];

let held: ProjectLock | undefined;
afterEach(async () => {
  await held?.release();
  held = undefined;
});
const holdLock = async (project: string): Promise<void> => {
  held = await acquireProjectLock(project, { command: "generate schema users" });
};

const CONCURRENCY: HostileCase[] = [
  {
    name: "a run while another holds the lock exits 1 naming it",
    setup: holdLock,
    args: GENERATE,
    exitCode: 1,
    message: /Another run holds the lock on .* since .*\(generate schema users\)[\s\S]*--wait/,
  },
  {
    name: "init while another run holds the lock",
    setup: holdLock,
    args: ["init", "--no-install"],
    exitCode: 1,
    message: /Another run holds the lock/,
  },
  // Two creates into one directory is a usage problem (exit 2), naming the holder all the same.
  {
    name: "create again while another run holds the lock",
    setup: holdLock,
    args: CREATE_AGAIN,
    inParent: true,
    exitCode: 2,
    message:
      /is locked: another run is creating a project there[\s\S]*Another run holds the lock on .* since .*\(generate schema users\)/,
  },
  {
    name: "a dry run does not need the lock",
    setup: holdLock,
    args: [...GENERATE, "--dry-run"],
    exitCode: 0,
    message: /2 to create/,
  },
];

const journal = (phase: string) => async (project: string) =>
  writeFile(
    path.join(project, JOURNAL_FILE),
    JSON.stringify({
      version: 1,
      id: "abc",
      pid: 1,
      startedAt: "2026-01-01T00:00:00.000Z",
      phase,
      dirs: [],
      files: [],
    }),
  );

const INTERRUPTED: HostileCase[] = [
  {
    name: "a directory where the barrel should be",
    setup: async (project) => {
      await rm(path.join(project, "src/cache/index.ts"));
      await mkdir(path.join(project, "src/cache/index.ts"));
    },
    args: GENERATE,
    exitCode: 1,
    message: /Cannot replace src\/cache\/index\.ts: it is a directory; nothing was written/,
  },
  {
    name: "a dry run after an interrupted commit warns and changes nothing",
    setup: journal("writing"),
    args: [...GENERATE, "--dry-run"],
    exitCode: 0,
    message: /interrupted while writing; run without --dry-run/,
  },
  {
    name: "a dry run with a half-written journal changes nothing",
    setup: async (project) => writeFile(path.join(project, JOURNAL_FILE), '{"vers'),
    args: [...GENERATE, "--dry-run"],
    exitCode: 0,
  },
  {
    name: "bad input after an interrupted commit still changes nothing",
    setup: journal("writing"),
    args: ["generate", "cache", "class", "--no-install"],
    exitCode: 2,
  },
];

describe.each([
  ["CRLF/BOM", CRLF_BOM],
  ["create into a folder", CREATE_FOLDER],
  ["concurrency", CONCURRENCY],
  ["interrupted commits", INTERRUPTED],
])("hostile %s", (_label, cases) => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });
});

describe("hostile: create --on-conflict skip into a folder with the user's package.json", () => {
  it("never edits the user's package.json (nor any other file of theirs)", async () => {
    // runCase asserts the tree hash: with skip, every file that differs is the user's and stays as it is.
    const outcome = await runCase({
      name: "skip",
      setup: async (project) => {
        await writeFile(
          path.join(project, "package.json"),
          '{\n  "name": "mine",\n  "dependencies": { "left-pad": "1.0.0" }\n}\n',
        );
        await writeFile(path.join(project, "src/db/pool.ts"), "export const mine = 1;\n");
      },
      args: [...CREATE_AGAIN, "--on-conflict", "skip"],
      inParent: true,
      exitCode: 0,
      message: /package\.json is your own/,
    });
    expect(outcome.stdout).toMatch(/SKIP|CONFLICT/);
  });
});

describe("hostile: a generator on a CRLF checkout", () => {
  it("edits the barrel keeping its CRLF line endings", async () => {
    const outcome = await runCaseChanging(async (project) => {
      await toCrlf(project);
      const result = await runMain(["generate", "cache", "other", "--no-install"], project);
      expect(result.exitCode, result.stderr).toBe(0);
      const barrel = await readFile(path.join(project, "src/cache/index.ts"), "utf8");
      expect(barrel).toContain('export * from "./other-cache.js";\r\n');
      expect(barrel.replaceAll("\r\n", "")).not.toContain("\n");
    });
    expect(outcome).toBe(true);
  });
});
