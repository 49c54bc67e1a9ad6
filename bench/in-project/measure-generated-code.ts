// Copied into the generated project by bench/run.ts and run there with the project's tsx: it imports the
// generated modules and measures them against the naive code a team would otherwise write, on the same
// seeded database, in the same process. Prints one JSON document (raw samples) on stdout.
import { performance } from "node:perf_hooks";
import { monitorEventLoopDelay } from "node:perf_hooks";

import { asc, eq } from "drizzle-orm";
import pg from "pg";

import { closeRedisClient, getRedisClient } from "./src/cache/redis-client.js";
import { createUserProfileCache } from "./src/cache/user-profile-cache.js";
import { closeDatabase, createDatabase } from "./src/db/client.js";
import { pool } from "./src/db/pool.js";
import { comments, posts, users } from "./src/db/schema/index.js";
import { withClient } from "./src/db/transaction.js";
import { createUsersRepository } from "./src/repositories/users-repository.js";
import { closeHashPasswordPool, runHashPasswordTask } from "./src/workers/hash-password-task.js";
import { hashPassword } from "./src/workers/hash-password.worker.js";

/** One comparison: raw samples of the naive baseline and of the generated code, one per repetition. */
export interface Measurement {
  id: string;
  comparison: string;
  metric: string;
  unit: string;
  betterIs: "lower" | "higher";
  baselineLabel: string;
  oursLabel: string;
  counted: string;
  baseline: number[];
  ours: number[];
  aggregate?: "median" | "mean";
}

const REPETITIONS = Number(process.env["BENCH_REPETITIONS"] ?? "7");
const POOL_REPETITIONS = Number(process.env["BENCH_POOL_REPETITIONS"] ?? "3");
const DATABASE_URL = process.env["DATABASE_URL"] ?? "";
const PAGE_SIZE = 50;
const LOADER_KEYS = 100;
const CACHE_READS_PER_REPETITION = 200;
const CACHE_WARM_KEYS = 20;
const CONCURRENT_COLD_READS = 100;
const NAIVE_CACHE_TTL_SECONDS = 300;
const WORKER_BURST = 24;
const WORKER_TARGET_TASK_MS = 20;
const WORKER_CALIBRATION_ROUNDS = 20_000;
const WORKER_WARMUP_TASKS = 4;
// 1 ms is the finest monitorEventLoopDelay allows; recorded delays include this interval.
const LOOP_DELAY_RESOLUTION_MS = 1;
const NS_PER_MS = 1e6;
const MS_PER_S = 1000;
const P50 = 50;
const P99 = 99;
const POOL_REQUESTS = 1000;
const POOL_CONCURRENCY = 50;
const US_PER_MS = 1000;
// Rows 1b/2b: calls per repetition, alternating hand and generated call by call (a loaded machine drifts; pairs do not).
const HAND_CALLS_PER_REPETITION = 30;
// The generated repository's per-relation limits (POSTS_LIMIT, POSTS_COMMENTS_LIMIT): the hand query reads the same rows.
const HAND_RELATION_LIMIT = 50;
// BENCH_ONLY=eager-hand,loader-hand: only those rows (`npm run bench -- --only ...`).
const ONLY = new Set((process.env["BENCH_ONLY"] ?? "").split(",").filter((id) => id !== ""));

if (DATABASE_URL === "") throw new Error("DATABASE_URL must point at the migrated, seeded bench database");

let statements = 0;
// The same pool and schema as the app's `db`; the logger counts every statement sent.
const counted = createDatabase({
  logger: {
    logQuery: () => {
      statements += 1;
    },
  },
});
const repository = createUsersRepository(counted);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; statements: number; value: T }> {
  statements = 0;
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, statements, value };
}

function measurement(fields: Omit<Measurement, "baseline" | "ours">): Measurement {
  return { ...fields, baseline: [], ours: [] };
}

/** Alternates baseline and ours for every repetition, recording statements and wall time of each. */
async function repeatStatementsAndTime<T>(
  count: Measurement,
  time: Measurement,
  baseline: () => Promise<unknown>,
  ours: () => Promise<T>,
  check: (oursValue: T) => void = () => undefined,
): Promise<Measurement[]> {
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    const baselineRun = await timed(baseline);
    const oursRun = await timed(ours);
    check(oursRun.value);
    count.baseline.push(baselineRun.statements);
    count.ours.push(oursRun.statements);
    time.baseline.push(baselineRun.ms);
    time.ours.push(oursRun.ms);
  }
  return [count, time];
}

// --- 1. eager read: one page of users with posts and their comments -------------------------------
async function naiveEagerPage(): Promise<number> {
  const page = await counted.select().from(users).orderBy(asc(users.id)).limit(PAGE_SIZE);
  let loaded = 0;
  for (const user of page) {
    const userPosts = await counted.select().from(posts).where(eq(posts.authorId, user.id));
    for (const post of userPosts) {
      loaded += (await counted.select().from(comments).where(eq(comments.postId, post.id))).length;
    }
  }
  return loaded;
}

async function generatedEagerPage(): Promise<number> {
  const { items } = await repository.listUsers({ limit: PAGE_SIZE });
  return items.reduce((total, user) => total + user.posts.reduce((sum, post) => sum + post.comments.length, 0), 0);
}

async function measureEagerRead(): Promise<Measurement[]> {
  const common = {
    comparison: `1. eager read of ${String(PAGE_SIZE)} users + posts + comments`,
    baselineLabel: "loop of per-row queries",
    oursLabel: "generated repository listUsers",
    betterIs: "lower" as const,
  };
  const count = measurement({
    ...common,
    id: "eager-statements",
    metric: "SQL statements",
    unit: "statements",
    counted: "statements logged by createDatabase({ logger }) per page",
  });
  const time = measurement({
    ...common,
    id: "eager-time",
    metric: "wall time",
    unit: "ms",
    counted: "wall time per page",
  });
  // Warm-up: prepared statements, pool connections, JIT.
  const [expected, actual] = [await naiveEagerPage(), await generatedEagerPage()];
  if (expected !== actual)
    throw new Error(`eager read disagrees: naive loaded ${String(expected)} comments, repository ${String(actual)}`);
  return repeatStatementsAndTime(count, time, naiveEagerPage, generatedEagerPage);
}

// --- 1b. eager read vs the hand-written lateral json_agg query of the same shape, same pool ---------
// What a senior engineer writes by hand for the same contract: one statement, a lateral json_agg per level,
// positional JSON arrays (the cheapest form to build and parse), limit + 1 rows per relation (the extra one says
// hasMore: a flag for posts, the array's length for comments), and the same cost cap: a running total of rows (nested
// included) and JSON bytes over the page, relations past it not sent. No mapping at all (timestamps stay ISO strings):
// the floor of the call.
const HAND_EAGER_SQL = `select id, email, name, created_at, updated_at, case when within then posts end as posts, has_more, within
from (
  select u.id, u.email, u.name, u.created_at, u.updated_at, up.items as posts, coalesce(up.has_more, false) as has_more,
    row_number() over w = 1 or (sum(1 + coalesce(up.rows, 0)) over w <= $3 and sum(coalesce(octet_length(up.items::text), 0)) over w <= $4) as within
  from users u left join lateral (
    select coalesce(json_agg(json_build_array(p.id, p.author_id, p.title, p.status, p.created_at, p.updated_at, pc.items) order by p.id), '[]'::json) as items,
      count(*) > $2 as has_more, count(*) + coalesce(sum(pc.rows), 0) as rows
    from (select * from posts p where p.author_id = u.id order by p.id limit $2 + 1) p
    left join lateral (
      select coalesce(json_agg(json_build_array(c.id, c.post_id, c.body) order by c.id), '[]'::json) as items, count(*) as rows
      from (select * from comments c where c.post_id = p.id order by c.id limit $2 + 1) c
    ) pc on true
  ) up on true
  window w as (order by u.id)
  order by u.id limit $1
) page`;
// The generated repository's MAX_EAGER_ROWS_PER_CALL and MAX_EAGER_BYTES_PER_CALL.
const HAND_MAX_ROWS = 10_000;
const HAND_MAX_BYTES = 8 * 1024 * 1024;

interface HandEagerRow {
  posts: Array<[number, number, string, string, string, string, Array<[number, number, string]>]> | null;
  within: boolean;
}

async function handEagerPage(): Promise<number> {
  const { rows } = await pool.query<HandEagerRow>({
    name: "bench_hand_eager",
    text: HAND_EAGER_SQL,
    values: [PAGE_SIZE + 1, HAND_RELATION_LIMIT, HAND_MAX_ROWS, HAND_MAX_BYTES],
  });
  // The page ends before the first row past the budget; relations carry at most the limit (the extra row said hasMore).
  let loaded = 0;
  for (const user of rows.slice(0, PAGE_SIZE)) {
    if (!user.within) break;
    for (const post of (user.posts ?? []).slice(0, HAND_RELATION_LIMIT))
      loaded += Math.min(post[6].length, HAND_RELATION_LIMIT);
  }
  return loaded;
}

/** Alternates baseline and ours call by call; one sample per repetition is the mean wall time per call. */
async function alternatingPerCall(
  time: Measurement,
  baseline: () => Promise<unknown>,
  ours: () => Promise<unknown>,
): Promise<Measurement[]> {
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    let baselineMs = 0;
    let oursMs = 0;
    for (let call = 0; call < HAND_CALLS_PER_REPETITION; call += 1) {
      baselineMs += (await timed(baseline)).ms;
      oursMs += (await timed(ours)).ms;
    }
    time.baseline.push(baselineMs / HAND_CALLS_PER_REPETITION);
    time.ours.push(oursMs / HAND_CALLS_PER_REPETITION);
  }
  return [time];
}

async function measureEagerVsHand(): Promise<Measurement[]> {
  const time = measurement({
    id: "eager-vs-hand",
    comparison: `1b. eager read of ${String(PAGE_SIZE)} users + posts + comments, one statement each`,
    metric: "wall time per call",
    unit: "ms",
    betterIs: "lower",
    baselineLabel: "hand lateral json_agg query (limit + 1, hasMore, rows/bytes cap; pg, no mapping)",
    oursLabel: "generated repository listUsers (objects, Dates, hasMore)",
    counted: `mean of ${String(HAND_CALLS_PER_REPETITION)} calls each, alternating call by call`,
  });
  const [expected, actual] = [await handEagerPage(), await generatedEagerPage()];
  if (expected !== actual)
    throw new Error(
      `eager read disagrees: hand query loaded ${String(expected)} comments, repository ${String(actual)}`,
    );
  return alternatingPerCall(time, handEagerPage, generatedEagerPage);
}

// --- 2. DataLoader: 100 load(id) in one tick vs 100 separate lookups --------------------------------
async function measureLoader(ids: number[]): Promise<Measurement[]> {
  const common = {
    comparison: `2. ${String(LOADER_KEYS)} lookups by id in one tick`,
    baselineLabel: `${String(LOADER_KEYS)} concurrent select-by-id`,
    oursLabel: "generated DataLoader load(id)",
    betterIs: "lower" as const,
  };
  const count = measurement({
    ...common,
    id: "loader-statements",
    metric: "SQL statements",
    unit: "statements",
    counted: `statements for ${String(LOADER_KEYS)} ids`,
  });
  const time = measurement({
    ...common,
    id: "loader-time",
    metric: "wall time",
    unit: "ms",
    counted: `wall time for ${String(LOADER_KEYS)} ids`,
  });
  const keys = ids.slice(0, LOADER_KEYS);
  const naive = () =>
    Promise.all(keys.map(async (id) => (await counted.select().from(users).where(eq(users.id, id)))[0] ?? null));
  const ours = () => {
    // One loader per request, as the generated code advises: no cache carried across repetitions.
    const loader = repository.createUserLoader();
    return Promise.all(keys.map((id) => loader.load(id)));
  };
  await naive();
  await ours();
  return repeatStatementsAndTime(count, time, naive, ours, (rows) => {
    if (rows.some((row) => row === null)) throw new Error("DataLoader returned null for a seeded id");
  });
}

// --- 2b. DataLoader batch vs the hand-written `where id = any($1)` it sends ------------------------
async function measureLoaderVsHand(ids: number[]): Promise<Measurement[]> {
  const time = measurement({
    id: "loader-vs-hand",
    comparison: `2b. ${String(LOADER_KEYS)} users by id, one statement`,
    metric: "wall time per batch",
    unit: "ms",
    betterIs: "lower",
    baselineLabel: "hand select ... where id = any($1) (pg)",
    oursLabel: "generated DataLoader load(id) × 100 in one tick",
    counted: `mean of ${String(HAND_CALLS_PER_REPETITION)} batches each, alternating batch by batch`,
  });
  const keys = ids.slice(0, LOADER_KEYS);
  const hand = async () =>
    (await pool.query({ name: "bench_hand_any", text: "select * from users where id = any($1)", values: [keys] })).rows;
  const ours = () => {
    const loader = repository.createUserLoader();
    return Promise.all(keys.map((id) => loader.load(id)));
  };
  if ((await hand()).length !== keys.length || (await ours()).some((row) => row === null))
    throw new Error("loader rows disagree with the hand query");
  return alternatingPerCall(time, hand, ours);
}

// --- 3. cache: a hit vs the read it replaces; single-flight vs naive cache-aside --------------------
async function measureCache(ids: number[]): Promise<Measurement[]> {
  const keyPrefix = `cpb-bench:${String(process.pid)}:`;
  // Redis only (the L1 off), so 3a is the Redis hit; 3c/3d read the same user graph through the L1.
  const cache = createUserProfileCache({
    keyPrefix,
    loader: (id: number) => repository.findUserById(id),
    local: false,
  });
  const twoTier = createUserProfileCache({
    keyPrefix: `${keyPrefix}l1:`,
    loader: (id: number) => repository.findUserById(id),
  });
  const warmKeys = ids.slice(0, CACHE_WARM_KEYS);
  const readsCounted = `mean of ${String(CACHE_READS_PER_REPETITION)} sequential reads`;
  const hit = measurement({
    id: "cache-hit",
    comparison: "3a. read of one user with posts + comments",
    metric: "time per read",
    unit: "µs",
    betterIs: "lower",
    baselineLabel: "repository findUserById (the DB read)",
    oursLabel: "generated cache getOrLoad, Redis hit (--no-local)",
    counted: readsCounted,
  });
  const localHit = measurement({
    id: "cache-l1-hit",
    comparison: "3c. read of one user with posts + comments",
    metric: "time per read",
    unit: "µs",
    betterIs: "lower",
    baselineLabel: "repository findUserById (the DB read)",
    oursLabel: "generated two-tier cache getOrLoad, L1 hit",
    counted: readsCounted,
  });
  const localVsRedis = measurement({
    id: "cache-l1-vs-redis",
    comparison: "3d. cache hit of one user with posts + comments",
    metric: "time per read",
    unit: "µs",
    betterIs: "lower",
    baselineLabel: "Redis hit (--no-local)",
    oursLabel: "L1 hit (--local)",
    counted: readsCounted,
  });
  // The first answer from Redis starts the invalidation subscription; the L1 fills only once it is up.
  await twoTier.get(warmKeys[0] ?? 0);
  if (!(await twoTier.local?.ready()))
    throw new Error("the two-tier cache could not subscribe to its invalidation channel");
  for (const id of warmKeys) await twoTier.getOrLoad(id);
  const flight = measurement({
    id: "cache-single-flight",
    comparison: `3b. ${String(CONCURRENT_COLD_READS)} concurrent cold reads of one key`,
    metric: "loader calls",
    unit: "calls",
    betterIs: "lower",
    baselineLabel: "naive cache-aside (get, miss, load, set)",
    oursLabel: "generated cache getOrLoad (single-flight)",
    counted: "loader invocations until the key is cached",
  });
  for (const id of warmKeys) await cache.getOrLoad(id);
  const readAll = async (read: (id: number) => Promise<unknown>) => {
    const started = performance.now();
    for (let index = 0; index < CACHE_READS_PER_REPETITION; index += 1) {
      const value = await read(warmKeys[index % warmKeys.length] ?? 0);
      if (value === null || value === undefined) throw new Error("cache bench read a missing user");
    }
    return ((performance.now() - started) * US_PER_MS) / CACHE_READS_PER_REPETITION;
  };
  const client = await getRedisClient();
  const naiveKey = `${keyPrefix}naive`;
  // What a team writes without the generated module: every concurrent miss loads and sets.
  const naiveGetOrLoad = async (loader: () => Promise<unknown>) => {
    const cached = await client.get(naiveKey);
    if (cached !== null) return JSON.parse(cached) as unknown;
    const value = await loader();
    await client.set(naiveKey, JSON.stringify(value), { expiration: { type: "EX", value: NAIVE_CACHE_TTL_SECONDS } });
    return value;
  };
  const coldId = ids[0] ?? 0;
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    const databaseRead = await readAll((id) => repository.findUserById(id));
    const redisHit = await readAll((id) => cache.getOrLoad(id));
    const localRead = await readAll((id) => twoTier.getOrLoad(id));
    hit.baseline.push(databaseRead);
    hit.ours.push(redisHit);
    localHit.baseline.push(databaseRead);
    localHit.ours.push(localRead);
    localVsRedis.baseline.push(redisHit);
    localVsRedis.ours.push(localRead);

    let naiveCalls = 0;
    await client.del(naiveKey);
    await Promise.all(
      Array.from({ length: CONCURRENT_COLD_READS }, () =>
        naiveGetOrLoad(() => {
          naiveCalls += 1;
          return repository.findUserById(coldId);
        }),
      ),
    );
    flight.baseline.push(naiveCalls);

    let ourCalls = 0;
    await cache.invalidate(coldId);
    await Promise.all(
      Array.from({ length: CONCURRENT_COLD_READS }, () =>
        cache.getOrLoad(coldId, (id) => {
          ourCalls += 1;
          return repository.findUserById(id);
        }),
      ),
    );
    flight.ours.push(ourCalls);
  }
  await client.del(naiveKey);
  for (const id of warmKeys) await cache.invalidate(id);
  for (const id of warmKeys) await twoTier.invalidate(id);
  await twoTier.close();
  return [hit, flight, localHit, localVsRedis];
}

// --- 4. worker: a burst of CPU tasks on the generated pool vs inline -------------------------------
function calibrateRounds(): number {
  // The first call pays JIT and crypto set-up; time the second.
  hashPassword({ payload: "warm-up", rounds: WORKER_CALIBRATION_ROUNDS });
  const started = performance.now();
  hashPassword({ payload: "calibrate", rounds: WORKER_CALIBRATION_ROUNDS });
  const msPerRound = (performance.now() - started) / WORKER_CALIBRATION_ROUNDS;
  return Math.max(1, Math.round(WORKER_TARGET_TASK_MS / msPerRound));
}

async function burst(run: () => Promise<void>): Promise<{ p50: number; p99: number; perSecond: number }> {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  histogram.enable();
  const started = performance.now();
  await run();
  const elapsed = performance.now() - started;
  histogram.disable();
  return {
    p50: histogram.percentile(P50) / NS_PER_MS,
    p99: histogram.percentile(P99) / NS_PER_MS,
    perSecond: (WORKER_BURST * MS_PER_S) / elapsed,
  };
}

async function measureWorker(): Promise<Measurement[]> {
  const rounds = calibrateRounds();
  const input = { payload: "bench-payload", rounds };
  const common = {
    comparison: `4. burst of ${String(WORKER_BURST)} CPU tasks (~${String(WORKER_TARGET_TASK_MS)} ms each)`,
    baselineLabel: "same function inline on the event loop",
    oursLabel: "generated piscina worker task",
  };
  const p50 = measurement({
    ...common,
    id: "worker-loop-p50",
    metric: "event-loop delay p50",
    unit: "ms",
    betterIs: "lower",
    counted: "monitorEventLoopDelay during the burst (1 ms resolution)",
  });
  const p99 = measurement({
    ...common,
    id: "worker-loop-p99",
    metric: "event-loop delay p99",
    unit: "ms",
    betterIs: "lower",
    counted: "monitorEventLoopDelay during the burst (1 ms resolution)",
  });
  const throughput = measurement({
    ...common,
    id: "worker-throughput",
    metric: "throughput",
    unit: "tasks/s",
    betterIs: "higher",
    counted: `tasks completed per second over the burst, ${String(rounds)} sha256 rounds each`,
  });
  // Thread start-up (tsx in each worker) is paid once per process, not per task: keep it out of the burst.
  await Promise.all(Array.from({ length: WORKER_WARMUP_TASKS }, () => runHashPasswordTask(input)));
  const inline = async () => {
    // Each task arrives in its own macrotask, as requests do, and then holds the loop while it runs.
    for (let task = 0; task < WORKER_BURST; task += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      hashPassword(input);
    }
  };
  const pooled = async () => {
    await Promise.all(Array.from({ length: WORKER_BURST }, () => runHashPasswordTask(input)));
  };
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    const naive = await burst(inline);
    const ours = await burst(pooled);
    p50.baseline.push(naive.p50);
    p50.ours.push(ours.p50);
    p99.baseline.push(naive.p99);
    p99.ours.push(ours.p99);
    throughput.baseline.push(naive.perSecond);
    throughput.ours.push(ours.perSecond);
  }
  return [p50, p99, throughput];
}

// --- 5. generated pool wrapper vs a new pg.Client per request --------------------------------------
async function atConcurrency(request: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: POOL_CONCURRENCY }, async () => {
      while (next < POOL_REQUESTS) {
        const index = next;
        next += 1;
        await request(index);
      }
    }),
  );
  return performance.now() - started;
}

async function measurePool(ids: number[]): Promise<Measurement[]> {
  const sql = "select id, email from users where id = $1";
  const common = {
    comparison: `5. ${String(POOL_REQUESTS)} requests at concurrency ${String(POOL_CONCURRENCY)}`,
    baselineLabel: "new pg.Client per request",
    oursLabel: "generated pool + withClient",
    betterIs: "lower" as const,
  };
  const time = measurement({
    ...common,
    id: "pool-time",
    metric: "time per request",
    unit: "ms",
    counted: `wall time / ${String(POOL_REQUESTS)} requests (one select by id each)`,
  });
  const opened = measurement({
    ...common,
    id: "pool-connections",
    metric: "connections opened",
    unit: "connections",
    counted: `server connections opened per ${String(POOL_REQUESTS)} requests`,
    aggregate: "mean",
  });
  let poolConnects = 0;
  pool.on("connect", () => {
    poolConnects += 1;
  });
  const idAt = (index: number): number => ids[index % ids.length] ?? 0;
  for (let repetition = 0; repetition < POOL_REPETITIONS; repetition += 1) {
    let clientConnects = 0;
    const naiveMs = await atConcurrency(async (index) => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      clientConnects += 1;
      try {
        await client.query(sql, [idAt(index)]);
      } finally {
        await client.end();
      }
    });
    poolConnects = 0;
    const oursMs = await atConcurrency(async (index) => {
      await withClient((client) => client.query(sql, [idAt(index)]));
    });
    time.baseline.push(naiveMs / POOL_REQUESTS);
    time.ours.push(oursMs / POOL_REQUESTS);
    opened.baseline.push(clientConnects);
    opened.ours.push(poolConnects);
  }
  return [time, opened];
}

async function main(): Promise<void> {
  try {
    const ids = (await counted.select({ id: users.id }).from(users).orderBy(asc(users.id))).map((row) => row.id);
    if (ids.length < LOADER_KEYS)
      throw new Error(`the bench database has ${String(ids.length)} users; seed at least ${String(LOADER_KEYS)}`);
    if (ONLY.size > 0) {
      const rows: Record<string, () => Promise<Measurement[]>> = {
        "eager-vs-hand": measureEagerVsHand,
        "loader-vs-hand": () => measureLoaderVsHand(ids),
      };
      const unknown = [...ONLY].filter((id) => !(id in rows));
      if (unknown.length > 0)
        throw new Error(`BENCH_ONLY: no row ${unknown.join(", ")} (rows: ${Object.keys(rows).join(", ")})`);
      const results: Measurement[] = [];
      for (const id of ONLY) results.push(...((await rows[id]?.()) ?? []));
      process.stdout.write(`${JSON.stringify(results)}\n`);
      return;
    }
    // The pool runs first, while the generated pool holds just the connection that read the ids.
    const pooled = await measurePool(ids);
    const results = [
      ...(await measureEagerRead()),
      ...(await measureEagerVsHand()),
      ...(await measureLoader(ids)),
      ...(await measureLoaderVsHand(ids)),
      ...(await measureCache(ids)),
      ...(await measureWorker()),
      ...pooled,
    ];
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } finally {
    await closeHashPasswordPool();
    await closeRedisClient();
    await closeDatabase();
  }
}

await main();
