import { createHash } from "node:crypto";
import { cp } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, expect } from "vitest";

import { runMain } from "../helpers/cli.js";
import { makeTempDir, snapshotDir } from "../helpers/temp-dir.js";

/** A Node stack frame ("    at fn (file:1:2)"): never shown to a user without --debug. */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

export interface CliOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Hash of every file, directory and mode below `dir`: equal hashes mean nothing changed on disk. */
// Tool caches (the schema model's, keyed by content) are not the user's files: a refused run may fill them.
const TOOL_CACHE = /(^|\/)node_modules\/\.cache(\/|$)/;

export async function treeHash(dir: string): Promise<string> {
  const snapshot = await snapshotDir(dir);
  const sorted = Object.keys(snapshot)
    .filter((file) => !TOOL_CACHE.test(file))
    .sort()
    .map((key) => [key, snapshot[key]]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

export interface HostileCase {
  name: string;
  /** Arguments of the CLI, run in the project (or in its parent for `create`). */
  args: string[];
  exitCode: number;
  /** What the message must say (the fix, the file, the field). */
  message?: RegExp;
  /** Prepares the copy of the project before the run. */
  setup?: (project: string) => Promise<void>;
  /** Run in the project's parent directory (create). */
  inParent?: boolean;
}

/**
 * One scaffolded project per suite (made once, in-process); every case gets its own copy, runs the CLI in-process
 * and must leave the copy byte-for-byte as it was, with the expected exit code and no stack trace.
 */
export function useHostileProject(label: string): {
  runCase: (testCase: HostileCase) => Promise<CliOutcome>;
  project: () => string;
} {
  let dir = "";
  let cleanup: (() => Promise<void>) | undefined;
  let template = "";
  let copies = 0;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir(`hostile-${label}`));
    template = path.join(dir, "template", "demo");
    const created = await runMain(["demo", "--yes", "--no-install", "--no-git"], path.dirname(template));
    expect(created.exitCode, created.stderr).toBe(0);
  });
  afterAll(async () => cleanup?.());
  return {
    project: () => template,
    runCase: async (testCase) => {
      copies += 1;
      const parent = path.join(dir, `case-${String(copies)}`);
      const project = path.join(parent, "demo");
      await cp(template, project, { recursive: true });
      await testCase.setup?.(project);
      const before = await treeHash(parent);
      const outcome = await runMain(testCase.args, testCase.inParent ? parent : project);
      const output = `${outcome.stdout}\n${outcome.stderr}`;
      expect(outcome.exitCode, output).toBe(testCase.exitCode);
      if (testCase.message) expect(output).toMatch(testCase.message);
      expect(output).not.toMatch(STACK_TRACE);
      expect(await treeHash(parent), `the tree changed: ${output}`).toBe(before);
      return outcome;
    },
  };
}
