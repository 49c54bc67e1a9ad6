import { describe, expect, it } from "vitest";

import { REPO_SHAPES } from "../test/fixtures/repo-shapes.js";
import { compileWorkspace } from "./compile-workspace.js";
import { GENERATORS } from "./index.js";
import { createBaseProject, runGenerator } from "./testing.js";
import type { VirtualFiles } from "./testing.js";

// A broken template fails here, in the unit loop, without services: each scenario runs generators on a virtual
// workspace and compiles the result with the project's own tsconfig against the versions its package.json pins.
const COMPILE_TIMEOUT_MS = 300_000;

type Step = readonly [generator: string, input: Record<string, unknown>];

/** Every option that changes what a feature generator emits, at least once. */
const FEATURE_STEPS: readonly Step[] = [
  [
    "schema",
    {
      name: "accounts",
      columns: "email:text:notNull,name:text:notNull",
      unique: ["email"],
      timestamps: true,
      migrate: false,
    },
  ],
  [
    "schema",
    {
      name: "articles",
      columns: "accountId:integer:notNull:references=accounts.id,title:varchar(255):notNull",
      softDelete: true,
      migrate: false,
    },
  ],
  [
    "schema",
    {
      name: "remarks",
      columns: "articleId:integer:notNull:references=articles.id:onDelete=cascade,body:text:notNull",
      migrate: false,
    },
  ],
  ["schema", { name: "folders", columns: "parentId:integer:references=folders.id,label:text:notNull", migrate: false }],
  ["schema", { name: "ledgerEntries", columns: "kind:text:notNull,payload:jsonb", key: "bigint", migrate: false }],
  ["schema", { name: "apiTokens", columns: "token:uuid:notNull:default=random,scopes:text[]", migrate: false }],
  ["repository", { name: "accounts", with: "articles.remarks" }],
  ["repository", { name: "articles", with: "account,remarks" }],
  ["repository", { name: "folders", with: "parent,children" }],
  ["repository", { name: "ledgerEntries" }],
  ["repository", { name: "apiTokens" }],
  ["cache", { name: "account-profile", repository: "account", ttl: 300 }],
  ["cache", { name: "ledger-summary", repository: "ledgerEntry", ttl: 60, local: false }],
  ["cache", { name: "session", ttl: 900, strategy: "write-through", local: true }],
  ["cache", { name: "rate-limit", ttl: 30, keyPrefix: "rl:" }],
  ["worker", { name: "hash-password" }],
  ["worker", { name: "resize-image", queue: true, inputType: "ResizeJob", outputType: "ResizeResult" }],
];

async function runSteps(files: VirtualFiles, steps: readonly Step[]): Promise<Record<string, string>> {
  let current = { ...files };
  for (const [generator, input] of steps) current = (await runGenerator(generator, input, current)).files;
  return current;
}

/** A shape's files as seen from the package init runs in. */
function packageFiles(name: string): Record<string, string> {
  const shape = REPO_SHAPES.find((candidate) => candidate.name === name);
  if (!shape) throw new Error(`no repo shape ${name}`);
  const prefix = shape.packageDir === "." ? "" : `${shape.packageDir}/`;
  return Object.fromEntries(
    Object.entries(shape.files)
      .filter(([file]) => file.startsWith(prefix))
      .map(([file, content]) => [file.slice(prefix.length), content]),
  );
}

// Which registered generators each scenario covers; a generator added to the registry without one fails below.
const SCENARIOS: ReadonlyArray<{
  name: string;
  covers: readonly string[];
  files: () => Promise<Record<string, string>>;
}> = [
  {
    name: "a created server project, then every feature generator",
    covers: ["app", "schema", "repository", "cache", "worker"],
    files: async () => runSteps(await createBaseProject(), FEATURE_STEPS),
  },
  {
    name: "a created project on drizzle-orm 1.0 (--drizzle 1), then every feature generator",
    covers: ["app", "schema", "repository", "cache", "worker"],
    files: async () => runSteps(await createBaseProject({ drizzle: "1" }), FEATURE_STEPS),
  },
  {
    name: "a created library project (no server), then every feature generator",
    covers: ["app", "schema", "repository", "cache", "worker"],
    files: async () => runSteps(await createBaseProject({ server: false }), FEATURE_STEPS),
  },
  ...["commonjs", "single-file-schema-postgres-js"].map((shape) => ({
    name: `init on the ${shape} repo shape, then schema, repository, cache and worker`,
    covers: ["init"],
    files: async () => runSteps(packageFiles(shape), [["init", { toolSpec: "^0.1.0" }], ...FEATURE_STEPS]),
  })),
];

describe("generated code compiles", () => {
  it("every registered generator is in a compile scenario", () => {
    const covered = new Set(SCENARIOS.flatMap((scenario) => scenario.covers));
    expect(GENERATORS.map((definition) => definition.name).filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    "%s",
    async (_name, scenario) => {
      expect(await compileWorkspace(await scenario.files())).toEqual([]);
    },
    COMPILE_TIMEOUT_MS,
  );
});
