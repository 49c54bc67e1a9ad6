import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { BIN, REPO_ROOT, runCli } from "./helpers/cli.js";
import { makeTempDir, snapshotDir } from "./helpers/temp-dir.js";

const CREATE_FLAGS = ["--yes", "--no-install", "--no-git"];
const HANG_GUARD_MS = 15_000;

let cwd: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: cwd, cleanup } = await makeTempDir("cli"));
});
afterEach(() => cleanup());

describe("create-perf-backend CLI", () => {
  it("--help documents the flags and exit codes and exits 0", async () => {
    const result = await runCli(["--help"], { cwd });
    expect(result.exitCode).toBe(0);
    for (const flag of [
      "--cwd",
      "--yes",
      "--dry-run",
      "--json",
      "--on-conflict",
      "--no-install",
      "--no-git",
      "--pm",
      "--no-server",
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain("Exit codes: 0 ok, 1 generation failed (nothing written), 2 usage error.");
    expect(result.stdout).toMatch(/generate\|g/);
  });

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const result = await runCli(["--version"], { cwd });
    expect(result.stdout.trim()).toBe(version);
  });

  it("without a TTY and without a directory, exits 2 naming what supplies it", async () => {
    const result = await runCli(["--no-install"], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Missing required input: directory");
    expect(result.stderr).toContain("the directory argument");
    expect(await snapshotDir(cwd)).toEqual({});
  });

  it("never waits for input when stdin is an open pipe that is not a TTY", async () => {
    const child = spawn("node", [BIN], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const guard = setTimeout(() => {
        child.kill();
        reject(new Error("the CLI waited for input"));
      }, HANG_GUARD_MS);
      child.on("exit", (code) => {
        clearTimeout(guard);
        resolve(code);
      });
    });
    expect(exitCode).toBe(2);
  });

  it.each([
    [["demo", "--on-conflict", "maybe"], /--on-conflict.*maybe.*Allowed choices are abort, skip, overwrite/s],
    [["demo", "--frobnicate"], /unknown option '--frobnicate'/],
    [["demo", "--pm", "npx"], /--pm must be one of npm, pnpm, yarn, bun, got "npx"/],
    [["!!!", ...CREATE_FLAGS], /Invalid project name: the project name is empty/],
    [["demo", "--name", "Upper", ...CREATE_FLAGS], /"Upper" is not a valid npm package name/],
    [
      ["demo", "--pm", "npm", "--pm", "pnpm", ...CREATE_FLAGS],
      /--pm is given twice \("npm" and "pnpm"\); it takes one value/,
    ],
  ])("rejects bad input %j with exit 2 and writes nothing", async (args, message) => {
    const result = await runCli(args, { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await snapshotDir(cwd)).toEqual({});
  });

  it("--dry-run prints the plan with diffs and writes nothing", async () => {
    const result = await runCli(["demo", "--dry-run", ...CREATE_FLAGS], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("CREATE    src/db/pool.ts");
    expect(result.stdout).toContain("+++ b/src/db/transaction.ts");
    expect(result.stdout).toMatch(
      /Dry run: \d+ to create, 0 to update, 0 unchanged, 0 conflict\(s\)\. Nothing was written\./,
    );
    expect(await snapshotDir(cwd)).toEqual({});
  });

  it("--json prints one parseable document on stdout", async () => {
    const result = await runCli(["demo", "--json", "--dry-run", "--no-install", "--no-git"], { cwd });
    expect(result.exitCode).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      ok: boolean;
      summary: { create: number };
      plan: Array<{ path: string; action: string }>;
    };
    expect(parsed.ok).toBe(true);
    expect(parsed.summary.create).toBe(parsed.plan.length);
    expect(parsed.plan.map((entry) => entry.path)).toContain("perf-backend.json");
  });

  it("--json reports errors as JSON with the exit code", async () => {
    const result = await runCli(["--json"], { cwd });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { exitCode: 2, kind: "usage" } });
  });

  it("creates a project, and a second identical run changes nothing", async () => {
    const first = await runCli(["demo", ...CREATE_FLAGS], { cwd });
    expect(first.exitCode, first.stderr).toBe(0);
    const created = await snapshotDir(path.join(cwd, "demo"));
    expect(Object.keys(created)).toEqual(
      expect.arrayContaining(["src/db/pool.ts", "perf-backend.json", "package.json", ".gitignore"]),
    );
    const second = await runCli(["demo", "--json", ...CREATE_FLAGS], { cwd });
    expect(second.exitCode, second.stdout).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ summary: { create: 0, update: 0, conflict: 0 }, written: [] });
    expect(await snapshotDir(path.join(cwd, "demo"))).toEqual(created);
  });

  it("refuses a non-empty directory with exit 1 and leaves it untouched", async () => {
    await mkdir(path.join(cwd, "existing"));
    await writeFile(path.join(cwd, "existing/notes.txt"), "mine\n");
    const before = await snapshotDir(cwd);
    const result = await runCli(["existing", ...CREATE_FLAGS], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("the directory is not empty (notes.txt)");
    expect(result.stderr).toContain("--on-conflict skip");
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it("--on-conflict skip keeps the user's files and adds the rest", async () => {
    await mkdir(path.join(cwd, "existing"));
    await writeFile(path.join(cwd, "existing/README.md"), "my readme\n");
    const result = await runCli(["existing", "--on-conflict", "skip", ...CREATE_FLAGS], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(path.join(cwd, "existing/README.md"), "utf8")).toBe("my readme\n");
    expect(await readFile(path.join(cwd, "existing/src/db/pool.ts"), "utf8")).toContain("POOL_MAX_CONNECTIONS");
  });

  it("--cwd resolves the directory from there; --no-server makes a library", async () => {
    await mkdir(path.join(cwd, "nested"));
    const result = await runCli(["--cwd", "nested", "lib", "--no-server", ...CREATE_FLAGS], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    const files = await snapshotDir(path.join(cwd, "nested/lib"));
    expect(files["src/index.ts"]).toBeDefined();
    expect(files["src/main.ts"]).toBeUndefined();
    expect(JSON.parse((files["package.json"] ?? "").replace(/^\d+ /, "")).dependencies.fastify).toBeUndefined();
  });

  it("generate with an unknown generator exits 2", async () => {
    const result = await runCli(["generate", "nope"], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'nope'|too many arguments/);
  });
});
