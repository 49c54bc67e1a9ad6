import { z } from "zod";

import type { StateFileSpec } from "./state-file.js";

// Only word characters between dots: it becomes part of a file name.
const SCHEMA_FILE_SUFFIX = /^(?:\.[\w-]+)*$/;

// A layout path that leaves the project or enters .git would make generators write there.
const leavesProject = (value: string): boolean =>
  value.startsWith("/") || /^[A-Za-z]:/.test(value) || value.split(/[\\/]/).some((segment) => segment === ".." || segment.toLowerCase() === ".git");
const relativePath = z
  .string({ error: "must be a path relative to the project root, as a string" })
  .min(1, { error: "must not be empty" })
  .refine((value) => !leavesProject(value), { error: "must be a path inside the project (no absolute path, no .. and no .git)" });

const layoutSchema = z.looseObject(
  {
  srcDir: relativePath,
  importStyle: z.enum(["nodenext", "bundler"], { error: 'must be "nodenext" or "bundler"' }),
  moduleSystem: z.enum(["esm", "cjs"], { error: 'must be "esm" or "cjs"' }).optional(),
  aliases: z.array(z.looseObject({ prefix: z.string(), target: z.string() }), { error: 'must be a list of { "prefix", "target" }' }).optional(),
  testsDir: relativePath.optional(),
  esLib: z.number({ error: "must be an ECMAScript year such as 2020" }).int().optional(),
  defaultImports: z.literal(false, { error: "must be false (or absent)" }).optional(),
  db: z.looseObject(
    {
    driver: z.enum(["node-postgres", "postgres-js"], { error: 'must be "node-postgres" or "postgres-js"' }).optional(),
    tableFactory: z.looseObject({ file: relativePath, exportName: z.string() }).optional(),
    pool: relativePath,
    client: relativePath,
    transaction: relativePath,
    schemaDir: relativePath,
    schemaFileSuffix: z.string().regex(SCHEMA_FILE_SUFFIX, { error: 'must be dot-separated words, like ".schema"' }).optional(),
    schemaBarrel: relativePath,
    migrationsDir: relativePath,
    },
    { error: "must be an object with pool, client, transaction, schemaDir, schemaBarrel and migrationsDir paths" },
  ),
  repositoriesDir: relativePath,
  cache: z.looseObject({ client: relativePath, dir: relativePath }, { error: "must be an object with client and dir paths" }),
  workers: z.looseObject(
    { dir: relativePath, pools: relativePath, resolveWorkerFile: relativePath },
    { error: "must be an object with dir, pools and resolveWorkerFile paths" },
  ),
  shutdown: relativePath,
  },
  { error: "must be an object describing where generated files go" },
);

/** perf-backend.json: written by create/init, read by every generator. */
export const manifestSchema = z.looseObject({
  version: z.literal(1, { error: "must be 1 (this version of create-perf-backend reads version 1)" }),
  generatedBy: z.string({ error: 'must be a string such as "create-perf-backend@0.1.0"' }),
  layout: layoutSchema,
  files: z.record(z.string(), z.string().regex(/^sha256-[0-9a-f]{64}$/, { error: "must be a sha256-<hex> hash written by the tool" }), {
    error: "must be an object of file paths to hashes (write {} to treat every file as yours)",
  }),
});

export const MANIFEST_SPEC: StateFileSpec<typeof manifestSchema> = {
  file: "perf-backend.json",
  schema: manifestSchema,
  fix: "perf-backend.json is written by the tool: restore it (git checkout perf-backend.json) or run `create-perf-backend init` to record the layout again.",
};
