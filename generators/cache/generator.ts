import path from "node:path";

import { ensureExportStar } from "../../src/core/ast/barrel.js";
import { DEPENDENCY_VERSIONS } from "../../src/core/dependency-versions.js";
import { GenerationError } from "../../src/core/errors.js";
import type { DeferredTask, GeneratorResult } from "../../src/core/generator.js";
import { describeDiffering, mergePackageJson } from "../../src/core/package-json.js";
import { moduleSpecifier } from "../../src/core/paths.js";
import { renderTemplateFile } from "../../src/core/render.js";
import type { Tree } from "../../src/core/tree.js";
import { assertNoExportCollisions } from "../shared/module-name.js";
import type { CacheOptions } from "./options.js";
import { findRepositoryLoaders, resolveRepositoryLoader } from "./repositories.js";
import { repositoryHooks } from "./repository-hooks.js";

const TEMPLATE_FOLDER = "cache";
const BARREL = "index.ts";

/** Where the cache module, its test and the barrel go. */
export function cacheFiles(options: CacheOptions): { cache: string; test: string; barrel: string } {
  const dir = options.layout.cache.dir;
  return {
    cache: path.posix.join(dir, `${options.names.kebab}-cache.ts`),
    test: path.posix.join(dir, `${options.names.kebab}-cache.test.ts`),
    barrel: path.posix.join(dir, BARREL),
  };
}

/** `src/cache/<name>-cache.ts` (+ test): TTL'd, single-flight, outage-tolerant; the cache barrel re-exports it. */
export async function cacheGenerator(tree: Tree, options: CacheOptions): Promise<GeneratorResult> {
  const { layout, names } = options;
  const files = cacheFiles(options);
  if (!tree.exists(layout.cache.client)) {
    throw new GenerationError(`${layout.cache.client} (the Redis client the cache uses) does not exist.`, [
      "Run `create-perf-backend init` to add the base modules, or fix layout.cache.client in perf-backend.json.",
    ]);
  }
  const repository = options.repository
    ? resolveRepositoryLoader(options.repository, await findRepositoryLoaders(tree, layout.repositoriesDir), layout.repositoriesDir)
    : null;

  const data = {
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
    wrapsRepository: repository !== null,
    repositoryImport: repository ? moduleSpecifier(layout, files.cache, repository.file) : "",
    repositoryLoaderFunction: repository?.loader ?? "",
    repositoryRowLoaderFunction: repository ? repositoryHooks(repository).rowLoader : "",
    repositoryWriteListener: repository ? repositoryHooks(repository).writeListener : "",
    repositoryNotifyFunction: repository ? repositoryHooks(repository).notifyWritten : "",
    transactionImport: moduleSpecifier(layout, files.test, layout.db.transaction),
    redisClientImport: moduleSpecifier(layout, files.cache, layout.cache.client),
  };
  tree.write(files.cache, renderTemplateFile(TEMPLATE_FOLDER, "name-cache.ts", data), { kind: "generate" });
  tree.write(files.test, renderTemplateFile(TEMPLATE_FOLDER, "name-cache.test.ts", data), { kind: "generate" });
  await assertNoExportCollisions(tree, files.barrel, files.cache, "cache", names.kebab);
  await ensureExportStar(tree, files.barrel, moduleSpecifier(layout, files.barrel, files.cache));

  // Projects set up by `create` have it; an `init`ed one may not.
  const merged = mergePackageJson(tree, { dependencies: { redis: DEPENDENCY_VERSIONS.redis } });
  const tasks: DeferredTask[] = merged.added.length > 0 ? [{ kind: "install", packageManager: options.packageManager }] : [];
  const api = `get${names.pascal}, getOrLoad${names.pascal}, set${names.pascal}, invalidate${names.pascal}`;
  return {
    tasks,
    notes: describeDiffering(merged),
    nextSteps: [
      `import { ${api} } from the cache barrel (${files.barrel})`,
      repository
        ? `getOrLoad${names.pascal}(id) loads the row through ${repositoryHooks(repository).rowLoader} on a miss; ${repository.file} invalidates it after each committed write`
        : `type ${names.pascal}CacheValue in ${files.cache} as what your loader returns`,
    ],
  };
}
