import { access, chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { execa } from "execa";
import { describe, expect, it } from "vitest";

import { makeTempDir } from "../../test/helpers/temp-dir.js";
import { silentReporter } from "./output/reporter.js";
import { commandSucceeded, DRIZZLE_KIT_FAILURE, DRIZZLE_KIT_GENERATE_SUCCESS, runTasks } from "./tasks.js";

const GENERATE = { failureOutput: DRIZZLE_KIT_FAILURE, successOutput: DRIZZLE_KIT_GENERATE_SUCCESS };
const CONFIG_LINES = "Reading config file '/p/drizzle.config.ts'\n";

describe("drizzle-kit generate output (it exits 0 on failure)", () => {
  it.each([
    ["a new migration", `${CONFIG_LINES}[✓] Your SQL migration file ➜ drizzle/0000_x.sql 🚀`],
    ["no changes", `${CONFIG_LINES}No schema changes, nothing to migrate 😴`],
  ])("%s is a success", (_name, output) => {
    expect(commandSucceeded(false, output, GENERATE)).toBe(true);
  });

  it.each([
    ["a rename prompt without a TTY", `${CONFIG_LINES}Error: Interactive prompts require a TTY terminal`],
    ["a bad import", `${CONFIG_LINES}Error: Cannot find module './userz.js'`],
    ["a syntax error", `${CONFIG_LINES}Error: Transform failed with 1 error: comments.ts:29:17: ERROR: Unexpected ";"`],
    ["only the config lines", CONFIG_LINES],
  ])("%s is a failure", (_name, output) => {
    expect(commandSucceeded(false, output, GENERATE)).toBe(false);
  });

  it("a non-zero exit is a failure whatever the output", () => {
    expect(commandSucceeded(true, "No schema changes", GENERATE)).toBe(false);
    expect(commandSucceeded(false, "anything", {})).toBe(true);
  });
});

describe("git init", () => {
  it("is skipped inside an existing work tree (no nested repository)", async () => {
    const { dir, cleanup } = await makeTempDir("git-nested");
    try {
      await execa("git", ["init", "--quiet"], { cwd: dir });
      await mkdir(path.join(dir, "packages/api"), { recursive: true });
      const outcomes = await runTasks(
        path.join(dir, "packages/api"),
        [{ kind: "git-init", commitMessage: "x" }],
        silentReporter,
      );
      expect(outcomes).toEqual([
        expect.objectContaining({ ok: true, skipped: expect.stringContaining("already inside a git work tree") }),
      ]);
      await expect(access(path.join(dir, "packages/api/.git"))).rejects.toThrow();
    } finally {
      await cleanup();
    }
  });
});

describe("install", () => {
  // A stand-in pnpm first on PATH: it records where it ran and with what, so the spec needs no registry.
  const FAKE_PNPM = '#!/bin/sh\necho "$PWD $*" > "$(dirname "$0")/ran"\n';

  it("runs at the workspace root (the lockfile is there), with a lockfile the run may update under CI", async () => {
    const { dir, cleanup } = await makeTempDir("install-root");
    const savedPath = process.env.PATH;
    try {
      await mkdir(path.join(dir, "bin"));
      await writeFile(path.join(dir, "bin/pnpm"), FAKE_PNPM);
      await chmod(path.join(dir, "bin/pnpm"), 0o755);
      await mkdir(path.join(dir, "repo/packages/api"), { recursive: true });
      await writeFile(path.join(dir, "repo/pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
      await writeFile(path.join(dir, "repo/package.json"), "{}\n");
      process.env.PATH = `${path.join(dir, "bin")}${path.delimiter}${savedPath ?? ""}`;
      const outcomes = await runTasks(
        path.join(dir, "repo/packages/api"),
        [{ kind: "install", packageManager: "pnpm" }],
        silentReporter,
      );
      expect(outcomes).toEqual([{ title: "Installing dependencies with pnpm", ok: true }]);
      expect((await readFile(path.join(dir, "bin/ran"), "utf8")).trim()).toBe(
        `${path.join(dir, "repo")} i --no-frozen-lockfile`,
      );
    } finally {
      process.env.PATH = savedPath;
      await cleanup();
    }
  });

  it("runs in the package when it is in no workspace", async () => {
    const { dir, cleanup } = await makeTempDir("install-package");
    const savedPath = process.env.PATH;
    try {
      await mkdir(path.join(dir, "bin"));
      await writeFile(path.join(dir, "bin/pnpm"), FAKE_PNPM);
      await chmod(path.join(dir, "bin/pnpm"), 0o755);
      await mkdir(path.join(dir, "service"));
      process.env.PATH = `${path.join(dir, "bin")}${path.delimiter}${savedPath ?? ""}`;
      await runTasks(path.join(dir, "service"), [{ kind: "install", packageManager: "pnpm" }], silentReporter);
      expect((await readFile(path.join(dir, "bin/ran"), "utf8")).trim()).toBe(
        `${path.join(dir, "service")} i --no-frozen-lockfile`,
      );
    } finally {
      process.env.PATH = savedPath;
      await cleanup();
    }
  });
});
