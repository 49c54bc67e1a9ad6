import { defineGenerator, moduleNameProblem, requireProject, toModuleNames } from "../../src/devkit/declare.js";
import type { AskFunction, GeneratorContext, OptionValues, RawInput } from "../../src/devkit/declare.js";
import type { CacheOptions } from "./generator.js";

export const CACHE_STRATEGIES = ["cache-aside", "write-through"] as const;
export const DEFAULT_TTL_SECONDS = 300;
// A year: longer TTLs are almost always a unit mistake (milliseconds typed as seconds).
export const MAX_TTL_SECONDS = 31_536_000;
// Jitter is a tenth of the TTL: enough to spread expiries of keys written together.
const JITTER_RATIO = 0.1;
// "Not found" lives a tenth of the TTL, between 1 s and a minute.
const NOT_FOUND_TTL_RATIO = 0.1;
const MAX_NOT_FOUND_TTL_SECONDS = 60;
export const OUTAGE_RETRY_MS = 1000;
// The in-process tier (L1, `--local`): an entry lives at most a minute (never longer than the Redis TTL), so a
// missed invalidation (a partition that hides it from one instance) is bounded too.
const LOCAL_TTL_CAP_SECONDS = 60;
const MS_PER_SECOND = 1000;
export const LOCAL_MAX_ENTRIES = 10_000;
// 32 MiB of keys and payloads per cache and process.
export const LOCAL_MAX_BYTES = 32 * 1024 * 1024;
// Redis unreachable: L1 entries are served this long at most, then dropped (invalidations may be missed meanwhile).
export const LOCAL_GRACE_MS = 2000;
const KEY_PREFIX_PATTERN = /^[A-Za-z0-9:_.-]+$/;
const REPOSITORY_INPUT = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** The answer that declines wrapping a repository loader. */
const NO_REPOSITORY = "none";

const CACHE_OPTIONS = {
  name: {
    kind: "string",
    positional: true,
    required: true,
    description: "cache name, e.g. user-profile",
    prompt: "Cache name (e.g. user-profile)",
    validate: moduleNameProblem("cache", "user-profile"),
  },
  ttl: {
    kind: "integer",
    default: DEFAULT_TTL_SECONDS,
    min: 1,
    max: MAX_TTL_SECONDS,
    placeholder: "seconds",
    description: "TTL of every write, in seconds",
    prompt: "TTL in seconds (every write expires)",
  },
  strategy: {
    kind: "enum",
    choices: CACHE_STRATEGIES,
    default: "cache-aside",
    titles: {
      "cache-aside": "cache-aside (read: cache, else load and store)",
      "write-through": "write-through (set writes the store, then the cache)",
    },
    description: "cache-aside, or write-through (set writes the store, then the cache)",
    prompt: "Strategy",
  },
  keyPrefix: {
    kind: "string",
    placeholder: "prefix",
    description: "Redis key prefix (default <name>:)",
    prompt: "Redis key prefix (empty: <name>:)",
    validate: (value: string) =>
      KEY_PREFIX_PATTERN.test(value) ? undefined : `--key-prefix "${value}" may only hold letters, digits and : _ . -`,
  },
  repository: {
    kind: "string",
    placeholder: "entity",
    description: "wrap a repository loader: entity (user), loader (findUserById) or module (users)",
    validate: (value: string) =>
      value === NO_REPOSITORY || REPOSITORY_INPUT.test(value)
        ? undefined
        : `--repository "${value}" is not an entity or loader name (e.g. --repository user or --repository findUserById).`,
  },
  local: {
    kind: "boolean",
    description:
      "an in-process L1 in front of Redis, kept coherent across instances by a Redis pub/sub channel (default: on with --repository)",
    prompt: "Keep an in-process copy (L1) in front of Redis, invalidated on every instance through Redis?",
  },
} as const;

export function normalizeCacheOptions(
  values: OptionValues<typeof CACHE_OPTIONS>,
  context: GeneratorContext,
): CacheOptions {
  const { layout, packageManager } = requireProject(context);
  const names = toModuleNames(values.name, "cache", "user-profile");
  const ttlSeconds = values.ttl;
  const repository = values.repository === undefined || values.repository === NO_REPOSITORY ? null : values.repository;
  return {
    names,
    ttlSeconds,
    ttlJitterSeconds: Math.round(ttlSeconds * JITTER_RATIO),
    notFoundTtlSeconds: Math.max(1, Math.min(MAX_NOT_FOUND_TTL_SECONDS, Math.round(ttlSeconds * NOT_FOUND_TTL_RATIO))),
    outageRetryMs: OUTAGE_RETRY_MS,
    strategy: values.strategy,
    keyPrefix: values.keyPrefix ?? `${names.kebab}:`,
    repository,
    local: values.local ?? repository !== null,
    localTtlMs: Math.min(ttlSeconds, LOCAL_TTL_CAP_SECONDS) * MS_PER_SECOND,
    localMaxEntries: LOCAL_MAX_ENTRIES,
    localMaxBytes: LOCAL_MAX_BYTES,
    localGraceMs: LOCAL_GRACE_MS,
    layout,
    packageManager,
  };
}

/** Offers the project's repository loaders (read with ts-morph), when there are any and none was given. */
async function chooseRepository(ask: AskFunction, given: RawInput, context: GeneratorContext): Promise<RawInput> {
  if (given.repository !== undefined) return {};
  // Read with ts-morph: loaded for the dialogue only.
  const { findRepositoryLoaders } = await import("./repositories.js");
  const loaders = await findRepositoryLoaders(context.tree, requireProject(context).layout.repositoriesDir);
  if (loaders.length === 0) return {};
  return ask([
    {
      type: "select",
      name: "repository",
      message: "Wrap a repository loader?",
      choices: [
        { title: "no, I pass a loader myself", value: NO_REPOSITORY },
        ...loaders.map((loader) => ({ title: `${loader.loader} (${loader.file})`, value: loader.loader })),
      ],
      flag: "--repository <entity>",
      required: false,
    },
  ]);
}

export const cacheDefinition = defineGenerator({
  name: "cache",
  description:
    "Redis cache service: TTL constants, single-flight getOrLoad, set, invalidate (src/cache/<name>-cache.ts)",
  help: [
    "Examples:",
    "  create-perf-backend generate cache user-profile --ttl 300",
    "  create-perf-backend generate cache user --ttl 60 --repository user --strategy write-through",
    "  create-perf-backend generate cache user --repository user --no-local   # Redis only, no in-process tier",
  ].join("\n"),
  project: "required",
  options: CACHE_OPTIONS,
  interact: chooseRepository,
  normalize: normalizeCacheOptions,
  // Loaded by the run that uses it: each generator is its own chunk of the bundle.
  generate: async (tree, options) => (await import("./generator.js")).cacheGenerator(tree, options),
});
