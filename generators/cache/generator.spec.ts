import { describe, expect, it } from "vitest";

import type { ProjectContext } from "../../src/core/detect.js";
import { UsageError } from "../../src/core/errors.js";
import { createMemoryHost } from "../../src/core/host.js";
import type { Question } from "../../src/core/question.js";
import { silentReporter } from "../../src/core/reporter.js";
import { runGenerator } from "../../src/core/run.js";
import type { RunResult } from "../../src/core/run.js";
import { Tree } from "../../src/core/tree.js";
import { appGenerator } from "../app/generator.js";
import { DEFAULT_LAYOUT } from "../app/layout.js";
import { cacheGenerator } from "./generator.js";
import { normalizeCacheOptions } from "./options.js";
import type { CacheOptions } from "./options.js";
import { cacheInteract } from "./questions.js";
import { findRepositoryLoaders } from "./repositories.js";

const USERS_REPOSITORY = `import { db } from "../db/client.js";

export function createUsersRepository(database = db) {
  async function findUserById(id: number) {
    return database.query.users.findFirst({ where: (users, { eq }) => eq(users.id, id) });
  }
  async function listUsers() {
    return [];
  }
  return { findUserById, listUsers };
}

export const usersRepository = createUsersRepository();
export const { findUserById, listUsers } = usersRepository;
`;
const ORDERS_REPOSITORY = `export async function findOrderById(id: string) {
  return { id };
}
async function findLineById(id: string) {
  return { id };
}
export { findLineById as findOrderLineById };
`;

/** The real base project (rendered by the app generator) as a virtual workspace, plus extra files. */
function baseProject(extra: Record<string, string> = {}): Record<string, string> {
  const tree = new Tree(createMemoryHost());
  appGenerator(tree, { directory: "/virtual/demo", projectName: "demo", packageManager: "npm", install: false, git: false, server: true, toolSpec: "^0.1.0" });
  return { ...Object.fromEntries(tree.changes().map((change) => [change.path, change.content])), ...extra };
}

function options(raw: Record<string, unknown> = {}): CacheOptions {
  return normalizeCacheOptions({ name: "user-profile", ttl: "300", ...raw }, DEFAULT_LAYOUT);
}

async function generate(files: Record<string, string>, cacheOptions: CacheOptions): Promise<Tree> {
  const tree = new Tree(createMemoryHost(files));
  await cacheGenerator(tree, cacheOptions);
  return tree;
}

async function run(files: Record<string, string>, cacheOptions: CacheOptions): Promise<RunResult> {
  return runGenerator({ root: "/virtual/demo", generator: cacheGenerator, options: cacheOptions, dryRun: true, policy: "abort", reporter: silentReporter, host: createMemoryHost(files), skipTasks: true });
}

describe("normalizeCacheOptions", () => {
  it("derives names, jitter, not-found TTL and the default prefix", () => {
    const normalized = options();
    expect(normalized.names).toEqual({ kebab: "user-profile", pascal: "UserProfile", camel: "userProfile", constant: "USER_PROFILE" });
    expect(normalized).toMatchObject({ ttlSeconds: 300, ttlJitterSeconds: 30, notFoundTtlSeconds: 30, strategy: "cache-aside", keyPrefix: "user-profile:", repository: null });
    expect(options({ ttl: 5 })).toMatchObject({ ttlJitterSeconds: 1, notFoundTtlSeconds: 1 });
    expect(options({ ttl: 86_400 }).notFoundTtlSeconds).toBe(60);
  });

  it.each([
    [{ name: "" }, /empty/],
    [{ name: "   " }, /empty/],
    [{ name: "delete" }, /reserved/],
    [{ name: "2fa" }, /identifier/],
    [{ name: "../evil" }, /path/],
    [{ name: "src/cache/x" }, /path/],
    [{ name: "user@profile" }, /characters/],
    [{ ttl: "0" }, /--ttl/],
    [{ ttl: "1.5" }, /--ttl/],
    [{ ttl: "soon" }, /--ttl/],
    [{ strategy: "write-back" }, /--strategy/],
    [{ keyPrefix: "has space" }, /--key-prefix/],
    [{ repository: "../users" }, /--repository/],
  ])("rejects %o with a UsageError", (raw, message) => {
    expect(() => options(raw)).toThrow(UsageError);
    expect(() => options(raw)).toThrow(message);
  });
});

describe("cacheGenerator on the base project", () => {
  it("renders the cache and its test, and re-exports it from the cache barrel", async () => {
    const tree = await generate(baseProject(), options());
    expect(tree.changes().map((change) => `${change.kind} ${change.path}`)).toEqual([
      "edit src/cache/index.ts",
      "generate src/cache/user-profile-cache.test.ts",
      "generate src/cache/user-profile-cache.ts",
    ]);
    expect(tree.read("src/cache/index.ts")).toBe('export * from "./redis-client.js";\nexport * from "./user-profile-cache.js";\n');
    const cache = tree.read("src/cache/user-profile-cache.ts") ?? "";
    expect(cache).toContain("export const USER_PROFILE_CACHE_TTL_SECONDS = 300;");
    expect(cache).toContain("export const USER_PROFILE_CACHE_TTL_JITTER_SECONDS = 30;");
    expect(cache).toContain("export const USER_PROFILE_CACHE_NOT_FOUND_TTL_SECONDS = 30;");
    expect(cache).toContain('export const USER_PROFILE_CACHE_KEY_PREFIX = "user-profile:";');
    expect(cache).toContain('import { getRedisClient as getSharedRedisClient, REDIS_COMMAND_TIMEOUT_MS, redisLogger } from "./redis-client.js";');
    expect(cache).toContain("export const USER_PROFILE_CACHE_COMMAND_TIMEOUT_MS = REDIS_COMMAND_TIMEOUT_MS;");
    expect(cache).toContain("export const USER_PROFILE_CACHE_SCHEMA_VERSION = 1;");
    for (const api of ["getUserProfile(", "getOrLoadUserProfile(", "setUserProfile(", "invalidateUserProfile("]) expect(cache).toContain(`export async function ${api}`);
    // The one write: always with an expiry.
    expect(cache.match(/client\.set\(/g)).toHaveLength(1);
    expect(cache).toContain('client.set(cacheKey, payload, { expiration: { type: "EX", value: ttlSecondsFor(value) } })');
    expect(cache).not.toContain("{{");
    expect(cache).toMatchSnapshot();
    expect(tree.read("src/cache/user-profile-cache.test.ts")).toContain('from "./user-profile-cache.js"');
  });

  it("write-through: set takes a writer", async () => {
    const cache = (await generate(baseProject(), options({ strategy: "write-through", keyPrefix: "app:profiles:" }))).read("src/cache/user-profile-cache.ts") ?? "";
    expect(cache).toContain("export type UserProfileWriter<TKey, TValue>");
    expect(cache).toContain("const stored = await writer(key, value);");
    expect(cache).toContain('export const USER_PROFILE_CACHE_KEY_PREFIX = "app:profiles:";');
  });

  it("wraps a repository loader read from the project", async () => {
    const files = baseProject({ "src/repositories/users-repository.ts": USERS_REPOSITORY, "src/repositories/orders-repository.ts": ORDERS_REPOSITORY });
    expect(await findRepositoryLoaders(new Tree(createMemoryHost(files)), "src/repositories")).toEqual([
      { entity: "Order", loader: "findOrderById", file: "src/repositories/orders-repository.ts" },
      { entity: "OrderLine", loader: "findOrderLineById", file: "src/repositories/orders-repository.ts" },
      { entity: "User", loader: "findUserById", file: "src/repositories/users-repository.ts" },
    ]);
    for (const repository of ["user", "User", "findUserById", "users"]) {
      const cache = (await generate(files, options({ repository }))).read("src/cache/user-profile-cache.ts") ?? "";
      // Only the row is cached; the repository's committed writes invalidate it.
      expect(cache).toContain('import { getUserRow, onUserWritten } from "../repositories/users-repository.js";');
      expect(cache).toContain("export type UserProfileCacheKey = Parameters<typeof getUserRow>[0];");
      expect(cache).toContain("createUserProfileCache({ loader: getUserRow })");
      expect(cache).toContain("onUserWritten(async (id) => defaultUserProfileCache.invalidate(id));");
    }
    // `orders` has two loaders: the module name alone is ambiguous.
    await expect(generate(files, options({ repository: "orders" }))).rejects.toThrow(UsageError);
  });

  it("names the repositories that exist when --repository matches none", async () => {
    const files = baseProject({ "src/repositories/users-repository.ts": USERS_REPOSITORY });
    await expect(generate(files, options({ repository: "invoice" }))).rejects.toThrow(UsageError);
    await expect(generate(files, options({ repository: "invoice" }))).rejects.toThrow(/findInvoiceById/);
    const error = (await generate(files, options({ repository: "invoice" })).catch((caught: unknown) => caught)) as UsageError;
    expect(error.hints.join(" ")).toContain("User (findUserById in src/repositories/users-repository.ts)");
    await expect(generate(baseProject(), options({ repository: "user" }))).rejects.toThrow(UsageError);
  });

  it("fails with the reason when the base Redis client is missing", async () => {
    const files = baseProject();
    delete files["src/cache/redis-client.ts"];
    await expect(generate(files, options())).rejects.toThrow(/redis-client\.ts/);
  });

  it("refuses a name whose exports would clash with a module in the same barrel (exit 2)", async () => {
    const failure = await generate(baseProject(), options({ name: "redis-client" })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toBe('The cache name "redis-client" would export `getRedisClient`, which src/cache/redis-client.ts already exports.');
  });

  it("is idempotent: the same input on its own output plans no change", async () => {
    const files = baseProject();
    const first = await run(files, options());
    expect(first.plan.entries.filter((entry) => entry.action === "conflict")).toEqual([]);
    const after = { ...files, ...Object.fromEntries(first.plan.entries.filter((entry) => entry.write && entry.after !== null).map((entry) => [entry.path, entry.after ?? ""])) };
    const second = await run(after, options());
    expect(second.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path)).toEqual([]);
  });
});

describe("cacheInteract", () => {
  const project = (files: Record<string, string>): ProjectContext =>
    ({ root: "/virtual/demo", packageManager: "npm", tree: new Tree(createMemoryHost(files)), manifest: { version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: {} } }) as ProjectContext;

  it("offers the project's repository loaders, and asks nothing without any", async () => {
    const asked: Question[][] = [];
    const ask = async (questions: Question[]) => {
      asked.push(questions);
      return { repository: "findUserById" };
    };
    expect(await cacheInteract(ask, {}, project(baseProject()))).toEqual({});
    expect(asked).toEqual([]);
    expect(await cacheInteract(ask, {}, project(baseProject({ "src/repositories/users-repository.ts": USERS_REPOSITORY })))).toEqual({ repository: "findUserById" });
    expect(asked[0]?.[0]?.choices).toEqual([
      { title: "no, I pass a loader myself", value: "none" },
      { title: "findUserById (src/repositories/users-repository.ts)", value: "findUserById" },
    ]);
  });
});
