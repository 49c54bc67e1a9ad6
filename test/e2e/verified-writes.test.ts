import { existsSync } from "node:fs";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pinnedDependencies } from "../../src/core/packages/dependency-versions.js";
import { REPO_ROOT, runMain } from "../helpers/cli.js";
import { EVERY_GENERATOR, USERS_REPOSITORY_WITH_POSTS } from "../helpers/generator-commands.js";
import { installedRoot } from "../helpers/installed-root.js";
import type { InstalledRoot } from "../helpers/installed-root.js";
import { inProject } from "../helpers/project.js";
import { FIXTURE_ROOT_DEPENDENCIES } from "../helpers/shared-dependencies.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// A toolchain install, init and five generators, each checked, then the repo's tsc, on a busy machine.
const REPO_TIMEOUT_MS = 900_000;
const NATIVE_TYPESCRIPT = "7.0.2";
// Drizzle 1.0's release candidate: relations from defineRelations, passed to drizzle({ client, relations }).
const DRIZZLE_RC = "1.0.0-rc.5";
const STRICT = {
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  target: "ES2022",
  lib: ["ES2023"],
  types: ["node"],
  module: "NodeNext",
};
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

interface JsonResult {
  ok: boolean;
  error?: { message: string; hints: string[]; kind?: string };
}

async function cli(
  args: string[],
  cwd: string,
): Promise<{ exitCode: number; json: JsonResult; stdout: string; stderr: string }> {
  const result = await runMain([...args, "--json"], cwd);
  return {
    exitCode: result.exitCode,
    json: JSON.parse(result.stdout) as JsonResult,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

async function writeRepo(dir: string, files: Record<string, string>): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

const GIT_IDENTITY = ["-c", "user.name=verified-writes", "-c", "user.email=verified-writes@example.com"];
// A refusal names its cause: the errors the run would add (exit 1, each located), or what the command lacks (exit 2,
// a usage error with a hint, e.g. no perf-backend.json after a refused init). Never a crash.
const TYPECHECK_REFUSAL = /^This run would add \d+ TypeScript error\(s\) to the repo .*; nothing was written\.$/;
const LOCATED_DIAGNOSTIC = /^[\w./-]+\.ts\(\d+,\d+\): TS\d+ /m;
const USAGE_EXIT_CODE = 2;

/** The repo's own tsc errors, without positions (a run may shift the lines an existing error is on). */
async function tscErrors(cwd: string, tsc: string): Promise<string[]> {
  const result = await execa(tsc, ["--noEmit", "--pretty", "false", "-p", "."], { cwd, reject: false, all: true });
  const errors = String(result.all)
    .split("\n")
    .filter((line) => /\berror TS\d+/.test(line))
    .map((line) => line.replace(/\(\d+,\d+\)/, ""));
  // A tsc that failed without a diagnostic (not found, crashed) is no "green".
  if (result.exitCode !== 0 && errors.length === 0) throw new Error(`${tsc} failed in ${cwd}:\n${String(result.all)}`);
  return errors.toSorted();
}

/**
 * One run on a git repo: it exits 0 and the repo's tsc has no error it lacked before (green stays green), or it exits
 * non-zero, leaves the work tree as it was and names the cause. Successful runs are committed, so the next run's
 * "nothing written" is measured from there.
 */
async function expectNoNewErrorsOrRefused(command: string[], cwd: string, tsc: string): Promise<void> {
  const before = await tscErrors(cwd, tsc);
  const run = await cli(command, cwd);
  const label = `${command.join(" ")}: exit ${String(run.exitCode)} ${JSON.stringify(run.json.error)}`;
  if (run.exitCode === 0) {
    const introduced = (await tscErrors(cwd, tsc)).filter((error) => !before.includes(error));
    expect(introduced, label).toEqual([]);
    await inProject(cwd, "git", ["add", "-A"]);
    await inProject(cwd, "git", [...GIT_IDENTITY, "commit", "-q", "-m", command.join(" ")]);
  } else {
    expect((await inProject(cwd, "git", ["status", "--porcelain"])).stdout, label).toBe("");
    if (run.exitCode === USAGE_EXIT_CODE) {
      expect(run.json.error?.kind, label).toBe("usage");
      expect(run.json.error?.hints.length, label).toBeGreaterThan(0);
    } else {
      expect(run.exitCode, label).toBe(1);
      expect(run.json.error?.message, label).toMatch(TYPECHECK_REFUSAL);
      expect(run.json.error?.hints.join("\n"), label).toMatch(LOCATED_DIAGNOSTIC);
    }
  }
}

/** init, then every generator: each exits 0, and the repo's own tsc (the parent's) is green afterwards. */
async function initAndGenerate(cwd: string, tsc: string): Promise<void> {
  for (const command of [["init", "--no-install"], ...EVERY_GENERATOR]) {
    const run = await cli(command, cwd);
    expect(run.exitCode, `${command.join(" ")}: ${JSON.stringify(run.json.error)} ${run.stderr}`).toBe(0);
  }
  await inProject(cwd, tsc, ["--noEmit", "-p", "."]);
}

describe("verified writes: repos keep their own typecheck green, or the run refuses", () => {
  let root: string;
  let cleanup: () => Promise<void>;
  const installs = new Map<string, Promise<InstalledRoot>>();
  beforeAll(async () => {
    ({ dir: root, cleanup } = await makeTempDir("verified-writes"));
  });
  /** One node_modules per toolchain above its repos, installed once (shared with other runs) by the first test that needs it. */
  const toolchain = async (name: "ts6" | "ts7" | "drizzle-rc"): Promise<InstalledRoot> => {
    const lint = pinnedDependencies([
      "eslint",
      "@eslint/js",
      "typescript-eslint",
      "eslint-plugin-import-x",
      "eslint-plugin-unicorn",
      "globals",
    ]);
    const dependencies = {
      ts6: { ...FIXTURE_ROOT_DEPENDENCIES, ...lint, "create-perf-backend": `file:${REPO_ROOT}` },
      ts7: { ...FIXTURE_ROOT_DEPENDENCIES, typescript: NATIVE_TYPESCRIPT },
      "drizzle-rc": { ...FIXTURE_ROOT_DEPENDENCIES, "drizzle-orm": DRIZZLE_RC, "drizzle-kit": DRIZZLE_RC },
    }[name];
    let installed = installs.get(name);
    if (!installed) {
      installed = installedRoot(`verified-writes-${name}`, dependencies);
      installs.set(name, installed);
    }
    return installed;
  };
  afterAll(async () => {
    for (const installed of installs.values()) await (await installed).cleanup();
    await cleanup();
  });

  it(
    "TypeScript 7.0 (ESM, NodeNext): init and every generator are checked by its native tsc and leave it green",
    async () => {
      const cwd = await writeRepo(path.join((await toolchain("ts7")).dir, "app"), {
        "package.json": json({
          name: "ts7-app",
          version: "1.0.0",
          type: "module",
          devDependencies: { typescript: NATIVE_TYPESCRIPT },
        }),
        "tsconfig.json": json({ compilerOptions: STRICT, include: ["src"] }),
        "src/index.ts": 'export const service = "ts7";\n',
      });
      const init = await cli(["init", "--no-install"], cwd);
      expect(init.exitCode, `${JSON.stringify(init.json.error)} ${init.stderr}`).toBe(0);
      expect(init.stderr).not.toContain("findConfigFile");
      for (const command of EVERY_GENERATOR) {
        const run = await cli(command, cwd);
        expect(run.exitCode, `${command.join(" ")}: ${JSON.stringify(run.json.error)} ${run.stderr}`).toBe(0);
      }
      const tsc = (await toolchain("ts7")).bin("tsc");
      expect((await inProject(cwd, tsc, ["--version"])).stdout).toContain(NATIVE_TYPESCRIPT);
      await inProject(cwd, tsc, ["--noEmit", "-p", "."]);

      // A planted break: the repo renames what generated code imports (createRedisClient). The new cache's test would
      // import it and fail to compile: refused, nothing written, though earlier files already had that error.
      const redisClient = path.join(cwd, "src/cache/redis-client.ts");
      await writeFile(
        redisClient,
        (await readFile(redisClient, "utf8")).replaceAll("createRedisClient", "makeRedisClient"),
      );
      const refused = await cli(["generate", "cache", "broken", "--ttl", "60", "--no-install"], cwd);
      expect(refused.exitCode, refused.stdout).toBe(1);
      expect(refused.json.error?.message).toMatch(
        /would add \d+ TypeScript error\(s\) to the repo .*TypeScript 7\.0\.2/,
      );
      expect(refused.json.error?.hints.join("\n")).toMatch(/broken-cache\.test\.ts\(\d+,\d+\): TS(?:2305|2724) /);
      expect(existsSync(path.join(cwd, "src/cache/broken-cache.ts"))).toBe(false);
    },
    REPO_TIMEOUT_MS,
  );

  it(
    "checkJs with its own flat ESLint config: the plopfile init writes carries JSDoc types and passes",
    async () => {
      const cwd = await writeRepo(path.join((await toolchain("ts6")).dir, "checkjs-own-eslint"), {
        "package.json": json({
          name: "checkjs-own-eslint",
          version: "1.0.0",
          type: "module",
          devDependencies: { eslint: pinnedDependencies(["eslint"]).eslint },
        }),
        "tsconfig.json": json({
          compilerOptions: { ...STRICT, allowJs: true, checkJs: true },
          include: ["src", "*.js"],
        }),
        "eslint.config.js":
          '/** @type {import("eslint").Linter.Config[]} */\nconst config = [{ rules: { "no-console": "error" } }];\n\nexport default config;\n',
        "src/index.js": "/** @param {number} n */\nexport const twice = (n) => n * 2;\n",
      });
      await initAndGenerate(cwd, (await toolchain("ts6")).bin("tsc"));
      expect(await readFile(path.join(cwd, "plopfile.js"), "utf8")).toContain("@param");
      expect(await readFile(path.join(cwd, "eslint.config.js"), "utf8")).toContain('"no-console"');
    },
    REPO_TIMEOUT_MS,
  );

  it(
    "checkJs without an ESLint config: the eslint.config.js init writes compiles against the repo's ESLint types",
    async () => {
      const cwd = await writeRepo(path.join((await toolchain("ts6")).dir, "checkjs"), {
        "package.json": json({ name: "checkjs", version: "1.0.0", type: "module" }),
        "tsconfig.json": json({
          compilerOptions: { ...STRICT, allowJs: true, checkJs: true },
          include: ["src", "*.js"],
        }),
        "src/index.ts": 'export const service = "checkjs";\n',
      });
      await initAndGenerate(cwd, (await toolchain("ts6")).bin("tsc"));
      expect(existsSync(path.join(cwd, "eslint.config.js"))).toBe(true);
    },
    REPO_TIMEOUT_MS,
  );

  it(
    "drizzle-orm 1.0 rc (defineRelations, drizzle({ client, relations })): init and each generator keep tsc green; init's client passes the repo's relations",
    async () => {
      const cwd = await writeRepo(path.join((await toolchain("drizzle-rc")).dir, "app"), {
        "package.json": json({
          name: "drizzle-rc-app",
          version: "1.0.0",
          type: "module",
          dependencies: { "drizzle-orm": DRIZZLE_RC, ...pinnedDependencies(["pg"]) },
          devDependencies: {
            "drizzle-kit": DRIZZLE_RC,
            ...pinnedDependencies(["@types/node", "@types/pg", "typescript"]),
          },
        }),
        "tsconfig.json": json({ compilerOptions: STRICT, include: ["src"] }),
        "drizzle.config.ts": [
          'import { defineConfig } from "drizzle-kit";',
          "",
          'export default defineConfig({ dialect: "postgresql", schema: "./src/db/schema.ts", out: "./drizzle" });',
          "",
        ].join("\n"),
        "src/db/schema.ts": [
          'import { integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";',
          "",
          'export const users = pgTable("users", {',
          '  id: serial("id").primaryKey(),',
          '  email: text("email").notNull().unique(),',
          '  joinedAt: timestamp("joined_at").defaultNow().notNull(),',
          "});",
          "",
          'export const posts = pgTable("posts", {',
          '  id: serial("id").primaryKey(),',
          '  authorId: integer("author_id").notNull().references(() => users.id),',
          '  title: text("title").notNull(),',
          "});",
          "",
        ].join("\n"),
        "src/db/relations.ts": [
          'import { defineRelations } from "drizzle-orm";',
          "",
          'import * as schema from "./schema.js";',
          "",
          "export const relations = defineRelations(schema, (r) => ({",
          "  users: { posts: r.many.posts() },",
          "  posts: { author: r.one.users({ from: r.posts.authorId, to: r.users.id }) },",
          "}));",
          "",
        ].join("\n"),
        // The relational query API of 1.0 (object `where`, `with`): what a Drizzle 0.x client setup breaks.
        "src/db/index.ts": [
          'import { drizzle } from "drizzle-orm/node-postgres";',
          'import { Pool } from "pg";',
          "",
          'import { relations } from "./relations.js";',
          "",
          "const pool = new Pool({ connectionString: process.env.DATABASE_URL });",
          "",
          "export const db = drizzle({ client: pool, relations });",
          "",
          "export const userWithPosts = (email: string) => db.query.users.findFirst({ where: { email }, with: { posts: true } });",
          "",
        ].join("\n"),
      });
      const tsc = (await toolchain("drizzle-rc")).bin("tsc");
      expect(await tscErrors(cwd, tsc)).toEqual([]);
      await inProject(cwd, "git", ["init", "-q"]);
      await inProject(cwd, "git", ["add", "-A"]);
      await inProject(cwd, "git", [...GIT_IDENTITY, "commit", "-q", "-m", "drizzle 1.0 rc app"]);

      const generators = [
        USERS_REPOSITORY_WITH_POSTS,
        ["generate", "cache", "user-profile", "--ttl", "60", "--no-install"],
      ];
      for (const command of [["init", "--no-install"], ...generators]) {
        await expectNoNewErrorsOrRefused(command, cwd, tsc);
      }
      // drizzle-orm 1.0 is served (issue 23): init's client is a 1.0 client over the repo's relations, never v0 relations().
      const client = await readFile(path.join(cwd, "src/db/client.ts"), "utf8");
      expect(client).toContain("drizzle({ client: existingClient, relations })");
      expect(client).not.toMatch(/\bschema\b.*from/);
      expect(await tscErrors(cwd, tsc)).toEqual([]);
    },
    REPO_TIMEOUT_MS,
  );

  it(
    "a declared package that is not installed: init names it and the install command, exit 1, nothing written",
    async () => {
      const cwd = await writeRepo(path.join(root, "declared-missing"), {
        "package.json": json({
          name: "declared-missing",
          version: "1.0.0",
          type: "module",
          dependencies: { pg: "8.23.1" },
          devDependencies: { typescript: "6.0.3" },
        }),
        "tsconfig.json": json({ compilerOptions: { ...STRICT, types: [] }, include: ["src"] }),
        "src/index.ts": 'export const service = "missing";\n',
      });
      await mkdir(path.join(cwd, "node_modules"));
      await symlink(path.join(REPO_ROOT, "node_modules/typescript"), path.join(cwd, "node_modules/typescript"));
      const refused = await cli(["init", "--no-install"], cwd);
      expect(refused.exitCode).toBe(1);
      expect(refused.json.error?.message).toBe("package.json declares pg, not installed here; nothing was written.");
      expect(refused.json.error?.hints.join("\n")).toContain("`npm i`");
      expect(refused.stdout).not.toContain("TS2307");
      expect(existsSync(path.join(cwd, "perf-backend.json"))).toBe(false);
    },
    REPO_TIMEOUT_MS,
  );
});
