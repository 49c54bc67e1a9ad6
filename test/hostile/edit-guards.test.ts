import { mkdir, readFile, rename, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

import { describe, it } from "vitest";

import { runMain } from "../helpers/cli.js";
import { useHostileProject } from "./hostile-case.js";
import type { HostileCase } from "./hostile-case.js";

const { runCase } = useHostileProject("edit-guards");

const GENERATE_CACHE = ["generate", "cache", "sessions", "--no-install"];
const SCHEMA_BARREL = "src/db/schema/index.ts";
const CACHE_BARREL = "src/cache/index.ts";

/** What `git merge` leaves in a file both sides changed. */
const conflicted =
  (file: string, style: "merge" | "diff3" = "merge") =>
  async (project: string) => {
    const full = path.join(project, file);
    const base = style === "diff3" ? "||||||| base\nexport {};\n" : "";
    await writeFile(
      full,
      `${await readFile(full, "utf8")}<<<<<<< HEAD\nexport * from "./mine.js";\n${base}=======\nexport * from "./theirs.js";\n>>>>>>> feature\n`,
    );
  };
const generated =
  (...args: string[]) =>
  async (project: string) => {
    const result = await runMain([...args, "--no-install"], project);
    if (result.exitCode !== 0) throw new Error(result.stderr);
  };
const steps =
  (...work: Array<(project: string) => Promise<void>>) =>
  async (project: string) => {
    for (const step of work) await step(project);
  };
/** package.json rewritten with `extra` spliced in as raw JSON text after its opening brace. */
const packageJsonWith = (extra: string, drop?: string) => async (project: string) => {
  const full = path.join(project, "package.json");
  const json = JSON.parse(await readFile(full, "utf8")) as Record<string, Record<string, string>>;
  if (drop && json.dependencies) delete json.dependencies[drop];
  await writeFile(full, `{\n  ${extra},${JSON.stringify(json, null, 2).slice(1)}`);
};
/** `file` moved to `target` and replaced by a symbolic link to it. */
const linked = (file: string, target: string) => async (project: string) => {
  await mkdir(path.dirname(path.join(project, target)), { recursive: true });
  await rename(path.join(project, file), path.join(project, target));
  await symlink(
    path.relative(path.dirname(path.join(project, file)), path.join(project, target)),
    path.join(project, file),
  );
};

const CONFLICT_MARKERS: HostileCase[] = [
  {
    name: "a cache barrel mid-merge (generate cache)",
    setup: conflicted(CACHE_BARREL),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /src\/cache\/index\.ts has git conflict markers/,
  },
  {
    name: "diff3-style markers",
    setup: conflicted(CACHE_BARREL, "diff3"),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /git conflict markers/,
  },
  {
    name: "the schema barrel mid-merge (generate schema)",
    setup: conflicted(SCHEMA_BARREL),
    args: ["generate", "schema", "tags", "--columns", "a:text", "--no-migrate", "--no-install"],
    exitCode: 2,
    message: /src\/db\/schema\/index\.ts has git conflict markers/,
  },
  {
    name: "a parent table mid-merge (its relations would be edited)",
    setup: steps(
      generated("generate", "schema", "users", "--columns", "email:text", "--no-migrate"),
      conflicted("src/db/schema/users.ts"),
    ),
    args: [
      "generate",
      "schema",
      "posts",
      "--columns",
      "authorId:integer:references=users.id",
      "--no-migrate",
      "--no-install",
    ],
    exitCode: 2,
    message: /src\/db\/schema\/users\.ts has git conflict markers/,
  },
  {
    name: "a dry run is refused too",
    setup: conflicted(CACHE_BARREL),
    args: [...GENERATE_CACHE, "--dry-run"],
    exitCode: 2,
    message: /Resolve the merge first/,
  },
  {
    name: "markers in a file the run does not edit are not its business",
    setup: conflicted("src/db/pool.ts"),
    args: [...GENERATE_CACHE, "--dry-run"],
    exitCode: 0,
    message: /2 to create/,
  },
];

const DUPLICATE_KEYS: HostileCase[] = [
  {
    name: 'package.json with "scripts" twice',
    setup: packageJsonWith('"scripts": { "mine": "echo mine" }', "redis"),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /package\.json has the key "scripts" twice/,
  },
  {
    name: "package.json with a dependency twice",
    setup: packageJsonWith('"dependencies": { "left-pad": "1.0.0" }', "redis"),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /"dependencies" twice/,
  },
  {
    name: "perf-backend.json with a key twice",
    setup: async (project) => {
      const full = path.join(project, "perf-backend.json");
      await writeFile(full, (await readFile(full, "utf8")).replace("{", '{\n  "files": {},'));
    },
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /perf-backend\.json has the key "files" twice/,
  },
];

const SYMLINKS: HostileCase[] = [
  {
    name: "a symlinked cache barrel is not replaced by a file",
    setup: linked(CACHE_BARREL, "shared/cache-index.ts"),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /src\/cache\/index\.ts is a symbolic link \(to \.\.\/\.\.\/shared\/cache-index\.ts\)/,
  },
  {
    name: "a symlinked schema file the run edits",
    setup: steps(
      generated("generate", "schema", "users", "--columns", "email:text", "--no-migrate"),
      linked("src/db/schema/users.ts", "shared/users.ts"),
    ),
    args: [
      "generate",
      "schema",
      "posts",
      "--columns",
      "authorId:integer:references=users.id",
      "--no-migrate",
      "--no-install",
    ],
    exitCode: 2,
    message: /src\/db\/schema\/users\.ts is a symbolic link/,
  },
  {
    name: "a symlinked perf-backend.json",
    setup: linked("perf-backend.json", "config/perf-backend.json"),
    args: GENERATE_CACHE,
    exitCode: 2,
    message: /perf-backend\.json is a symbolic link/,
  },
];

describe.each([
  ["conflict markers", CONFLICT_MARKERS],
  ["duplicate JSON keys", DUPLICATE_KEYS],
  ["symbolic links", SYMLINKS],
])("hostile files the run would edit: %s", (_label, cases) => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase(testCase);
  });
});
