import { beforeAll, describe, expect, it } from "vitest";

import { createMemoryHost } from "../../src/core/host.js";
import type { Question } from "../../src/core/question.js";
import { Tree } from "../../src/core/tree.js";
import { createBaseProject, runGenerator } from "../testing.js";
import type { GeneratorRun, VirtualFiles } from "../testing.js";
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

let base: Record<string, string>;
beforeAll(async () => {
  base = await createBaseProject();
});

const baseProject = (extra: Record<string, string> = {}): Record<string, string> => ({ ...base, ...extra });

function generate(files: VirtualFiles, input: Record<string, unknown> = {}): Promise<GeneratorRun> {
  return runGenerator("cache", { name: "user-profile", ttl: "300", ...input }, files);
}

const cacheModule = async (input: Record<string, unknown> = {}): Promise<string> =>
  (await generate(base, input)).read("src/cache/user-profile-cache.ts") ?? "";

describe("cache options", () => {
  it("derives names, jitter, not-found TTL and the default prefix", async () => {
    const cache = await cacheModule();
    for (const constant of [
      "TTL_SECONDS = 300",
      "TTL_JITTER_SECONDS = 30",
      "NOT_FOUND_TTL_SECONDS = 30",
      'KEY_PREFIX = "user-profile:"',
    ]) {
      expect(cache).toContain(`export const USER_PROFILE_CACHE_${constant};`);
    }
    expect(cache).toContain("export async function getOrLoadUserProfile(");
    expect(cache).not.toContain("UserProfileWriter");
    expect(await cacheModule({ ttl: 5 })).toContain("USER_PROFILE_CACHE_TTL_JITTER_SECONDS = 1;");
    expect(await cacheModule({ ttl: 5 })).toContain("USER_PROFILE_CACHE_NOT_FOUND_TTL_SECONDS = 1;");
    expect(await cacheModule({ ttl: 86_400 })).toContain("USER_PROFILE_CACHE_NOT_FOUND_TTL_SECONDS = 60;");
  });

  it.each([
    [{ name: "" }, /The name is empty/],
    [{ name: "   " }, /The name is empty/],
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
  ])("rejects %o with a UsageError", async (raw, message) => {
    await expect(generate(base, raw)).rejects.toThrow(message);
    await expect(generate(base, raw)).rejects.toMatchObject({ name: "UsageError" });
  });
});

describe("cacheGenerator on the base project", () => {
  it("renders the cache and its test, and re-exports it from the cache barrel", async () => {
    const tree = await generate(base);
    expect(tree.changes).toEqual([
      "edit perf-backend.json",
      "edit src/cache/index.ts",
      "generate src/cache/user-profile-cache.test.ts",
      "generate src/cache/user-profile-cache.ts",
    ]);
    expect(tree.read("src/cache/index.ts")).toBe(
      'export * from "./redis-client.js";\nexport * from "./user-profile-cache.js";\n',
    );
    const cache = tree.read("src/cache/user-profile-cache.ts") ?? "";
    expect(cache).toContain("export const USER_PROFILE_CACHE_TTL_SECONDS = 300;");
    expect(cache).toContain("export const USER_PROFILE_CACHE_TTL_JITTER_SECONDS = 30;");
    expect(cache).toContain("export const USER_PROFILE_CACHE_NOT_FOUND_TTL_SECONDS = 30;");
    expect(cache).toContain('export const USER_PROFILE_CACHE_KEY_PREFIX = "user-profile:";');
    expect(cache).toContain(
      'import { getRedisClient as getSharedRedisClient, REDIS_COMMAND_TIMEOUT_MS, redisLogger } from "./redis-client.js";',
    );
    expect(cache).toContain("export const USER_PROFILE_CACHE_COMMAND_TIMEOUT_MS = REDIS_COMMAND_TIMEOUT_MS;");
    expect(cache).toContain("export const USER_PROFILE_CACHE_SCHEMA_VERSION = 1;");
    for (const api of ["getUserProfile(", "getOrLoadUserProfile(", "setUserProfile(", "invalidateUserProfile("])
      expect(cache).toContain(`export async function ${api}`);
    // Every write sets an expiry: a value from set, an invalidation's marker, and a load's compare-and-set (EX in the script).
    expect(cache.match(/client\.set\(/g)).toHaveLength(2);
    expect(cache).toContain("client.set(cacheKey, payload, { expiration })");
    expect(cache).toContain("client.set(cacheKey, marker, { expiration })");
    expect(cache).toContain('redis.call("SET", KEYS[1], ARGV[2], "EX", ARGV[3])');
    expect(cache).not.toContain("{{");
    expect(cache).toMatchSnapshot();
    expect(tree.read("src/cache/user-profile-cache.test.ts")).toContain('from "./user-profile-cache.js"');
  });

  it("write-through: set takes a writer", async () => {
    const cache = await cacheModule({ strategy: "write-through", keyPrefix: "app:profiles:" });
    expect(cache).toContain("export type UserProfileWriter<TKey, TValue>");
    expect(cache).toContain("const stored = await writer(key, value);");
    expect(cache).toContain('export const USER_PROFILE_CACHE_KEY_PREFIX = "app:profiles:";');
  });

  it("wraps a repository loader read from the project", async () => {
    const files = baseProject({
      "src/repositories/users-repository.ts": USERS_REPOSITORY,
      "src/repositories/orders-repository.ts": ORDERS_REPOSITORY,
    });
    expect(await findRepositoryLoaders(new Tree(createMemoryHost(files)), "src/repositories")).toEqual([
      { entity: "Order", loader: "findOrderById", file: "src/repositories/orders-repository.ts" },
      { entity: "OrderLine", loader: "findOrderLineById", file: "src/repositories/orders-repository.ts" },
      { entity: "User", loader: "findUserById", file: "src/repositories/users-repository.ts" },
    ]);
    for (const repository of ["user", "User", "findUserById", "users"]) {
      const cache = (await generate(files, { repository })).read("src/cache/user-profile-cache.ts") ?? "";
      // Only the row is cached; the repository's committed writes invalidate it.
      expect(cache).toContain('import { getUserRow, onUserWritten } from "../repositories/users-repository.js";');
      expect(cache).toContain("export type UserProfileCacheKey = Parameters<typeof getUserRow>[0];");
      expect(cache).toContain("createUserProfileCache({ loader: (id) => getUserRow(id, { readYourWrites: true }) })");
      expect(cache).toContain("onUserWritten(async (id) => defaultUserProfileCache.invalidate(id));");
    }
    // `orders` has two loaders: the module name alone is ambiguous.
    await expect(generate(files, { repository: "orders" })).rejects.toMatchObject({ name: "UsageError" });
  });

  it("--local: an L1 module and lru-cache, on by default with --repository only", async () => {
    const files = baseProject({ "src/repositories/users-repository.ts": USERS_REPOSITORY });
    const cases: [Record<string, unknown>, boolean][] = [
      [{}, false],
      [{ local: true }, true],
      [{ repository: "user" }, true],
      [{ repository: "user", local: false }, false],
    ];
    for (const [input, local] of cases) {
      const tree = await generate(files, input);
      const cache = tree.read("src/cache/user-profile-cache.ts") ?? "";
      expect(tree.read("src/cache/local-tier.ts") !== undefined, JSON.stringify(input)).toBe(local);
      expect(cache.includes('import { createLocalTier } from "./local-tier.js";'), JSON.stringify(input)).toBe(local);
      expect(
        (JSON.parse(tree.read("package.json") ?? "{}") as { dependencies?: Record<string, string> }).dependencies?.[
          "lru-cache"
        ],
      ).toBe(local ? "11.5.3" : undefined);
    }
    const cache =
      (await generate(files, { repository: "user", ttl: "30" })).read("src/cache/user-profile-cache.ts") ?? "";
    // Never longer than the Redis TTL, and at most a minute.
    expect(cache).toContain("export const USER_PROFILE_CACHE_LOCAL_TTL_MS = 30000;");
    expect(await cacheModule({ local: true, ttl: "3600" })).toContain(
      "export const USER_PROFILE_CACHE_LOCAL_TTL_MS = 60000;",
    );
    for (const constant of ["LOCAL_MAX_ENTRIES = 10000", "LOCAL_MAX_BYTES = 33554432", "LOCAL_GRACE_MS = 2000"])
      expect(cache).toContain(`export const USER_PROFILE_CACHE_${constant};`);
    // Invalidations and sets reach the other instances in the same round trip as the write.
    expect(cache).toContain(
      "client.multi().set(cacheKey, marker, { expiration }).publish(local.channel, cacheKey).exec()",
    );
    expect(cache).toContain(
      "client.multi().set(cacheKey, payload, { expiration }).publish(local.channel, cacheKey).exec()",
    );
    expect(cache).not.toContain("{{");
  });

  it("names the repositories that exist when --repository matches none", async () => {
    const files = baseProject({ "src/repositories/users-repository.ts": USERS_REPOSITORY });
    await expect(generate(files, { repository: "invoice" })).rejects.toThrow(/findInvoiceById/);
    await expect(generate(files, { repository: "invoice" })).rejects.toMatchObject({
      name: "UsageError",
      hints: [expect.stringContaining("User (findUserById in src/repositories/users-repository.ts)")],
    });
    await expect(generate(base, { repository: "user" })).rejects.toMatchObject({ name: "UsageError" });
  });

  it("fails with the reason when the base Redis client is missing", async () => {
    const files = baseProject();
    delete files["src/cache/redis-client.ts"];
    await expect(generate(files)).rejects.toThrow(/redis-client\.ts/);
  });

  it("refuses a name whose exports would clash with a module in the same barrel (exit 2)", async () => {
    await expect(generate(base, { name: "redis-client" })).rejects.toMatchObject({ name: "UsageError" });
    await expect(generate(base, { name: "redis-client" })).rejects.toThrow(
      'The cache name "redis-client" would export `getRedisClient`, which src/cache/redis-client.ts already exports.',
    );
  });

  it("refuses a name that would declare what it imports from the repository (user-row over getUserRow)", async () => {
    const files = baseProject({ "src/repositories/users-repository.ts": USERS_REPOSITORY });
    await expect(generate(files, { name: "user-row", repository: "user" })).rejects.toMatchObject({
      name: "UsageError",
    });
    await expect(generate(files, { name: "user-row", repository: "user" })).rejects.toThrow(
      "the cache would declare getUserRow, which it also imports from the repository",
    );
    expect(
      (await generate(files, { name: "user-profile", repository: "user" })).read("src/cache/user-profile-cache.ts"),
    ).toContain("getUserRow");
  });

  it("is idempotent: the same input on its own output plans no change", async () => {
    const first = await generate(base);
    expect(first.result.plan.entries.filter((entry) => entry.action === "conflict")).toEqual([]);
    const second = await generate(first.files);
    expect(
      second.result.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path),
    ).toEqual([]);
  });
});

describe("cache dialogue", () => {
  it("offers the project's repository loaders, and asks nothing without any", async () => {
    const asked: Question[][] = [];
    const ask = async (questions: Question[]) => {
      asked.push(questions);
      return questions.some((question) => question.name === "repository") ? { repository: "findUserById" } : {};
    };
    const without = await runGenerator("cache", { name: "user-profile" }, base, { ask });
    expect(without.read("src/cache/user-profile-cache.ts")).not.toContain("findUserById");
    expect(asked.flat().map((question) => question.name)).not.toContain("repository");
    const files = baseProject({ "src/repositories/users-repository.ts": USERS_REPOSITORY });
    const withLoader = await runGenerator("cache", { name: "user-profile" }, files, { ask });
    expect(withLoader.read("src/cache/user-profile-cache.ts")).toContain(
      "createUserProfileCache({ loader: (id) => getUserRow(id, { readYourWrites: true }) })",
    );
    expect(asked.flat().find((question) => question.name === "repository")?.choices).toEqual([
      { title: "no, I pass a loader myself", value: "none" },
      { title: "findUserById (src/repositories/users-repository.ts)", value: "findUserById" },
    ]);
  });

  it("asks the declared options that were not given, with the same validation as the flags", async () => {
    const asked: Question[][] = [];
    await runGenerator("cache", { name: "user-profile" }, base, {
      ask: (questions) => {
        asked.push(questions);
        return Promise.resolve({});
      },
    });
    const [plain = []] = asked;
    expect(plain.map((question) => [question.name, question.flag])).toEqual([
      ["ttl", "--ttl <seconds>"],
      ["strategy", "--strategy <cache-aside|write-through>"],
      ["keyPrefix", "--key-prefix <prefix>"],
      ["local", "--local"],
    ]);
    const keyPrefix = plain.find((question) => question.name === "keyPrefix");
    const validate = keyPrefix?.validate as ((value: string) => true | string) | undefined;
    expect(validate?.("has space")).toBe('--key-prefix "has space" may only hold letters, digits and : _ . -');
    expect(validate?.("ok:")).toBe(true);
  });
});
