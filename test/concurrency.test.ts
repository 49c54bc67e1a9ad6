import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runCli, runMain } from "./helpers/cli.js";
import { makeTempDir } from "./helpers/temp-dir.js";

const ROUNDS_WAITING = 20;
const ROUNDS_FAILING_FAST = 10;
const CONCURRENCY_TIMEOUT_MS = 240_000;
const LEFTOVER = /\.perf-|\.journal|\.lock$|\.(tmp|bak)$/;

let dir: string;
let project: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir("concurrency"));
  project = path.join(dir, "demo");
  const created = await runMain(["demo", "--yes", "--no-install", "--no-git"], dir);
  expect(created.exitCode, created.stderr).toBe(0);
});
afterAll(() => cleanup());

const generateCache = (name: string, wait: boolean) =>
  runCli(["generate", "cache", name, "--no-install", ...(wait ? ["--wait"] : [])], { cwd: project });

async function barrel(): Promise<string> {
  return readFile(path.join(project, "src/cache/index.ts"), "utf8");
}

async function leftovers(): Promise<string[]> {
  const names = [...(await readdir(project)), ...(await readdir(path.join(project, "src/cache")))];
  return names.filter((name) => LEFTOVER.test(name));
}

describe("two generators started together in one project", () => {
  it(
    `with --wait, ${String(ROUNDS_WAITING)} rounds: both succeed and no export is lost`,
    async () => {
      for (let round = 0; round < ROUNDS_WAITING; round += 1) {
        const [first, second] = await Promise.all([
          generateCache(`wa${String(round)}`, true),
          generateCache(`wb${String(round)}`, true),
        ]);
        expect(first.exitCode, first.stderr).toBe(0);
        expect(second.exitCode, second.stderr).toBe(0);
        const text = await barrel();
        expect(text).toContain(`./wa${String(round)}-cache.js`);
        expect(text).toContain(`./wb${String(round)}-cache.js`);
      }
      // Every round's exports are still there at the end, and the manifest knows every file.
      const text = await barrel();
      const manifest = JSON.parse(await readFile(path.join(project, "perf-backend.json"), "utf8")) as {
        files: Record<string, string>;
      };
      for (let round = 0; round < ROUNDS_WAITING; round += 1) {
        for (const side of ["wa", "wb"]) {
          expect(text).toContain(`./${side}${String(round)}-cache.js`);
          expect(manifest.files[`src/cache/${side}${String(round)}-cache.ts`]).toBeDefined();
        }
      }
      expect(await leftovers()).toEqual([]);
    },
    CONCURRENCY_TIMEOUT_MS,
  );

  it(
    `without --wait, ${String(ROUNDS_FAILING_FAST)} rounds: a run that finds the lock exits 1 naming the holder; the barrel has exactly the runs that succeeded`,
    async () => {
      const succeeded: string[] = [];
      let refused = 0;
      for (let round = 0; round < ROUNDS_FAILING_FAST; round += 1) {
        const names = [`fa${String(round)}`, `fb${String(round)}`];
        const results = await Promise.all(names.map((name) => generateCache(name, false)));
        for (const [index, result] of results.entries()) {
          if (result.exitCode === 0) succeeded.push(names[index] ?? "");
          else {
            refused += 1;
            expect(result.exitCode).toBe(1);
            expect(result.stderr).toMatch(
              /Another run holds the lock on .* since \d{4}-\d\d-\d\dT.*: process \d+ on .* \(generate cache\)/,
            );
            expect(result.stderr).toContain("--wait");
            expect(result.stderr).not.toMatch(/\n\s+at /);
          }
        }
      }
      const text = await barrel();
      for (const name of succeeded) expect(text).toContain(`./${name}-cache.js`);
      const exported = text.match(/\.\/f[ab]\d+-cache\.js/g) ?? [];
      expect(exported).toHaveLength(succeeded.length);
      expect(succeeded.length + refused).toBe(ROUNDS_FAILING_FAST * 2);
      expect(await leftovers()).toEqual([]);
      console.info(
        `concurrency without --wait: ${String(succeeded.length)} succeeded, ${String(refused)} refused by the lock`,
      );
    },
    CONCURRENCY_TIMEOUT_MS,
  );
});
