import * as z from "zod/mini";

import { lazySchema } from "./state-file.js";
import type { StateFileSpec } from "./state-file.js";

// Only word characters between dots: it becomes part of a file name.
const SCHEMA_FILE_SUFFIX = /^(?:\.[\w-]+)*$/;

// `src/db/index.ts#db`: a module of the project and the name it exports the drizzle instance as.
export const DB_CLIENT = /^[^#\s]+#[A-Za-z_$][\w$]*$/;

// A layout path that leaves the project or enters .git would make generators write there.
const leavesProject = (value: string): boolean =>
  value.startsWith("/") ||
  /^[A-Za-z]:/.test(value) ||
  value.split(/[\\/]/).some((segment) => segment === ".." || segment.toLowerCase() === ".git");
// Built on first use (lazySchema): a run that reads no perf-backend.json (create) constructs none of it.
function buildManifestSchema() {
  const relativePath = z.string({ error: "must be a path relative to the project root, as a string" }).check(
    z.minLength(1, { error: "must not be empty" }),
    z.refine((value) => !leavesProject(value), {
      error: "must be a path inside the project (no absolute path, no .. and no .git)",
    }),
  );

  const layoutSchema = z.looseObject(
    {
      srcDir: relativePath,
      importStyle: z.enum(["nodenext", "bundler"], { error: 'must be "nodenext" or "bundler"' }),
      moduleSystem: z.optional(z.enum(["esm", "cjs"], { error: 'must be "esm" or "cjs"' })),
      aliases: z.optional(
        z.array(z.looseObject({ prefix: z.string(), target: z.string() }), {
          error: 'must be a list of { "prefix", "target" }',
        }),
      ),
      testsDir: z.optional(relativePath),
      esLib: z.optional(z.int({ error: "must be an ECMAScript year such as 2020" })),
      bigintLiterals: z.optional(z.literal(false, { error: "must be false (or absent)" })),
      defaultImports: z.optional(z.literal(false, { error: "must be false (or absent)" })),
      db: z.looseObject(
        {
          driver: z.optional(
            z.enum(["node-postgres", "postgres-js"], { error: 'must be "node-postgres" or "postgres-js"' }),
          ),
          tableFactory: z.optional(z.looseObject({ file: relativePath, exportName: z.string() })),
          pool: relativePath,
          client: relativePath,
          transaction: relativePath,
          schemaDir: relativePath,
          schemaFileSuffix: z.optional(
            z.string().check(z.regex(SCHEMA_FILE_SUFFIX, { error: 'must be dot-separated words, like ".schema"' })),
          ),
          schemaBarrel: relativePath,
          migrationsDir: relativePath,
          // What init was told with --schema / --db-client: later runs read the tables and reuse the instance from there.
          schema: z.optional(relativePath),
          dbClient: z.optional(
            z.string().check(z.regex(DB_CLIENT, { error: 'must be "<module>#<export>", like "src/db/index.ts#db"' })),
          ),
        },
        { error: "must be an object with pool, client, transaction, schemaDir, schemaBarrel and migrationsDir paths" },
      ),
      repositoriesDir: relativePath,
      cache: z.looseObject(
        { client: relativePath, dir: relativePath },
        { error: "must be an object with client and dir paths" },
      ),
      workers: z.looseObject(
        { dir: relativePath, pools: relativePath, resolveWorkerFile: relativePath },
        { error: "must be an object with dir, pools and resolveWorkerFile paths" },
      ),
      shutdown: relativePath,
    },
    { error: "must be an object describing where generated files go" },
  );

  // perf-backend.json: written by create/init, read by every generator.
  return z.looseObject({
    version: z.literal(1, { error: "must be 1 (this version of create-perf-backend reads version 1)" }),
    generatedBy: z.string({ error: 'must be a string such as "create-perf-backend@0.1.0"' }),
    layout: layoutSchema,
    files: z.record(
      z.string(),
      z.string().check(z.regex(/^sha256-[0-9a-f]{64}$/, { error: "must be a sha256-<hex> hash written by the tool" })),
      {
        error: "must be an object of file paths to hashes (write {} to treat every file as yours)",
      },
    ),
  });
}

export type ManifestSchema = ReturnType<typeof buildManifestSchema>;

export const MANIFEST_SPEC: StateFileSpec<ManifestSchema> = {
  file: "perf-backend.json",
  schema: lazySchema(buildManifestSchema),
  fix: "perf-backend.json is written by the tool: restore it (git checkout perf-backend.json) or run `create-perf-backend init` to record the layout again.",
};
