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
    find: "if (!(await invalidateRemote(cacheKey))) keepPending(cacheKey);",
    replace: "await invalidateRemote(cacheKey);",
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
    find: "    if (updated !== undefined) await notifyUserWritten(id);\n",
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
];
