import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { describe, it } from "vitest";

import { useHostileProject } from "./hostile-case.js";
import type { HostileCase } from "./hostile-case.js";

const { runCase } = useHostileProject("state");

/** Rewrites a JSON file of the project through `change`. */
const editJson =
  (file: string, change: (json: Record<string, unknown>) => unknown) =>
  async (project: string): Promise<void> => {
    const full = path.join(project, file);
    const json = JSON.parse(await readFile(full, "utf8")) as Record<string, unknown>;
    const changed = change(json);
    await writeFile(full, JSON.stringify(changed ?? json, null, 2));
  };
const replaceText = (file: string, text: string) => async (project: string) =>
  writeFile(path.join(project, file), text);
const truncate = (file: string) => async (project: string) => {
  const full = path.join(project, file);
  const text = await readFile(full, "utf8");
  await writeFile(full, text.slice(0, Math.floor(text.length / 2)));
};

const GENERATE = ["generate", "cache", "sessions", "--no-install"];
const MANIFEST = "perf-backend.json";

const MANIFEST_CASES: HostileCase[] = [
  {
    name: "perf-backend.json not JSON",
    setup: replaceText(MANIFEST, "{ nope"),
    args: GENERATE,
    exitCode: 2,
    message: /perf-backend\.json is not valid JSON/,
  },
  {
    name: "perf-backend.json truncated",
    setup: truncate(MANIFEST),
    args: GENERATE,
    exitCode: 2,
    message: /perf-backend\.json is not valid JSON/,
  },
  {
    name: "perf-backend.json an array",
    setup: replaceText(MANIFEST, "[]"),
    args: GENERATE,
    exitCode: 2,
    message: /perf-backend\.json: \(the whole file\)/,
  },
  {
    name: "perf-backend.json version 2",
    setup: editJson(MANIFEST, (json) => ({ ...json, version: 2 })),
    args: GENERATE,
    exitCode: 2,
    message: /version: must be 1/,
  },
  {
    name: "perf-backend.json without layout",
    setup: editJson(MANIFEST, ({ layout: _layout, ...rest }) => rest),
    args: GENERATE,
    exitCode: 2,
    message: /layout: must be an object/,
  },
  {
    name: "perf-backend.json layout.db a number",
    setup: editJson(MANIFEST, (json) => ({ ...json, layout: { ...(json.layout as object), db: 5 } })),
    args: GENERATE,
    exitCode: 2,
    message: /layout\.db: must be an object/,
  },
  {
    name: "perf-backend.json layout.cache.dir empty",
    setup: editJson(MANIFEST, (json) => ({
      ...json,
      layout: { ...(json.layout as object), cache: { client: "x", dir: "" } },
    })),
    args: GENERATE,
    exitCode: 2,
    message: /layout\.cache\.dir: must not be empty/,
  },
  {
    name: "perf-backend.json importStyle unknown",
    setup: editJson(MANIFEST, (json) => ({ ...json, layout: { ...(json.layout as object), importStyle: "deno" } })),
    args: GENERATE,
    exitCode: 2,
    message: /importStyle: must be "nodenext" or "bundler"/,
  },
  {
    name: "perf-backend.json files an array",
    setup: editJson(MANIFEST, (json) => ({ ...json, files: [] })),
    args: GENERATE,
    exitCode: 2,
    message: /files: must be an object/,
  },
  {
    name: "perf-backend.json a hash that is not one",
    setup: editJson(MANIFEST, (json) => ({ ...json, files: { "a.ts": 3 } })),
    args: GENERATE,
    exitCode: 2,
    message: /files\.a\.ts/,
  },
];

const PACKAGE_CASES: HostileCase[] = [
  {
    name: 'package.json "dependencies": "oops"',
    setup: editJson("package.json", (json) => ({ ...json, dependencies: "oops" })),
    args: GENERATE,
    exitCode: 2,
    message: /package\.json: dependencies: must be an object of package names to versions/,
  },
  {
    name: 'package.json "dependencies": []',
    setup: editJson("package.json", (json) => ({ ...json, dependencies: [] })),
    args: GENERATE,
    exitCode: 2,
    message: /package\.json: dependencies: must be an object/,
  },
  {
    name: "package.json devDependencies a number",
    setup: editJson("package.json", (json) => ({ ...json, devDependencies: 5 })),
    args: GENERATE,
    exitCode: 2,
    message: /devDependencies/,
  },
  {
    name: "package.json a version that is not a string",
    setup: editJson("package.json", (json) => ({ ...json, dependencies: { pg: 8 } })),
    args: GENERATE,
    exitCode: 2,
    message: /dependencies\.pg: each dependencies entry must be a version string/,
  },
  {
    name: "package.json scripts a list",
    setup: editJson("package.json", (json) => ({ ...json, scripts: ["test"] })),
    args: GENERATE,
    exitCode: 2,
    message: /scripts: must be an object/,
  },
  {
    name: "package.json not JSON",
    setup: replaceText("package.json", '{"name": '),
    args: GENERATE,
    exitCode: 2,
    message: /package\.json is not valid JSON/,
  },
  {
    name: "package.json an array (init)",
    setup: replaceText("package.json", "[]"),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /package\.json: \(the whole file\)/,
  },
  {
    name: 'package.json "type": "esm" (init)',
    setup: editJson("package.json", (json) => ({ ...json, type: "esm" })),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /type: must be "module" or "commonjs"/,
  },
];

const TSCONFIG_CASES: HostileCase[] = [
  {
    name: "tsconfig.json truncated (init)",
    setup: truncate("tsconfig.json"),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /tsconfig\.json cannot be read as JSON/,
  },
  {
    name: "tsconfig.json compilerOptions a list (init)",
    setup: editJson("tsconfig.json", (json) => ({ ...json, compilerOptions: [] })),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /tsconfig\.json: compilerOptions: must be an object/,
  },
  {
    name: "tsconfig.json paths a string (init)",
    setup: editJson("tsconfig.json", (json) => ({
      ...json,
      compilerOptions: { ...(json.compilerOptions as object), paths: "src" },
    })),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /compilerOptions\.paths: must be an object of aliases/,
  },
  {
    name: "tsconfig.json include a string (init)",
    setup: editJson("tsconfig.json", (json) => ({ ...json, include: "src" })),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /include: must be a list of globs/,
  },
];

describe.each([
  ["perf-backend.json", MANIFEST_CASES],
  ["package.json", PACKAGE_CASES],
  ["tsconfig.json", TSCONFIG_CASES],
])("hostile state files: %s of the wrong shape", (_label, cases) => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });
});

const INIT_SHAPES: HostileCase[] = [
  {
    name: "init on a JavaScript repo without tsconfig.json",
    setup: async (project) => rm(path.join(project, "tsconfig.json")),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /No tsconfig\.json here[\s\S]*A JavaScript project: add TypeScript first/,
  },
  {
    name: "init in a folder without package.json",
    setup: async (project) => rm(path.join(project, "package.json")),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /No package\.json here/,
  },
  {
    name: "init on a workspace root",
    setup: editJson("package.json", (json) => ({ ...json, workspaces: ["packages/*"] })),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /workspace root/,
  },
  {
    name: 'init with "workspaces": 5',
    setup: editJson("package.json", (json) => ({ ...json, workspaces: 5 })),
    args: ["init", "--no-install"],
    exitCode: 2,
    message: /workspaces: must be a list of globs/,
  },
];

describe("hostile init on repos it cannot serve", () => {
  it.each(INIT_SHAPES.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });
});
