import path from "node:path";

import type { GeneratorResult, ModuleNames, PackageManager, ProjectLayout, Tree } from "../../src/devkit/index.js";
import {
  addDependencies,
  DEPENDENCY_VERSIONS,
  ensureExports,
  findTable,
  GenerationError,
  generateFiles,
  keyLiterals,
  moduleSpecifier,
  readProjectSchema,
  UsageError,
} from "../../src/devkit/index.js";
import { keyCheckOf } from "../../src/devkit/index.js";
import { findRepositoryLoaders, resolveRepositoryLoader } from "./repositories.js";
import { repositoryHooks } from "./repository-hooks.js";

const CACHE_MEASUREMENT_MODULE = "observability/cache-measurement.ts";
const REQUEST_MEASUREMENT_MODULE = "observability/request-measurement.ts";

export interface CacheOptions {
  names: ModuleNames;
  ttlSeconds: number;
  ttlJitterSeconds: number;
  notFoundTtlSeconds: number;
  outageRetryMs: number;
  strategy: "cache-aside" | "write-through";
  keyPrefix: string;
  /** `--repository` as given (`user`, `findUserById`...); resolved against the project here. */
  repository: string | null;
  /** An in-process L1 in front of Redis (`src/cache/local-tier.ts`), invalidated through Redis pub/sub. */
  local: boolean;
  localTtlMs: number;
  localMaxEntries: number;
  localMaxBytes: number;
  localGraceMs: number;
  layout: ProjectLayout;
  packageManager: PackageManager;
}

const BARREL = "index.ts";
const LOCAL_TIER = "local-tier.ts";

// The cache module declares these and imports the repository's hooks: one name in both does not compile (TS2440)
// and fails at import in Node ("Identifier has already been declared"), so it is refused before anything is written.
function assertNoNameCollision(pascal: string, hooks: ReturnType<typeof repositoryHooks>): void {
  const declared = [
    `get${pascal}`,
    `getOrLoad${pascal}`,
    `set${pascal}`,
    `invalidate${pascal}`,
    `create${pascal}Cache`,
    `default${pascal}Cache`,
  ];
  const imported = [hooks.rowLoader, hooks.writeListener];
  const clash = declared.find((name) => imported.includes(name));
  if (clash !== undefined) {
    throw new UsageError(
      `cache name "${pascal}": the cache would declare ${clash}, which it also imports from the repository.`,
      [`Pick another name, e.g. ${pascal.replace(/Row$/, "")}Cache or ${pascal}Entry.`],
    );
  }
}

/** `src/cache/<name>-cache.ts` (+ test): TTL'd, single-flight, outage-tolerant; the cache barrel re-exports it. */
export async function cacheGenerator(tree: Tree, options: CacheOptions): Promise<GeneratorResult> {
  const { layout, names } = options;
  const dir = layout.cache.dir;
  const cache = path.posix.join(dir, `${names.kebab}-cache.ts`);
  const barrel = path.posix.join(dir, BARREL);
  if (!tree.exists(layout.cache.client)) {
    throw new GenerationError(`${layout.cache.client} (the Redis client the cache uses) does not exist.`, [
      "Run `create-perf-backend init` to add the base modules, or fix layout.cache.client in perf-backend.json.",
    ]);
  }
  const repository = options.repository
    ? resolveRepositoryLoader(
        options.repository,
        await findRepositoryLoaders(tree, layout.repositoriesDir),
        layout.repositoriesDir,
      )
    : null;

  if (repository) assertNoNameCollision(names.pascal, repositoryHooks(repository));

  // The repository's key type decides what a missing id looks like in the test (number, bigint, uuid, text).
  const keyTable = repository ? findTable(await readProjectSchema(tree, layout), repository.entity) : undefined;
  const keyColumn = keyTable?.found
    ? keyTable.table.columns.find((column) => column.name === keyTable.table.primaryKey?.columns[0])
    : undefined;
  const missingId = keyLiterals(keyColumn ?? { name: "id", tsType: "number", builder: "integer" }).missingIdExpression;
  // A key column with several spellings of one value (uuid, int8 as text): the cache keys by the repository's
  // parse<Entity>Id (PostgreSQL's spelling, the one its write notifications carry), one entry per row.
  const keyCheck = keyColumn ? keyCheckOf(keyColumn) : undefined;
  const parseId = repository ? `parse${repository.entity}Id` : "";
  const canonicalKey =
    repository &&
    keyCheck?.canonical !== undefined &&
    (tree.read(repository.file) ?? "").includes(`export function ${parseId}(`)
      ? { parseId, otherSpelling: keyCheck.otherSpelling ?? "", sampleId: keyCheck.sampleId ?? "" }
      : undefined;

  const cacheMeasurement = `${layout.srcDir}/${CACHE_MEASUREMENT_MODULE}`;
  generateFiles(tree, "cache", dir, {
    missingIdExpression: missingId,
    kebabName: names.kebab,
    pascalName: names.pascal,
    camelName: names.camel,
    constantName: names.constant,
    ttlSeconds: options.ttlSeconds,
    ttlJitterSeconds: options.ttlJitterSeconds,
    notFoundTtlSeconds: options.notFoundTtlSeconds,
    outageRetryMs: options.outageRetryMs,
    keyPrefix: options.keyPrefix,
    writeThrough: options.strategy === "write-through",
    local: options.local,
    localTtlMs: options.localTtlMs,
    localMaxEntries: options.localMaxEntries,
    localMaxBytes: options.localMaxBytes,
    localGraceMs: options.localGraceMs,
    wrapsRepository: repository !== null,
    repositoryImport: repository ? moduleSpecifier(layout, cache, repository.file) : "",
    repositoryLoaderFunction: repository?.loader ?? "",
    repositoryRowLoaderFunction: repository ? repositoryHooks(repository).rowLoader : "",
    repositoryWriteListener: repository ? repositoryHooks(repository).writeListener : "",
    repositoryNotifyFunction: repository ? repositoryHooks(repository).notifyWritten : "",
    repositoryParseId: canonicalKey?.parseId ?? "",
    keyOtherSpelling: canonicalKey?.otherSpelling ?? "",
    keySampleId: canonicalKey?.sampleId ?? "",
    // The test sits beside the cache module: one specifier serves both.
    transactionImport: moduleSpecifier(layout, cache, layout.db.transaction),
    redisClientImport: moduleSpecifier(layout, cache, layout.cache.client),
    // Hits and misses count into the request's measurement and /metrics, where the project has the module.
    cacheMeasurementImport: tree.exists(cacheMeasurement) ? moduleSpecifier(layout, cache, cacheMeasurement) : "",
    requestMeasurementImport: moduleSpecifier(layout, cache, `${layout.srcDir}/${REQUEST_MEASUREMENT_MODULE}`),
  });
  await ensureExports(tree, barrel, cache, { layout, what: `cache name "${names.kebab}"` });
  // One module for every cache with an L1 (no per-cache variables: a second cache renders it identically).
  if (options.local)
    generateFiles(tree, "cache-local", dir, {
      redisClientImport: moduleSpecifier(layout, path.posix.join(dir, LOCAL_TIER), layout.cache.client),
    });

  // Projects set up by `create` have redis; an `init`ed one may not.
  const runtime: Record<string, string> = { redis: DEPENDENCY_VERSIONS.redis };
  if (options.local) runtime["lru-cache"] = DEPENDENCY_VERSIONS["lru-cache"];
  const dependencies = addDependencies(tree, { dependencies: runtime }, options.packageManager);
  const api = `get${names.pascal}, getOrLoad${names.pascal}, set${names.pascal}, invalidate${names.pascal}`;
  return {
    tasks: dependencies.tasks,
    notes: dependencies.notes,
    nextSteps: [
      `import { ${api} } from the cache barrel (${barrel})`,
      repository
        ? `getOrLoad${names.pascal}(id) loads the row through ${repositoryHooks(repository).rowLoader} on a miss; ${repository.file} invalidates it after each committed write`
        : `type ${names.pascal}CacheValue in ${cache} as what your loader returns`,
    ],
  };
}
