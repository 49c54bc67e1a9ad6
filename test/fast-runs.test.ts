// What keeps the common runs fast, asserted through which modules a run of the built CLI loads (never timing):
// templates precompiled by the build, and the schema model reused while the schema files are unchanged.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PRECOMPILED_SUFFIX, PRECOMPILED_TEMPLATES_DIR, templateKey } from "../src/core/template-precompile.js";
import { REPO_ROOT, runCli } from "./helpers/cli.js";
import { makeTempDir } from "./helpers/temp-dir.js";

// Preloaded into the CLI process: on exit, every CommonJS module it loaded (ts-morph, TypeScript and Handlebars are CommonJS).
const LOADED_MODULES_HOOK = `const Module = require("node:module");
process.on("exit", () => require("node:fs").writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(Module._cache).join("\\n")));
`;
const TYPESCRIPT = /node_modules\/(typescript|ts-morph|@ts-morph)\//;
const HANDLEBARS_COMPILER = /node_modules\/handlebars\/dist\/cjs\/handlebars\/compiler\//;
const REPOSITORY_DRY_RUN = ["generate", "repository", "posts", "--with", "comments", "--dry-run", "--yes"];

let dir: string;
let cleanup: () => Promise<void>;
let project: string;
let run = 0;

/** One CLI run in the project: its output and the modules it loaded. */
async function runLogged(args: string[]): Promise<{ exitCode: number | undefined; stdout: string; modules: string[] }> {
  run += 1;
  const loaded = path.join(dir, `loaded-${String(run)}.txt`);
  const result = await runCli(args, { cwd: project, env: { NODE_OPTIONS: `--require ${path.join(dir, "loaded-modules.cjs")}`, LOADED_MODULES_FILE: loaded } });
  return { exitCode: result.exitCode, stdout: result.stdout, modules: (await readFile(loaded, "utf8")).split("\n") };
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir("fast-runs"));
  await writeFile(path.join(dir, "loaded-modules.cjs"), LOADED_MODULES_HOOK);
  expect((await runCli(["demo", "--yes", "--no-install", "--no-git"], { cwd: dir })).exitCode).toBe(0);
  project = path.join(dir, "demo");
  for (const step of [
    ["schema", "users", "--columns", "email:text:notNull", "--no-migrate"],
    ["schema", "posts", "--columns", "authorId:integer:notNull:references=users.id,title:text:notNull", "--no-migrate"],
    ["schema", "comments", "--columns", "postId:integer:notNull:references=posts.id,body:text:notNull", "--no-migrate"],
  ]) {
    expect((await runCli(["generate", ...step, "--yes", "--no-typecheck"], { cwd: project })).exitCode).toBe(0);
  }
  // An installed project keeps the cache in node_modules/.cache.
  await mkdir(path.join(project, "node_modules"));
});
afterAll(() => cleanup());

describe("templates", () => {
  it("are all in the precompiled module the build writes", () => {
    const built = path.join(REPO_ROOT, "dist", PRECOMPILED_TEMPLATES_DIR);
    const templates = readdirSync(path.join(REPO_ROOT, "templates"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".hbs"));
    expect(templates.length).toBeGreaterThan(0);
    const missing = templates.filter((file) => !existsSync(path.join(built, `${templateKey(readFileSync(path.join(REPO_ROOT, "templates", file), "utf8"))}${PRECOMPILED_SUFFIX}`)));
    expect(missing).toEqual([]);
  });
});

describe("a generate run", () => {
  it("executes precompiled templates: the Handlebars compiler is never loaded", async () => {
    const { exitCode, modules } = await runLogged(REPOSITORY_DRY_RUN);
    expect(exitCode).toBe(0);
    expect(modules.some((file) => file.includes("node_modules/handlebars/"))).toBe(true);
    expect(modules.filter((file) => HANDLEBARS_COMPILER.test(file))).toEqual([]);
  });

  it("on an unchanged schema loads no TypeScript; a changed schema is read again", async () => {
    const cacheDir = path.join(project, "node_modules/.cache/create-perf-backend");
    const first = await runLogged(REPOSITORY_DRY_RUN);
    const second = await runLogged(REPOSITORY_DRY_RUN);
    expect(second.exitCode).toBe(0);
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    expect(second.modules.filter((file) => TYPESCRIPT.test(file))).toEqual([]);
    expect(second.stdout).toBe(first.stdout);

    // A column added by hand: the cached model no longer matches what the schema file says.
    const posts = path.join(project, "src/db/schema/posts.ts");
    const text = await readFile(posts, "utf8");
    await writeFile(posts, text.replace("title: text", 'subtitle: text("subtitle").notNull(),\n    title: text'));
    // An entry of an older build is dropped by the next miss: one entry per question stays.
    await writeFile(path.join(cacheDir, "oldbuild0000-entry.json"), "{}");
    const changed = await runLogged(REPOSITORY_DRY_RUN);
    expect(changed.exitCode).toBe(0);
    expect(changed.modules.some((file) => TYPESCRIPT.test(file))).toBe(true);
    expect(changed.stdout).toContain("subtitle");
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });
});
