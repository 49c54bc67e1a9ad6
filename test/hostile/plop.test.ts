import { cp, mkdir, symlink } from "node:fs/promises";
import path from "node:path";

import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pinnedDependencies } from "../../src/core/packages/dependency-versions.js";
import { REPO_ROOT, runMain } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { STACK_TRACE, treeHash } from "./hostile-case.js";

/** Plop installed once per machine (the version generated projects pin), shared by the cases. */
const PLOP_CACHE = path.join(REPO_ROOT, "node_modules/.cache/hostile-plop");
const INSTALL_TIMEOUT_MS = 180_000;
/** A plop that waited for input would still be waiting long after this. */
const NO_WAIT_MS = 20_000;

let dir: string;
let cleanup: () => Promise<void>;
let template: string;
let copies = 0;

beforeAll(async () => {
  const plop = pinnedDependencies(["plop"]).plop ?? "";
  const install = await execa(
    "npm",
    [
      "install",
      "--prefix",
      PLOP_CACHE,
      `plop@${plop}`,
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--no-save",
      "--loglevel=error",
    ],
    {
      reject: false,
    },
  );
  expect(install.exitCode, install.stderr).toBe(0);
  ({ dir, cleanup } = await makeTempDir("hostile-plop"));
  const created = await runMain(["demo", "--yes", "--no-install", "--no-git"], dir);
  expect(created.exitCode, created.stderr).toBe(0);
  template = path.join(dir, "demo");
  // The project's own plop and this checkout as its create-perf-backend, as `npm install` would link them.
  await mkdir(path.join(template, "node_modules"));
  await symlink(path.join(PLOP_CACHE, "node_modules/plop"), path.join(template, "node_modules/plop"));
  await symlink(REPO_ROOT, path.join(template, "node_modules/create-perf-backend"));
}, INSTALL_TIMEOUT_MS);
afterAll(() => cleanup());

async function plopCase(
  args: string[],
  expected: { exitCode: number; message?: RegExp; unchanged: boolean; stdinOpen?: boolean },
) {
  copies += 1;
  const project = path.join(dir, `case-${String(copies)}`);
  await cp(template, project, { recursive: true, verbatimSymlinks: true });
  const before = await treeHash(project);
  // stdin left open and never written to: what `sleep 60 | npx plop schema` gives plop.
  const run = await execa("node", [path.join(project, "node_modules/plop/bin/plop.js"), ...args], {
    cwd: project,
    reject: false,
    stdin: expected.stdinOpen ? "pipe" : "ignore",
    timeout: NO_WAIT_MS,
    env: { NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  expect(run.timedOut, `plop waited for input: ${output}`).toBe(false);
  expect(run.exitCode, output).toBe(expected.exitCode);
  if (expected.message) expect(output).toMatch(expected.message);
  expect(output).not.toMatch(STACK_TRACE);
  if (expected.unchanged) expect(await treeHash(project)).toBe(before);
  return { project, output };
}

const NAMED_FORM =
  /Without a terminal plop cannot ask for name: pass the answers as named arguments, e\.g\. npx plop \w+ -- --name <name>/;

describe("hostile: plop without a terminal", () => {
  it("`sleep 60 | npx plop schema` fails fast with the named-argument form, exit 2", async () => {
    await plopCase(["schema"], { exitCode: 2, message: NAMED_FORM, unchanged: true, stdinOpen: true });
  });

  it("`npx plop cache` with stdin closed fails fast, exit 2", async () => {
    await plopCase(["cache"], { exitCode: 2, message: NAMED_FORM, unchanged: true });
  });

  it("`npx plop worker` with stdin open fails fast, exit 2", async () => {
    await plopCase(["worker"], { exitCode: 2, message: NAMED_FORM, unchanged: true, stdinOpen: true });
  });

  it("bad input through named arguments is exit 2, as in the CLI", async () => {
    await plopCase(["cache", "--", "--name", "class"], { exitCode: 2, message: /reserved word/, unchanged: true });
  });

  it("an unknown table for a repository is exit 2, as in the CLI", async () => {
    await plopCase(["repository", "--", "--name", "nope"], {
      exitCode: 2,
      message: /no table "nope"/,
      unchanged: true,
    });
  });

  it("a schema without columns is exit 2", async () => {
    await plopCase(["schema", "--", "--name", "tags", "--no-migrate"], {
      exitCode: 2,
      message: /columns/,
      unchanged: true,
    });
  });

  it("complete named arguments run the generator without asking, exit 0", async () => {
    const { project, output } = await plopCase(["cache", "--", "--name", "sessions", "--no-install"], {
      exitCode: 0,
      unchanged: false,
      stdinOpen: true,
    });
    expect(output).toMatch(/4 file\(s\) written by cache/);
    const again = await runMain(["generate", "cache", "sessions", "--no-install"], project);
    expect(again.stdout).toMatch(/0 to create, 0 to update/);
  });

  it("a misspelled named argument is refused like the CLI's unknown option, exit 2", async () => {
    await plopCase(["schema", "--", "--name", "tags", "--columns", "a:text", "--soft-delte", "--no-migrate"], {
      exitCode: 2,
      message: /plop schema: unknown named argument --soft-delte \(did you mean --soft-delete\?\)/,
      unchanged: true,
    });
  });

  it("a single-valued named argument given twice is refused, not read as missing, exit 2", async () => {
    const { output } = await plopCase(["cache", "--", "--name", "a", "--name", "b"], {
      exitCode: 2,
      message: /--name is given 2 times; it takes one value/,
      unchanged: true,
    });
    expect(output).not.toMatch(/Missing name/);
  });

  it("messages give plop's --name form, not the CLI's positional form", async () => {
    const { output } = await plopCase(["repository", "--", "--name", ""], {
      exitCode: 2,
      message: /--name <table> \(npx plop repository -- --name <table>\)/,
      unchanged: true,
    });
    expect(output).not.toMatch(/generate repository <table>/);
  });

  it("the closing next line is a command a shell runs whole: no # comments joined by &&", async () => {
    const { output } = await plopCase(
      ["schema", "--", "--name", "tags", "--columns", "a:text", "--no-migrate", "--no-install"],
      { exitCode: 0, unchanged: false },
    );
    expect(output).toMatch(
      /next: npm run db:generate && npm run db:migrate && npx create-perf-backend generate repository tags/,
    );
    expect(output).not.toMatch(/next:.*#/);
    // Plan lines start their line: nothing (a spinner's glyph) is printed before them.
    expect(output).toMatch(/^(?:\S+\s+\+\+ )?CREATE {4}src\/db\/schema\/tags\.ts$/m);
  });
});
