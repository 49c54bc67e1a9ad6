import { defineGenerator, PACKAGE_MANAGERS } from "../../src/devkit/declare.js";
import type { GeneratorContext, OptionValues } from "../../src/devkit/declare.js";
import type { InitOptions } from "./generator.js";

export const INIT_HELP = `Detects ESM/CommonJS, NodeNext vs bundler imports, tsconfig path aliases, the source root, an existing
Drizzle setup (config, schema file or folder, pgTableCreator, db export, node-postgres or postgres.js) and
existing pg pools, and records the layout in perf-backend.json. The drizzle client is followed wherever it is made
(provider factories, service methods, default exports); what cannot be found is passed with --schema and
--db-client. Existing files are never changed except package.json, which only gains entries. In a monorepo,
pass --cwd <package dir>.`;

const INIT_OPTIONS = {
  packageManager: {
    kind: "enum",
    flag: "pm",
    choices: PACKAGE_MANAGERS,
    placeholder: "manager",
    description:
      "package manager (default: detected from lockfiles and packageManager, walking up to the workspace root)",
  },
  toolSpec: {
    kind: "string",
    placeholder: "spec",
    description: "how package.json depends on create-perf-backend (default: this copy, or ^version)",
  },
  schema: {
    kind: "string",
    placeholder: "file|folder|glob",
    description:
      'where your tables are, when init cannot find them (src/db/schema, "src/**/*.entity.ts"); recorded in perf-backend.json',
  },
  dbClient: {
    kind: "string",
    placeholder: "module#export",
    description:
      "your drizzle instance, when init cannot find it (src/db/index.ts#db, or #default); reused, recorded in perf-backend.json",
  },
} as const;

/** Reads the repo (package.json, tsconfig, Drizzle and pool modules) before anything is staged. */
export async function normalizeInitOptions(
  values: OptionValues<typeof INIT_OPTIONS>,
  context: GeneratorContext,
): Promise<InitOptions> {
  // The repo readers (TypeScript's tsconfig parser, semver, the schema model) load for init only, not for every run.
  return (await import("./read-repo.js")).readRepo(values, context);
}

export const initDefinition = defineGenerator({
  name: "init",
  description:
    "add the pool, transaction, Drizzle, Redis and worker infrastructure to an existing repo, adapted to what it has",
  help: INIT_HELP,
  usage: "create-perf-backend init",
  project: "optional",
  options: INIT_OPTIONS,
  normalize: normalizeInitOptions,
  // Loaded by the run that uses it: each generator is its own chunk of the bundle.
  generate: async (tree, options) => (await import("./generator.js")).initGenerator(tree, options),
});
