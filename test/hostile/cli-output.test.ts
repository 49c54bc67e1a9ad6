import { spawn } from "node:child_process";
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable, Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { main } from "../../src/cli/main.js";
import { BIN, runMain } from "../helpers/cli.js";
import { STACK_TRACE, treeHash, useHostileProject } from "./hostile-case.js";
import type { HostileCase } from "./hostile-case.js";

const { runCase, project } = useHostileProject("cli-output");

/** A stdout whose reader is gone: every write fails with EPIPE, as after `| head` has exited. */
function closedPipe(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    },
  });
}

async function runWithClosedStdout(args: string[], cwd: string): Promise<{ exitCode: number; stderr: string }> {
  const chunks: string[] = [];
  const stderr = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const exitCode = await main(args, {
    cwd,
    env: { NO_COLOR: "1" },
    stdin: Readable.from([]),
    stdout: closedPipe(),
    stderr,
    interactive: false,
  });
  // An EPIPE arrives on the next tick: let it, so an unhandled one would fail this test.
  await new Promise((resolve) => setImmediate(resolve));
  return { exitCode, stderr: chunks.join("") };
}

const CLOSED_STDOUT: Array<[string, string[], number]> = [
  ["--help", ["--help"], 0],
  ["generate schema --help", ["generate", "schema", "--help"], 0],
  ["help (the command)", ["help"], 0],
  ["--version", ["--version"], 0],
  ["doctor --help", ["doctor", "--help"], 0],
  ["a dry run with --json", ["generate", "cache", "sessions", "--dry-run", "--json"], 0],
  ["a plan printed for humans", ["generate", "cache", "sessions", "--dry-run"], 0],
  ["a usage error with --json", ["generate", "cache", "class", "--json"], 2],
  ["an unknown command with --json", ["generate", "nope", "--json"], 2],
];

describe("hostile output: stdout closed by its reader (| head)", () => {
  it.each(CLOSED_STDOUT)("%s: no EPIPE stack, the exit code kept, nothing written", async (_name, args, exitCode) => {
    const before = await treeHash(project());
    const outcome = await runWithClosedStdout(
      [...args, "--no-install"].filter(
        (arg) => !(arg === "--no-install" && args.some((given) => given.includes("help") || given === "--version")),
      ),
      project(),
    );
    expect(outcome.exitCode, outcome.stderr).toBe(exitCode);
    expect(outcome.stderr).not.toMatch(STACK_TRACE);
    expect(await treeHash(project())).toBe(before);
  });

  // The real binary with its stdout pipe closed before it writes: what `create-perf-backend ... | head -0` does.
  it.each([
    ["generate schema --help", ["generate", "schema", "--help"]],
    ["--json dry run", ["generate", "cache", "sessions", "--dry-run", "--json", "--no-install"]],
  ])("the built CLI: %s", async (_name, args) => {
    const before = await treeHash(project());
    const child = spawn("node", [BIN, ...args], {
      cwd: project(),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(code).toBe(0);
    expect(await treeHash(project())).toBe(before);
  });
});

const manifestLayout = (change: (layout: Record<string, Record<string, string>>) => void) => async (dir: string) => {
  const file = path.join(dir, "perf-backend.json");
  const manifest = JSON.parse(await readFile(file, "utf8")) as { layout: Record<string, Record<string, string>> };
  change(manifest.layout);
  await writeFile(file, JSON.stringify(manifest, null, 2));
};
const GENERATE_CACHE = ["generate", "cache", "sessions", "--no-install"];

const FLAGS: HostileCase[] = [
  {
    name: "`help` without a terminal shows help and scaffolds nothing",
    args: ["help"],
    inParent: true,
    exitCode: 0,
    message: /Usage: create-perf-backend/,
  },
  {
    name: "`help generate` shows the generate help",
    args: ["help", "generate"],
    inParent: true,
    exitCode: 0,
    message: /Usage: create-perf-backend generate/,
  },
  {
    name: "--on-conflict given twice",
    args: [...GENERATE_CACHE, "--on-conflict", "skip", "--on-conflict", "overwrite"],
    exitCode: 2,
    message: /--on-conflict is given twice \("skip" and "overwrite"\)/,
  },
  {
    name: "--on-conflict twice with the same value",
    args: [...GENERATE_CACHE, "--on-conflict", "abort", "--on-conflict", "abort"],
    exitCode: 2,
    message: /given twice/,
  },
  {
    name: "--cwd given twice",
    args: [...GENERATE_CACHE, "--cwd", ".", "--cwd", "src"],
    exitCode: 2,
    message: /--cwd is given twice/,
  },
  {
    name: "--ttl given twice",
    args: [...GENERATE_CACHE, "--ttl", "5", "--ttl", "6"],
    exitCode: 2,
    message: /--ttl is given twice/,
  },
  {
    name: "--ttl 1e3",
    args: [...GENERATE_CACHE, "--ttl", "1e3"],
    exitCode: 2,
    message: /--ttl must be an integer .* got "1e3"/,
  },
  { name: "--ttl 0x10", args: [...GENERATE_CACHE, "--ttl", "0x10"], exitCode: 2, message: /got "0x10"/ },
  { name: "--ttl 0b1", args: [...GENERATE_CACHE, "--ttl", "0b1"], exitCode: 2, message: /got "0b1"/ },
  { name: "--ttl 5.0", args: [...GENERATE_CACHE, "--ttl", "5.0"], exitCode: 2, message: /got "5\.0"/ },
  {
    name: "--max-threads 0x2",
    args: ["generate", "worker", "resize", "--max-threads", "0x2", "--no-install"],
    exitCode: 2,
    message: /got "0x2"/,
  },
  {
    name: "layout.cache.dir into .git",
    setup: manifestLayout((layout) => void (layout.cache = { ...layout.cache, dir: ".git/hooks" })),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /layout\.cache\.dir: must be a path inside the project/,
  },
  {
    name: "layout.cache.dir ../ outside the project",
    setup: manifestLayout((layout) => void (layout.cache = { ...layout.cache, dir: "../elsewhere" })),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /layout\.cache\.dir: must be a path inside the project/,
  },
  {
    name: "layout.db.schemaDir through .. in the middle",
    setup: manifestLayout((layout) => void (layout.db = { ...layout.db, schemaDir: "src/../../x" })),
    args: ["generate", "schema", "t", "--columns", "a:text", "--no-migrate", "--no-install"],
    exitCode: 2,
    message: /layout\.db\.schemaDir: must be a path inside the project/,
  },
  {
    name: "layout.workers.dir absolute",
    setup: manifestLayout((layout) => void (layout.workers = { ...layout.workers, dir: "/tmp/workers" })),
    args: ["generate", "worker", "resize", "--no-install"],
    exitCode: 2,
    message: /layout\.workers\.dir: must be a path inside the project/,
  },
  {
    name: "layout.repositoriesDir into .GIT (case-insensitive file systems)",
    setup: manifestLayout((layout) => void (layout.repositoriesDir = ".GIT/x" as never)),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /layout\.repositoriesDir: must be a path inside the project/,
  },
];

describe("hostile flags and layout paths", () => {
  it.each(FLAGS.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    const outcome = await runCase(testCase);
    if (testCase.args[0] === "help") expect(await readdir(path.dirname(project()))).not.toContain("help");
    expect(outcome.stdout + outcome.stderr).not.toMatch(/Installing dependencies/);
  });
});

describe("hostile --json: a failed follow-up step is not ok", () => {
  it("drizzle-kit generate failing after the files are written reports ok: false and names the task", async () => {
    const dir = path.join(path.dirname(project()), "json-failed-task");
    await cp(project(), dir, { recursive: true });
    // No node_modules here: `npm run db:generate` cannot find drizzle-kit.
    const result = await runMain(
      ["generate", "schema", "tags", "--columns", "label:text", "--json", "--no-install"],
      dir,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; tasks: Array<{ title: string; ok: boolean }> };
    expect(parsed.tasks.some((task) => !task.ok && /drizzle-kit generate/.test(task.title))).toBe(true);
    expect(parsed.ok).toBe(false);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });
});
