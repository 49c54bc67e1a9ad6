import path from "node:path";

import picomatch from "picomatch";

import { TYPESCRIPT_FILE } from "../../src/devkit/index.js";
import type { ProjectLayout, RepoFacts, Tree, WorkspaceDbPackage } from "../../src/devkit/index.js";

/** `*.schema.ts` -> ".schema", `*.ts` -> "": what a new table's file name needs between its name and `.ts`. */
function globFileSuffix(glob: string): string | undefined {
  const match = /^\*((?:\.[\w-]+)*)\.ts$/.exec(path.posix.basename(glob));
  return match ? match[1] : undefined;
}

/** A file rendered from templates/init with its own data. */
export interface AdapterFile {
  template: string;
  dest: string;
  /** Values ending in `Import` are repo paths, turned into relative specifiers from `dest`. */
  data: Record<string, string>;
  /** Package specifiers (a workspace db package) and flags, used as they are. */
  packageData?: Record<string, string>;
}

export interface ModulePlan {
  layout: ProjectLayout;
  /** app/base template path (as a new project has it) -> where it goes in this repo. */
  baseFiles: Map<string, string>;
  /** Module path of a new project -> the module that plays its part here (placed, adapted or the repo's own). */
  modules: Map<string, string>;
  adapters: AdapterFile[];
  notes: string[];
  /** The repo's schema folder had no index: the new one must re-export the tables already there. */
  newSchemaIndex: boolean;
  /** What that new index re-exports: the folder's schema files (those the config's glob matches), never our modules. */
  schemaIndexFiles: string[];
  /** The repo's drizzle config names no `schema` (drizzle-kit generate needs one): the entry it gains. */
  configSchema: string | null;
  /** The module the db client takes its schema from, when it is not the schema barrel (shared tables + own). */
  clientSchema: string | null;
}

const DEFAULT_SRC = "src/";
const TEST_SUFFIX = ".test.ts";

// Base modules every init adds (each with its test), keyed by their path in a new project.
const ALWAYS = [
  "src/config/env.ts",
  "src/logger.ts",
  "src/cache/redis-client.ts",
  "src/workers/worker-pools.ts",
  "src/workers/resolve-worker-file.ts",
  "src/shutdown.ts",
  // Per-request measurement: request scopes and cache hits (the pool's timing and expectStatements need our own pool).
  "src/observability/request-measurement.ts",
  "src/observability/cache-measurement.ts",
];
// Only beside a pg pool this tool places: the repo's own pool or postgres.js client is not timed, so there
// expectStatements would count nothing and pass; generated tests then count through the Drizzle logger instead.
const WITH_OWN_POOL = ["src/observability/measured-pool.ts", "src/observability/expect-statements.ts"];
const BARRELS = ["src/cache/index.ts", "src/workers/index.ts", "src/observability/index.ts"];

/** `, casing: "snake_case"` after `schema` in generated drizzle(...) calls: the repo's tables may rely on it for SQL names. */
export const casingOption = (facts: RepoFacts): string =>
  facts.drizzle.casing ? `, casing: "${facts.drizzle.casing}"` : "";
const testOf = (file: string): string => file.replace(/\.ts$/, TEST_SUFFIX);
const NOT_SCHEMA_SOURCE = /\.(?:d|test|spec)\.[cm]?tsx?$/;
// Where a barrel goes beside a glob's schema files (`src/db/*.schema.ts`): a name the glob does not match, so
// drizzle-kit never reads the tables twice, and not the folder's index (the db modules' barrel may go there).
const GLOB_BARRELS = ["schema.ts", "schema/index.ts", "perf-schema.ts"];

/** What the plan needs: the repo as inspected, and the files an earlier run wrote (ours, not the repo's). */
export interface ModulePlanInput {
  facts: RepoFacts;
  owned: ReadonlySet<string>;
  /** A workspace package that owns the database, consumed by this app (monorepos). */
  workspaceDb?: WorkspaceDbPackage | null;
}

const INDEX_MODULE = /(?:^|\/)index\.[cm]?ts$/;

/**
 * A schema entry naming a folder's index (`schema: "./src/db/schema/index.ts"`) is that folder: new tables go beside
 * the repo's tables and the index re-exports them (never into `src/db/schema/schema/`, as for a single schema file).
 */
function indexAsFolder(schema: RepoFacts["drizzle"]["schema"]): RepoFacts["drizzle"]["schema"] {
  if (schema?.kind !== "file" || !INDEX_MODULE.test(schema.path)) return schema;
  return { kind: "dir", path: path.posix.dirname(schema.path), barrel: schema.path };
}

// What drizzle-kit pull writes into its output folder besides migrations: the tables and their relations.
const PULLED_MODULES = ["schema.ts", "relations.ts"];

/**
 * The repo's schema when it is drizzle-kit pull's output (`schema.ts` and `relations.ts` in the config's `out`, the
 * folder the next pull overwrites), with the pulled modules; null otherwise. A config whose `schema` points elsewhere
 * (our barrel, after a first init) is not: that barrel re-exports the pulled files and is the schema entry then.
 */
function introspectedSchema(tree: Tree, facts: RepoFacts): { folder: string; files: string[] } | null {
  const { schema } = facts.drizzle;
  const folder = facts.drizzle.migrationsDir ?? "drizzle";
  // The client's `{ schema }` names the pulled file, or spreads both (their folder is the entry then).
  const pulled =
    schema?.kind === "file"
      ? path.posix.dirname(schema.path) === folder && PULLED_MODULES.includes(path.posix.basename(schema.path))
      : schema?.kind === "dir" && schema.path === folder && !schema.glob;
  if (!pulled) return null;
  const files = PULLED_MODULES.map((name) => path.posix.join(folder, name)).filter((file) => tree.exists(file));
  return { folder, files };
}

export function planModules(tree: Tree, options: ModulePlanInput): ModulePlan {
  const { facts, owned } = options;
  const srcDir = facts.srcDir;
  const taken = (file: string): boolean => tree.exists(file) && !owned.has(file);
  const inSrc = (file: string): string =>
    file.startsWith(DEFAULT_SRC) ? `${srcDir}/${file.slice(DEFAULT_SRC.length)}` : file;
  // The repo's own file wins the name; ours gets a perf- prefix beside it.
  const place = (file: string): string => {
    const preferred = inSrc(file);
    if (!taken(preferred) && !taken(testOf(preferred))) return preferred;
    return path.posix.join(path.posix.dirname(preferred), `perf-${path.posix.basename(preferred)}`);
  };

  const baseFiles = new Map<string, string>();
  const modules = new Map<string, string>();
  const adapters: AdapterFile[] = [];
  const notes: string[] = [];
  const addModule = (file: string, withTest = true): string => {
    const dest = place(file);
    baseFiles.set(file, dest);
    modules.set(file, dest);
    if (withTest) baseFiles.set(testOf(file), testOf(dest));
    return dest;
  };

  for (const file of ALWAYS) addModule(file);
  for (const barrel of BARRELS) if (!taken(inSrc(barrel))) addModule(barrel, false);

  // Schema: the repo's entry (one file or a folder's index) or a new barrel.
  const introspected = introspectedSchema(tree, facts);
  const schema = introspected ? null : indexAsFolder(facts.drizzle.schema);
  let schemaBarrel: string;
  let schemaDir: string;
  let schemaFileSuffix: string | undefined;
  let newSchemaIndex = false;
  let schemaIndexFiles: string[] = [];
  if (schema?.kind === "file") {
    schemaBarrel = schema.path;
    schemaDir = path.posix.join(path.posix.dirname(schema.path), "schema");
    notes.push(`Schema: new tables go to ${schemaDir}/ and are re-exported from your ${schema.path}.`);
  } else if (schema?.kind === "dir") {
    schemaDir = schema.path;
    const matchesGlob = schema.glob ? picomatch(schema.glob) : () => true;
    // The module the repo's client already imports as its schema is the barrel; else a name the glob does not match.
    const candidates = schema.barrel
      ? [schema.barrel]
      : schema.glob
        ? GLOB_BARRELS.map((name) => path.posix.join(schema.path, name))
        : [path.posix.join(schema.path, "index.ts")];
    schemaBarrel = candidates.find((file) => !matchesGlob(file) && !taken(file)) ?? candidates[0] ?? "";
    newSchemaIndex = !tree.exists(schemaBarrel);
    if (newSchemaIndex) baseFiles.set("src/db/schema/index.ts", schemaBarrel);
    schemaIndexFiles = tree
      .children(schema.path)
      .map((name) => path.posix.join(schema.path, name))
      .filter(
        (file) =>
          TYPESCRIPT_FILE.test(file) &&
          !NOT_SCHEMA_SOURCE.test(file) &&
          file !== schemaBarrel &&
          matchesGlob(file) &&
          tree.read(file) !== null,
      );
    if (schema.glob) {
      notes.push(
        `Schema: your tables match ${schema.glob}; ${schemaBarrel} re-exports them for the db client (drizzle-kit keeps reading the glob).`,
      );
      schemaFileSuffix = globFileSuffix(schema.glob);
      const example = path.posix.join(schema.path, `table${schemaFileSuffix ?? ""}.ts`);
      if (schemaFileSuffix === undefined || !matchesGlob(example)) {
        schemaFileSuffix = undefined;
        notes.push(
          `Schema: new tables go to ${schema.path}/<table>.ts, which ${schema.glob} may not match: add them to your drizzle.config schema.`,
        );
      }
    }
  } else if (introspected) {
    // drizzle-kit pull rewrites its output folder: new tables and the barrel live in the source root, and the
    // barrel re-exports the pulled schema and relations (the client and drizzle-kit read all tables through it).
    schemaBarrel = inSrc("src/db/schema/index.ts");
    schemaDir = path.posix.dirname(schemaBarrel);
    newSchemaIndex = !tree.exists(schemaBarrel);
    if (newSchemaIndex) baseFiles.set("src/db/schema/index.ts", schemaBarrel);
    schemaIndexFiles = introspected.files;
    notes.push(
      `Schema: ${introspected.folder}/ is drizzle-kit pull's output (the next pull overwrites it): new tables go to ${schemaDir}/, whose index.ts re-exports ${introspected.files.join(" and ")}.`,
    );
    // A config naming the pulled file keeps it (init never rewrites a value of the repo's): generate must see the barrel.
    if (facts.drizzle.schemaSource === "config" && facts.drizzle.configFile)
      notes.push(
        `Point ${facts.drizzle.configFile}'s schema at ./${schemaBarrel} (it re-exports the pulled tables): drizzle-kit generate reads only what schema names, so it would miss new tables.`,
      );
  } else {
    schemaBarrel = addModule("src/db/schema/index.ts", false);
    schemaDir = path.posix.dirname(schemaBarrel);
  }
  modules.set("src/db/schema/index.ts", schemaBarrel);

  // Database access: reuse the repo's drizzle instance (its own, or the workspace db package's) or pool;
  // never open a second pool.
  const ownDb = facts.drizzle.db;
  const sharedDb = ownDb ? null : (options.workspaceDb?.db ?? null);
  const existingDb = ownDb
    ? { exportName: ownDb.exportName, driver: ownDb.driver, from: ownDb.file, declaredType: ownDb.declaredType }
    : sharedDb
      ? { exportName: sharedDb.exportName, driver: sharedDb.driver, from: sharedDb.specifier, declaredType: false }
      : null;
  // A client made inside a function (NestJS provider, service method) cannot be imported, but its driver is the stack.
  const driver = existingDb?.driver ?? facts.drizzle.client?.driver ?? "node-postgres";
  const ownPostgresJs = !existingDb && driver === "postgres-js";
  let clientSchema: string | null = null;
  const client = place("src/db/client.ts");
  modules.set("src/db/client.ts", client);
  baseFiles.set("src/db/client.test.ts", testOf(client));
  let pool = client;
  if (ownPostgresJs) {
    // postgres.js pools connections itself: our client opens one beside the repo's, never a pg Pool next to it.
    adapters.push({
      template: "db-client-postgres-js.ts",
      dest: client,
      data: { schemaImport: schemaBarrel, envImport: modules.get("src/config/env.ts") ?? "" },
      packageData: {
        ownClient: "true",
        casingOption: casingOption(facts),
        dbPackage: "",
        sharedSchemaImport: "",
        declaredType: "",
      },
    });
    notes.push(
      "Skipped the pg pool wrapper: your client is postgres.js, which pools connections itself (size it with postgres(url, { max })).",
    );
  } else if (existingDb) {
    const sharedSchema = sharedDb ? (options.workspaceDb?.schemaSpecifier ?? "") : "";
    adapters.push({
      template: driver === "postgres-js" ? "db-client-postgres-js.ts" : "db-client-node-postgres.ts",
      dest: client,
      data: {
        schemaImport: schemaBarrel,
        envImport: modules.get("src/config/env.ts") ?? "",
        casingOption: casingOption(facts),
        ...(sharedDb ? {} : { dbImport: existingDb.from }),
      },
      packageData: {
        dbExport: existingDb.exportName,
        ...(sharedDb ? { dbImport: sharedDb.specifier } : {}),
        dbPackage: sharedDb ? "true" : "",
        sharedSchemaImport: sharedSchema,
        declaredType: existingDb.declaredType ? "true" : "",
        ownClient: "",
      },
    });
    notes.push(
      `Reusing your drizzle instance \`${existingDb.exportName}\` (${driver}) from ${existingDb.from}: ${client} shares its connections.`,
    );
    if (sharedSchema !== "") {
      notes.push(
        `Schema: ${client} queries the tables of ${sharedSchema} and this package's own (${schemaBarrel}); new tables go to ${schemaDir}/.`,
      );
    }
    if (driver === "postgres-js") {
      notes.push(
        "Skipped the pg pool wrapper: postgres.js pools connections itself (size it with postgres(url, { max })).",
      );
    }
  } else {
    baseFiles.set("src/db/client.ts", client);
    const sharedSchemaOnly = ownDb ? null : (options.workspaceDb?.schemaSpecifier ?? null);
    if (sharedSchemaOnly !== null) {
      // A db package that exports tables but no client: this app opens its own pool over both sets of tables.
      clientSchema = place("src/db/full-schema.ts");
      adapters.push({
        template: "full-schema.ts",
        dest: clientSchema,
        data: { schemaImport: schemaBarrel },
        packageData: { sharedSchemaImport: sharedSchemaOnly },
      });
      notes.push(
        `Schema: ${client} queries the tables of ${sharedSchemaOnly} (through ${clientSchema}) and this package's own (${schemaBarrel}); new tables go to ${schemaDir}/, and drizzle-kit here migrates only those.`,
      );
    }
    if (facts.pool) {
      pool = place("src/db/pool.ts");
      adapters.push({
        template: "pool-adapter.ts",
        dest: pool,
        data: { sourceExport: facts.pool.exportName, sourceImport: facts.pool.file },
      });
      notes.push(`Reusing your pg pool \`${facts.pool.exportName}\` from ${facts.pool.file}.`);
    } else {
      pool = addModule("src/db/pool.ts");
      for (const file of WITH_OWN_POOL) addModule(file);
    }
    modules.set("src/db/pool.ts", pool);
  }
  const transaction = place("src/db/transaction.ts");
  modules.set("src/db/transaction.ts", transaction);
  if (driver === "postgres-js") {
    adapters.push({ template: "transaction-postgres-js.ts", dest: transaction, data: {} });
    adapters.push({ template: "transaction-postgres-js.test.ts", dest: testOf(transaction), data: {} });
  } else {
    baseFiles.set("src/db/transaction.ts", transaction);
    baseFiles.set("src/db/transaction.test.ts", testOf(transaction));
  }
  if (!taken(inSrc("src/db/index.ts")) && !existingDb && !ownPostgresJs && !facts.pool)
    addModule("src/db/index.ts", false);

  if (facts.redis) {
    notes.push(
      `Found a ${facts.redis.library} client in ${facts.redis.file}; generated caches use ${modules.get("src/cache/redis-client.ts") ?? ""} (node-redis, fails fast, no offline queue). Point both at the same REDIS_URL.`,
    );
  }

  const packageIsModule = facts.packageJson.type === "module";
  const configs: Array<[string, string | null, string]> = [
    ["drizzle.config.ts", facts.drizzle.configFile, "drizzle.config.ts"],
    // Vite loads a .ts config of a CommonJS package through its deprecated CJS build (a warning every run).
    ["vitest.config.ts", facts.vitestConfig, packageIsModule ? "vitest.config.ts" : "vitest.config.mts"],
    ["eslint.config.js", facts.eslintConfig, packageIsModule ? "eslint.config.js" : "eslint.config.mjs"],
    ["plopfile.js", facts.plopfile, packageIsModule ? "plopfile.js" : "plopfile.mjs"],
    ["_env.example", facts.envExample, ".env.example"],
  ];
  for (const [template, existing, dest] of configs) {
    if (existing && !owned.has(existing)) notes.push(`Kept your ${existing}.`);
    else baseFiles.set(template, dest);
  }
  if (facts.plopfile && !owned.has(facts.plopfile)) {
    notes.push(
      `Add the generators to your ${facts.plopfile}: await registerPerfBackendGenerators(plop) from "create-perf-backend/plop".`,
    );
  }

  const layout: ProjectLayout = {
    srcDir,
    importStyle: facts.tsconfig.importStyle,
    moduleSystem: facts.tsconfig.moduleSystem,
    aliases: facts.tsconfig.aliases,
    ...(facts.tsconfig.esLib === undefined ? {} : { esLib: facts.tsconfig.esLib }),
    ...(facts.tsconfig.bigintLiterals === false ? { bigintLiterals: false as const } : {}),
    ...(facts.tsconfig.defaultImports === false ? { defaultImports: false as const } : {}),
    db: {
      driver,
      ...(facts.drizzle.tableFactory ? { tableFactory: facts.drizzle.tableFactory } : {}),
      pool,
      client,
      transaction,
      schemaDir,
      ...(schemaFileSuffix ? { schemaFileSuffix } : {}),
      schemaBarrel,
      migrationsDir: facts.drizzle.migrationsDir ?? "drizzle",
      ...facts.drizzle.given,
    },
    repositoriesDir: `${srcDir}/repositories`,
    cache: { client: modules.get("src/cache/redis-client.ts") ?? "", dir: `${srcDir}/cache` },
    workers: {
      dir: `${srcDir}/workers`,
      pools: modules.get("src/workers/worker-pools.ts") ?? "",
      resolveWorkerFile: modules.get("src/workers/resolve-worker-file.ts") ?? "",
    },
    shutdown: modules.get("src/shutdown.ts") ?? "",
  };
  // Only the repo's files: never a module this plan places in the same folder (the db client importing itself).
  const placed = new Set([...baseFiles.values(), ...adapters.map((adapter) => adapter.dest)]);
  schemaIndexFiles = schemaIndexFiles.filter((file) => !placed.has(file) && !owned.has(file));
  // drizzle-kit generate refuses a config without `schema` (pull alone needs none): the barrel becomes its entry.
  const configSchema =
    facts.drizzle.configFile &&
    !owned.has(facts.drizzle.configFile) &&
    facts.drizzle.schemaSource !== "config" &&
    facts.drizzle.schemaSource !== "flag"
      ? schemaBarrel
      : null;
  return {
    layout,
    baseFiles,
    modules,
    adapters,
    notes,
    newSchemaIndex,
    schemaIndexFiles,
    clientSchema,
    configSchema,
  };
}
