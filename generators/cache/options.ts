import { UsageError } from "../../src/core/errors.js";
import type { RawInput } from "../../src/core/generator-definition.js";
import type { ProjectLayout } from "../../src/core/manifest.js";
import type { PackageManager } from "../../src/core/package-manager.js";
import { toInteger, toModuleNames } from "../shared/module-name.js";
import type { ModuleNames } from "../shared/module-name.js";

export const CACHE_STRATEGIES = ["cache-aside", "write-through"] as const;
export type CacheStrategy = (typeof CACHE_STRATEGIES)[number];

export const DEFAULT_TTL_SECONDS = 300;
// A year: longer TTLs are almost always a unit mistake (milliseconds typed as seconds).
export const MAX_TTL_SECONDS = 31_536_000;
// Jitter is a tenth of the TTL: enough to spread expiries of keys written together.
const JITTER_RATIO = 0.1;
// "Not found" lives a tenth of the TTL, between 1 s and a minute.
const NOT_FOUND_TTL_RATIO = 0.1;
const MAX_NOT_FOUND_TTL_SECONDS = 60;
export const OUTAGE_RETRY_MS = 1000;
const KEY_PREFIX_PATTERN = /^[A-Za-z0-9:_.-]+$/;

export interface CacheOptions {
  names: ModuleNames;
  ttlSeconds: number;
  ttlJitterSeconds: number;
  notFoundTtlSeconds: number;
  outageRetryMs: number;
  strategy: CacheStrategy;
  keyPrefix: string;
  /** `--repository` as given (`user`, `findUserById`...); resolved against the project by the generator. */
  repository: string | null;
  layout: ProjectLayout;
  packageManager: PackageManager;
}

export function isCacheStrategy(value: unknown): value is CacheStrategy {
  return CACHE_STRATEGIES.includes(value as CacheStrategy);
}

/** Flags and answers to complete options; every problem is a UsageError naming the bad part (exit 2). */
export function normalizeCacheOptions(raw: RawInput, layout: ProjectLayout, packageManager: PackageManager = "npm"): CacheOptions {
  const names = toModuleNames(raw.name, "cache", "user-profile");
  const ttlSeconds = toInteger(raw.ttl, "--ttl", { min: 1, max: MAX_TTL_SECONDS }, DEFAULT_TTL_SECONDS);
  const strategy = raw.strategy ?? "cache-aside";
  if (!isCacheStrategy(strategy)) {
    throw new UsageError(`--strategy must be one of ${CACHE_STRATEGIES.join(", ")}, got "${String(strategy)}".`);
  }
  const keyPrefix = typeof raw.keyPrefix === "string" && raw.keyPrefix.trim() !== "" ? raw.keyPrefix.trim() : `${names.kebab}:`;
  if (!KEY_PREFIX_PATTERN.test(keyPrefix)) {
    throw new UsageError(`--key-prefix "${keyPrefix}" may only hold letters, digits and : _ . -`, [`e.g. --key-prefix ${names.kebab}:`]);
  }
  const repositoryInput = typeof raw.repository === "string" ? raw.repository.trim() : "";
  if (repositoryInput !== "" && !/^[A-Za-z][A-Za-z0-9_-]*$/.test(repositoryInput)) {
    throw new UsageError(`--repository "${repositoryInput}" is not an entity or loader name.`, ["e.g. --repository user or --repository findUserById"]);
  }
  return {
    names,
    ttlSeconds,
    ttlJitterSeconds: Math.round(ttlSeconds * JITTER_RATIO),
    notFoundTtlSeconds: Math.max(1, Math.min(MAX_NOT_FOUND_TTL_SECONDS, Math.round(ttlSeconds * NOT_FOUND_TTL_RATIO))),
    outageRetryMs: OUTAGE_RETRY_MS,
    strategy,
    keyPrefix,
    repository: repositoryInput === "" || repositoryInput === "none" ? null : repositoryInput,
    layout,
    packageManager,
  };
}
