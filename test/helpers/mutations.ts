/** A known breaking edit of a generated project and the generated test files that must catch it. */
export interface Mutation {
  name: string;
  file: string;
  /** Exact text in the generated file (every occurrence is replaced). */
  find: string;
  replace: string;
  /** Generated test files to run (relative to the project root). */
  tests: string[];
}

const USERS_REPOSITORY = "src/repositories/users-repository.ts";
const POSTS_REPOSITORY = "src/repositories/posts-repository.ts";
const CACHE = "src/cache/user-profile-cache.ts";
const TRANSACTION = "src/db/transaction.ts";
const USERS_TEST = "src/repositories/users-repository.test.ts";
const POSTS_TEST = "src/repositories/posts-repository.test.ts";
const CACHE_TEST = "src/cache/user-profile-cache.test.ts";
const TRANSACTION_TEST = "src/db/transaction.test.ts";
const POOL = "src/db/pool.ts";
const POOL_TEST = "src/db/pool.test.ts";
const DB_CLIENT = "src/db/client.ts";
const DB_CLIENT_TEST = "src/db/client.test.ts";
const REDIS_CLIENT = "src/cache/redis-client.ts";
const REDIS_CLIENT_TEST = "src/cache/redis-client.test.ts";
const LOCAL_TIER = "src/cache/local-tier.ts";
const LOGGER = "src/logger.ts";
const LOGGER_TEST = "src/logger.test.ts";
const APP = "src/server/app.ts";
const APP_TEST = "src/server/app.test.ts";
const ONLINE_MIGRATIONS = "src/db/online-migrations.ts";
const ONLINE_MIGRATIONS_TEST = "src/db/online-migrations.test.ts";

/**
 * The edits of issue 12 (plus two of the same kind) for a project with users, posts (soft delete) and comments
 * (postId, authorId), `repository users --with posts.comments`, `repository posts --with comments` and
 * `cache user-profile --repository user`.
 */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: "drop a `with` child (users -> posts.comments)",
    file: USERS_REPOSITORY,
    find: "    item.comments = mapUsersPostsComments(row[next]);\n",
    replace: "    item.comments = [];\n",
    tests: [USERS_TEST],
  },
  {
    name: "the generated object literal of a `with` level reads a column from another position",
    file: USERS_REPOSITORY,
    find: "title: v2",
    replace: "title: v4",
    tests: [USERS_TEST],
  },
  {
    name: "the generated object literal is used on a table changed since generation (columns added)",
    file: POSTS_REPOSITORY,
    find: "generated: keys.length === generatedKeys.length && keys.every((key, index) => key === generatedKeys[index]),",
    replace: "generated: true,",
    tests: [POSTS_TEST],
  },
  {
    name: "drop isNull(deletedAt) from the reads of a soft-delete table",
    file: POSTS_REPOSITORY,
    find: 'and(eq(posts.id, sql.placeholder("id")), isNull(posts.deletedAt))',
    replace: 'eq(posts.id, sql.placeholder("id"))',
    tests: [POSTS_TEST],
  },
  {
    name: "drop isNull(deletedAt) from a soft-delete `with` child",
    file: USERS_REPOSITORY,
    find: " and ${eagerUsersPosts.deletedAt} is null",
    replace: "",
    tests: [USERS_TEST],
  },
  {
    name: "drop the cache invalidation call",
    file: CACHE,
    find: "onUserWritten(async (id) => defaultUserProfileCache.invalidate(id));",
    replace: "",
    tests: [CACHE_TEST],
  },
  {
    name: "remove release() from finally",
    file: TRANSACTION,
    find: "    client.release(broken ?? watch?.lost());\n",
    replace: "",
    tests: [TRANSACTION_TEST],
  },
  {
    name: "remove the in-flight cleanup in single-flight",
    file: CACHE,
    find: "if (inFlight.get(cacheKey) === flight) inFlight.delete(cacheKey);",
    replace: "",
    tests: [CACHE_TEST],
  },
  {
    name: "a delete that hides PostgreSQL's refusal (rows of other tables still reference the user)",
    file: USERS_REPOSITORY,
    find: "return sqlState(error) === FOREIGN_KEY_VIOLATION ? new UserInUseError(id, error) : error;",
    replace: "return error;",
    tests: [USERS_TEST],
  },
  // Failure paths (issue 20): each one passed every generated test before.
  {
    name: "no 'error' listener on a checked-out client (a terminated backend ends the process)",
    file: TRANSACTION,
    find: '  client.on("error", onError);\n',
    replace: "",
    tests: [TRANSACTION_TEST],
  },
  {
    name: "accept a COMMIT that PostgreSQL answered with ROLLBACK",
    file: TRANSACTION,
    find: '  client.query = checked as PoolClient["query"];\n',
    replace: "",
    tests: [TRANSACTION_TEST],
  },
  {
    name: "a nested withTransaction without a savepoint",
    file: TRANSACTION,
    find: "    return runNested(outer, work);",
    replace: "    return work(outer.tx);",
    tests: [TRANSACTION_TEST],
  },
  {
    name: "withClient returns a connection left in a transaction or with SET state",
    file: TRANSACTION,
    find: "    const broken = await resetSession(client, watch?.lost());",
    replace: "    const broken = undefined;",
    tests: [TRANSACTION_TEST],
  },
  {
    name: "cache what a transaction read before it committed",
    file: CACHE,
    find: "return pendingInvalidations.has(cacheKey) || inTransaction();",
    replace: "return pendingInvalidations.has(cacheKey);",
    tests: [CACHE_TEST],
  },
  {
    name: "drop an invalidation Redis did not acknowledge in time",
    file: CACHE,
    find: "if (!(await invalidateRemote(cacheKey, true))) keepPending(cacheKey);",
    replace: "await invalidateRemote(cacheKey, true);",
    tests: [CACHE_TEST],
  },
  {
    name: "a relation at exactly its limit says hasMore (limit + 1 rows not told apart)",
    file: USERS_REPOSITORY,
    find: 'count(*) > ${POSTS_LIMIT} as "has_more"',
    replace: 'count(*) >= ${POSTS_LIMIT} as "has_more"',
    tests: [USERS_TEST],
  },
  {
    name: "the eager budget counts only top-level rows (nested rows unbounded per page)",
    file: USERS_REPOSITORY,
    find: 'sum(1 + coalesce("users_posts_page"."rows", 0))',
    replace: "sum(1)",
    tests: [USERS_TEST],
  },
  {
    name: "drop the repository's write notification (what invalidates caches)",
    file: USERS_REPOSITORY,
    find: "    if (updated !== undefined) await notifyUserWritten(updated.id);\n",
    replace: "",
    tests: [USERS_TEST],
  },
  {
    name: "a repository write that ignores the caller's transaction",
    file: USERS_REPOSITORY,
    find: "await currentExecutor(database).update(users)",
    replace: "await database.update(users)",
    tests: [USERS_TEST],
  },
  // Failure paths, second round (issue 20's mutation run): reconnect, outage transitions, replica routing,
  // backpressure, timeouts, invalidation retry, log redaction.
  {
    name: "a Redis client that was up does not reconnect after the server dropped it",
    file: REDIS_CLIENT,
    find: "hasBeenReady ? reconnectDelayMs(retries) : cause",
    replace: "cause",
    tests: [REDIS_CLIENT_TEST],
  },
  {
    name: "no Redis command timeout in the cache (a silent connection hangs the request)",
    file: CACHE,
    find: "await withTimeout(operation(client), commandTimeoutMs)",
    replace: "await operation(client)",
    tests: [CACHE_TEST],
  },
  {
    name: "L1 entries served for the whole outage instead of the grace period",
    file: LOCAL_TIER,
    find: "Date.now() - untrustedSince <= options.graceMs",
    replace: "true",
    tests: [CACHE_TEST],
  },
  {
    name: "a queued invalidation is never retried",
    file: CACHE,
    find: "    pendingInvalidations.set(cacheKey, invalidationGeneration);\n    scheduleRetry();\n",
    replace: "    pendingInvalidations.set(cacheKey, invalidationGeneration);\n",
    tests: [CACHE_TEST],
  },
  {
    name: "a load that began before another instance's invalidation puts the old row back in Redis",
    file: CACHE,
    find: 'client.eval(SET_IF_UNCHANGED, { keys: [cacheKey], arguments: [seen ?? "", payload, ttlSeconds] })',
    replace: 'client.set(cacheKey, payload, { expiration: { type: "EX", value: Number(ttlSeconds) } })',
    tests: [CACHE_TEST],
  },
  {
    name: "reads go to the primary although DATABASE_REPLICA_URLS names replicas",
    file: DB_CLIENT,
    find: "return first === undefined ? primary : withReplicas(primary, [first, ...rest]);",
    replace: "return primary;",
    tests: [DB_CLIENT_TEST],
  },
  {
    name: "an unbounded pool wait queue (no PoolSaturatedError)",
    file: POOL,
    find: "|| target.waitingCount < maxWaiting)",
    replace: "|| true)",
    tests: [POOL_TEST],
  },
  {
    name: "a saturated pool answered 500 instead of 503 + Retry-After",
    file: APP,
    find: "if (error instanceof PoolSaturatedError) {",
    replace: "if (false) {",
    tests: [APP_TEST],
  },
  {
    name: "no server-side statement_timeout",
    file: POOL,
    find: "    statement_timeout: DB_STATEMENT_TIMEOUT_MS,\n",
    replace: "",
    tests: [POOL_TEST],
  },
  {
    name: "no idle_in_transaction_session_timeout (an abandoned transaction holds its locks)",
    file: POOL,
    find: "    idle_in_transaction_session_timeout: DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,\n",
    replace: "",
    tests: [POOL_TEST, TRANSACTION_TEST],
  },
  {
    name: "a failed query's parameters (user data) reach the log",
    file: LOGGER,
    find: "      if (ERROR_DATA_KEYS.has(key)) return [key, REDACTED];\n",
    replace: "",
    tests: [LOGGER_TEST],
  },
  // Issue 27: an index the online migration builds under the table's SHARE lock (writes wait for the whole build).
  {
    name: "an online-index migration without CONCURRENTLY",
    file: ONLINE_MIGRATIONS,
    find: "INDEX CONCURRENTLY IF NOT EXISTS ${",
    replace: "INDEX IF NOT EXISTS ${",
    tests: [ONLINE_MIGRATIONS_TEST],
  },
  // Issue 20, last holes: nested hasMore and eager dates, replica routing on drizzle-orm 0.36, concurrent migrations.
  {
    name: "a nested relation at exactly its limit says hasMore (the mapper's count)",
    file: USERS_REPOSITORY,
    find: "item.commentsHasMore = (row[next] as unknown[]).length > POSTS_COMMENTS_LIMIT;",
    replace: "item.commentsHasMore = (row[next] as unknown[]).length >= POSTS_COMMENTS_LIMIT;",
    tests: [USERS_TEST],
  },
  {
    name: "eager dates 1 ms off (sent as epoch milliseconds)",
    file: USERS_REPOSITORY,
    find: "floor(extract(epoch from ${column}) * 1000)",
    replace: "floor(extract(epoch from ${column}) * 1000) + 1",
    tests: [USERS_TEST],
  },
  {
    name: "reads prepared once on drizzle-orm 0.36's withReplicas stay on the replica first picked",
    file: USERS_REPOSITORY,
    find: "(picksReplicaPerStatement && reader === database)",
    replace: "false",
    tests: [USERS_TEST],
  },
  {
    name: "two migration runs started together both apply (no advisory lock)",
    file: ONLINE_MIGRATIONS,
    find: "  await acquireAdvisoryLock(client, lock, options.advisoryLockWaitMs ?? MIGRATION_ADVISORY_LOCK_WAIT_MS);\n",
    replace: "",
    tests: [ONLINE_MIGRATIONS_TEST],
  },
  {
    name: "a migration run waits inside pg_advisory_lock (deadlocks the holder's CONCURRENTLY build)",
    file: ONLINE_MIGRATIONS,
    find: '"SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked"',
    replace: '"SELECT true AS locked FROM pg_advisory_lock(hashtextextended($1, 0))"',
    tests: [ONLINE_MIGRATIONS_TEST],
  },
];
