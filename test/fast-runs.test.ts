// What keeps the common runs fast, asserted through which modules a run of the built CLI loads (never timing):
// templates precompiled by the build, the schema model reused while the schema files are unchanged, and a budget
// of JavaScript a run loads (the slips of earlier rounds, 0.4 s back to 1 s, were code loaded that a run did not need).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PRECOMPILED_INDEX, PRECOMPILED_TEMPLATES_DIR, templateKey } from "../src/core/template-precompile.js";
import { REPO_ROOT, runCli } from "./helpers/cli.js";
import { makeTempDir } from "./helpers/temp-dir.js";

// Preloaded into the CLI process: on exit, every CommonJS module it loaded (ts-morph, TypeScript and Handlebars are CommonJS).
const LOADED_MODULES_HOOK = `const Module = require("node:module");
process.on("exit", () => require("node:fs").writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(Module._cache).join("\\n")));
`;
// ES modules (the bundle, its chunks) go through the loader hooks: each URL loaded is appended to a second file.
const ESM_REGISTER = `import { register } from "node:module";
register("./loaded-esm-hooks.mjs", import.meta.url);
`;
const ESM_HOOKS = `import { appendFileSync } from "node:fs";
export async function load(url, context, nextLoad) {
  if (url.startsWith("file:")) appendFileSync(process.env.LOADED_MODULES_FILE + ".esm", url + "\\n");
  return nextLoad(url, context);
}
`;
// Bytes of JavaScript a cached-schema repository dry run loads, the tool's and its dependencies' (not Node's own):
// 1.26 MB measured when this budget was set (2.7 MB before zod/mini and per-template modules); about 10% of
// headroom, then the budget is the figure to defend.
const LOADED_CODE_BUDGET_BYTES = 1_400_000;
const TYPESCRIPT = /node_modules\/(typescript|ts-morph|@ts-morph)\//;
const HANDLEBARS_COMPILER = /node_modules\/handlebars\/dist\/cjs\/handlebars\/compiler\//;
const REPOSITORY_DRY_RUN = ["generate", "repository", "posts", "--with", "comments", "--dry-run", "--yes"];

let dir: string;
let cleanup: () => Promise<void>;
let project: string;
let run = 0;

/** One CLI run in the project: its output and the modules it loaded. */
async function runLogged(
  args: string[],
  cwd = project,
): Promise<{ exitCode: number | undefined; stdout: string; modules: string[] }> {
  run += 1;
  const loaded = path.join(dir, `loaded-${String(run)}.txt`);
  const options = `--require ${path.join(dir, "loaded-modules.cjs")} --import ${pathToFileURL(path.join(dir, "loaded-esm.mjs")).href}`;
  const result = await runCli(args, { cwd, env: { NODE_OPTIONS: options, LOADED_MODULES_FILE: loaded } });
  const esm = existsSync(`${loaded}.esm`)
    ? (await readFile(`${loaded}.esm`, "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((url) => fileURLToPath(url))
    : [];
  const modules = new Set([...(await readFile(loaded, "utf8")).split("\n").filter(Boolean), ...esm]);
  return { exitCode: result.exitCode, stdout: result.stdout, modules: [...modules] };
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir("fast-runs"));
  await writeFile(path.join(dir, "loaded-modules.cjs"), LOADED_MODULES_HOOK);
  await writeFile(path.join(dir, "loaded-esm.mjs"), ESM_REGISTER);
  await writeFile(path.join(dir, "loaded-esm-hooks.mjs"), ESM_HOOKS);
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
  it("are all in the precompiled packs the build writes", () => {
    const built = path.join(REPO_ROOT, "dist", PRECOMPILED_TEMPLATES_DIR);
    const index = JSON.parse(readFileSync(path.join(built, PRECOMPILED_INDEX), "utf8")) as Record<string, string>;
    const templates = readdirSync(path.join(REPO_ROOT, "templates"), { recursive: true, encoding: "utf8" }).filter(
      (file) => file.endsWith(".hbs"),
    );
    expect(templates.length).toBeGreaterThan(0);
    const missing = templates.filter((file) => {
      const pack = index[templateKey(readFileSync(path.join(REPO_ROOT, "templates", file), "utf8"))];
      return pack === undefined || !existsSync(path.join(built, pack));
    });
    expect(missing).toEqual([]);
  });
});

describe("a create run", () => {
  // Module paths esbuild writes above each bundled module: a loaded chunk that holds one of these loaded its code.
  const NOT_NEEDED_BY_CREATE = [
    "dist/src/schema-model/read-model.js",
    "dist/src/core/repo/inspect-repo.js",
    "dist/src/core/typecheck/typecheck.js",
    "node_modules/picomatch/",
    "node_modules/graceful-fs/",
  ];

  it("loads neither the schema model, the repo readers, the typecheck nor semver, and one template pack per folder", async () => {
    const { exitCode, modules } = await runLogged(["created", "--yes", "--no-install", "--no-git"], dir);
    expect(exitCode).toBe(0);
    const bundled = modules
      .filter((file) => file.includes("dist/bundle/"))
      .flatMap((file) => readFileSync(file, "utf8").match(/^\/\/ (?:dist|node_modules)\/\S+/gm) ?? []);
    expect(bundled.length).toBeGreaterThan(0);
    expect(NOT_NEEDED_BY_CREATE.filter((module) => bundled.some((line) => line.includes(module)))).toEqual([]);
    expect(modules.filter((file) => /node_modules\/(?:semver|typescript|ts-morph)\//.test(file))).toEqual([]);
    const packs = modules
      .filter((file) => file.includes(`/${PRECOMPILED_TEMPLATES_DIR}/`))
      .map((file) => path.basename(file));
    expect(packs.sort()).toEqual(["app--base.cjs", "app--server.cjs"]);
  });
});

describe("a generate run", () => {
  it("executes precompiled templates: the Handlebars compiler is never loaded", async () => {
    const { exitCode, modules } = await runLogged(REPOSITORY_DRY_RUN);
    expect(exitCode).toBe(0);
    expect(modules.some((file) => file.includes("node_modules/handlebars/"))).toBe(true);
    expect(modules.filter((file) => HANDLEBARS_COMPILER.test(file))).toEqual([]);
  });

  it(`loads at most ${String(LOADED_CODE_BUDGET_BYTES)} bytes of JavaScript once the schema model is cached`, async () => {
    await runLogged(REPOSITORY_DRY_RUN);
    const { exitCode, modules } = await runLogged(REPOSITORY_DRY_RUN);
    expect(exitCode).toBe(0);
    const code = modules.filter((file) => /\.(?:c|m)?js$/.test(file) && existsSync(file));
    // Both halves were seen: the bundle (ESM, through the hooks) and the CommonJS packages it requires.
    expect(code.some((file) => file.includes("dist/bundle/cli.js"))).toBe(true);
    expect(code.some((file) => file.includes("node_modules/handlebars/"))).toBe(true);
    const bytes = code.reduce((sum, file) => sum + statSync(file).size, 0);
    const largest = code
      .map((file) => `${String(statSync(file).size)} ${path.relative(REPO_ROOT, file)}`)
      .sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10));
    expect({ bytes, largest: largest.slice(0, 5) }).toEqual({
      bytes: expect.toSatisfy((value: number) => value <= LOADED_CODE_BUDGET_BYTES) as number,
      largest: largest.slice(0, 5),
    });
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
