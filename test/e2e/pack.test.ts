import { access, readFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { REPO_ROOT } from "../helpers/cli.js";
import { inProject } from "../helpers/project.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const PACK_TIMEOUT_MS = 300_000;

describe("the published form: npm pack, install the tarball, npx create-perf-backend", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir("pack"));
  });
  afterAll(() => cleanup());

  it(
    "scaffolds a project from an installed tarball that depends on that tarball",
    async () => {
      const packed = await inProject(REPO_ROOT, "npm", [
        "pack",
        "--json",
        "--pack-destination",
        dir,
        "--ignore-scripts",
      ]);
      // npm <= 11 prints an array of packed packages, npm 12 an object keyed by package name.
      type Packed = { filename: string; files: Array<{ path: string }> };
      const report = JSON.parse(packed.stdout) as Packed[] | Record<string, Packed>;
      const entry = Array.isArray(report) ? report[0] : Object.values(report)[0];
      if (!entry) throw new Error(`npm pack --json reported no package: ${packed.stdout}`);
      const { filename, files } = entry;
      const shipped = files.map((file) => file.path);
      expect(shipped).toContain("dist/src/cli/main.js");
      expect(shipped).toContain("templates/app/base/_gitignore.hbs");
      expect(shipped).toContain("dist/src/eslint-plugin/index.js");
      expect(shipped).toContain("docs/rules/no-query-in-loop.md");
      expect(shipped.filter((file) => /\.(spec|test)\.(js|ts)$/.test(file) && file.startsWith("dist/"))).toEqual([]);
      const tarball = path.join(dir, filename);

      const consumer = path.join(dir, "consumer");
      await inProject(dir, "mkdir", ["consumer"]);
      await inProject(consumer, "npm", ["init", "-y"]);
      await inProject(consumer, "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball]);
      await inProject(consumer, "npx", ["create-perf-backend", "demo", "--yes", "--no-install", "--no-git"]);
      // The ESLint plugin resolves from the installed package, and every rule's docs link is a file it ships.
      const plugin = await inProject(consumer, "node", [
        "--input-type=module",
        "-e",
        "const { rules } = await import('create-perf-backend/eslint-plugin'); const { existsSync } = await import('node:fs'); const { fileURLToPath } = await import('node:url'); console.log(JSON.stringify(Object.values(rules).map((rule) => existsSync(fileURLToPath(rule.meta.docs.url)))));",
      ]);
      expect(JSON.parse(plugin.stdout)).toEqual([true, true, true, true, true]);

      await access(path.join(consumer, "demo/src/db/transaction.ts"));
      const packageJson = JSON.parse(await readFile(path.join(consumer, "demo/package.json"), "utf8")) as {
        devDependencies: Record<string, string>;
      };
      expect(packageJson.devDependencies["create-perf-backend"]).toBe(`file:${tarball}`);
    },
    PACK_TIMEOUT_MS,
  );
});
