import { defineGenerator } from "../../src/core/generator-definition.js";
import { cacheGenerator } from "./generator.js";
import { CACHE_STRATEGIES, DEFAULT_TTL_SECONDS, normalizeCacheOptions } from "./options.js";
import type { CacheOptions } from "./options.js";
import { cacheInteract, cacheQuestions } from "./questions.js";

export const cacheDefinition = defineGenerator<CacheOptions>({
  name: "cache",
  description: "Redis cache service: TTL constants, single-flight getOrLoad, set, invalidate (src/cache/<name>-cache.ts)",
  positional: { name: "name", description: "cache name, e.g. user-profile" },
  flags: [
    { flags: "--ttl <seconds>", description: `TTL of every write, a positive integer (default ${String(DEFAULT_TTL_SECONDS)})` },
    { flags: "--strategy <strategy>", description: `${CACHE_STRATEGIES.join(" | ")} (default cache-aside)` },
    { flags: "--key-prefix <prefix>", description: "Redis key prefix (default <name>:)" },
    { flags: "--repository <entity>", description: "wrap a repository loader: entity (user), loader (findUserById) or module (users)" },
  ],
  help: [
    "Examples:",
    "  create-perf-backend generate cache user-profile --ttl 300",
    "  create-perf-backend generate cache user --ttl 60 --repository user --strategy write-through",
  ].join("\n"),
  questions: (raw) => cacheQuestions(raw),
  interact: cacheInteract,
  normalize: (raw, project) => normalizeCacheOptions(raw, project.manifest.layout, project.packageManager),
  generator: cacheGenerator,
});
