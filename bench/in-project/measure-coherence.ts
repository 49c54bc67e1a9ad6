// Copied into the generated project by bench/run.ts and run there with the project's tsx. Compares the two ways
// an in-process cache can learn that another instance changed a key, across two processes on the same Redis:
// - pub/sub: what the generated two-tier cache does (MULTI DEL + PUBLISH; every instance subscribes);
// - CLIENT TRACKING: node-redis `clientSideCache` (RESP3; the server pushes an invalidation for a key this
//   connection read once it is written).
// It measures the invalidation latency (the write in process A -> the notice in process B) and the hit cost
// (the generated L1 getOrLoad vs a clientSideCache GET hit plus the same JSON parse). One JSON document on stdout.
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

import { createClient } from "redis";

// Type only (erased at run time): the shape measure-generated-code.ts prints, read by bench/run.ts.
import type { Measurement } from "./measure-generated-code.js";
import { closeRedisClient, getRedisClient } from "./src/cache/redis-client.js";
import { createUserProfileCache } from "./src/cache/user-profile-cache.js";
import { closeDatabase } from "./src/db/client.js";
import { createUsersRepository } from "./src/repositories/users-repository.js";

type Mode = "pubsub" | "tracking";
type FromParent = { arm: number } | { stop: true };
type FromChild = { ready: true } | { armed: number } | { noticed: number; at: number };

const REPETITIONS = Number(process.env["BENCH_REPETITIONS"] ?? "7");
const REDIS_URL = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379";
const ROUNDS_PER_REPETITION = 50;
const HIT_READS = 2000;
const US_PER_MS = 1000;
const RESP3 = 3;
const keyBase = `cpb-bench-coherence:${String(process.pid)}:`;

// Wall clock with sub-millisecond resolution, comparable across processes on one machine.
const now = (): number => performance.timeOrigin + performance.now();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// --- process B: holds a key in memory and reports when it learns of a write -------------------------
async function listen(mode: Mode, key: string, channel: string): Promise<void> {
  const send = (message: FromChild): void => {
    process.send?.(message);
  };
  let round = -1;
  const noticed = (): void => {
    if (round >= 0) send({ noticed: round, at: now() });
    round = -1;
  };
  if (mode === "pubsub") {
    const subscriber = createClient({ url: REDIS_URL });
    await subscriber.connect();
    await subscriber.subscribe(channel, noticed);
    process.on("message", (message: FromParent) => {
      if ("stop" in message) void subscriber.close().then(() => process.exit(0));
      else {
        round = message.arm;
        send({ armed: message.arm });
      }
    });
  } else {
    const client = createClient({ url: REDIS_URL, RESP: RESP3, clientSideCache: { ttl: 0, maxEntries: 1000 } });
    await client.connect();
    client.clientSideCache?.on("invalidate", noticed);
    process.on("message", (message: FromParent) => {
      if ("stop" in message) void client.close().then(() => process.exit(0));
      else {
        // Reading the key (again) is what makes the server track it for this connection.
        void client.get(key).then(() => {
          round = message.arm;
          send({ armed: message.arm });
        });
      }
    });
  }
  send({ ready: true });
}

// --- process A: writes, and times how long B takes to notice ------------------------------------------
async function latencies(mode: Mode): Promise<number[]> {
  const key = `${keyBase}${mode}`;
  const channel = `${keyBase}invalidations`;
  const child = fork(fileURLToPath(import.meta.url), ["listen", mode, key, channel], { execArgv: process.execArgv });
  const client = await getRedisClient();
  const next = (): Promise<FromChild> =>
    new Promise((resolve) => child.once("message", (message: FromChild) => resolve(message)));
  try {
    await next();
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS_PER_REPETITION; round += 1) {
      await client.set(key, "value");
      child.send({ arm: round } satisfies FromParent);
      await next();
      const noticedMessage = next();
      const written = now();
      if (mode === "pubsub") await client.multi().del(key).publish(channel, key).exec();
      else await client.del(key);
      const notice = await noticedMessage;
      if (!("noticed" in notice)) throw new Error(`unexpected message from the listener: ${JSON.stringify(notice)}`);
      samples.push((notice.at - written) * US_PER_MS);
    }
    return samples;
  } finally {
    child.send({ stop: true } satisfies FromParent);
    await client.del(key);
  }
}

async function hitCosts(ids: number[]): Promise<{ tracking: number[]; local: number[] }> {
  const repository = createUsersRepository();
  const cache = createUserProfileCache({
    keyPrefix: `${keyBase}hits:`,
    loader: (id: number) => repository.findUserById(id),
  });
  const tracking = createClient({ url: REDIS_URL, RESP: RESP3, clientSideCache: { ttl: 0, maxEntries: 1000 } });
  await tracking.connect();
  const client = await getRedisClient();
  const id = ids[0] ?? 1;
  const graphKey = `${keyBase}graph`;
  await client.set(graphKey, JSON.stringify(await repository.findUserById(id)));
  await cache.get(id);
  if (!(await cache.local?.ready())) throw new Error("the two-tier cache could not subscribe");
  await cache.getOrLoad(id);
  await tracking.get(graphKey);
  const result = { tracking: [] as number[], local: [] as number[] };
  try {
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      let started = performance.now();
      for (let read = 0; read < HIT_READS; read += 1) JSON.parse((await tracking.get(graphKey)) ?? "null");
      result.tracking.push(((performance.now() - started) * US_PER_MS) / HIT_READS);
      started = performance.now();
      for (let read = 0; read < HIT_READS; read += 1) await cache.getOrLoad(id);
      result.local.push(((performance.now() - started) * US_PER_MS) / HIT_READS);
    }
    const stats = tracking.clientSideCache?.stats();
    if (stats !== undefined && stats.hitCount < HIT_READS)
      throw new Error(`clientSideCache answered only ${String(stats.hitCount)} reads from memory`);
    return result;
  } finally {
    await cache.invalidate(id);
    await cache.close();
    await client.del(graphKey);
    await tracking.close();
  }
}

async function main(): Promise<void> {
  try {
    const ids = [Number(process.env["BENCH_USER_ID"] ?? "1")];
    const latency: Measurement = {
      id: "coherence-latency",
      comparison: "3e. a write in process A reaches the in-memory copy in process B",
      metric: "invalidation latency",
      unit: "µs",
      betterIs: "lower",
      baselineLabel: "CLIENT TRACKING (node-redis clientSideCache)",
      oursLabel: "pub/sub channel (generated two-tier cache)",
      counted: `median of ${String(ROUNDS_PER_REPETITION)} writes`,
      baseline: [],
      ours: [],
    };
    const hit: Measurement = {
      id: "coherence-hit",
      comparison: "3f. in-memory hit of one user with posts + comments",
      metric: "time per read",
      unit: "µs",
      betterIs: "lower",
      baselineLabel: "clientSideCache GET hit + JSON.parse",
      oursLabel: "generated L1 getOrLoad hit",
      counted: `mean of ${String(HIT_READS)} sequential reads`,
      baseline: [],
      ours: [],
    };
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      latency.baseline.push(median(await latencies("tracking")));
      latency.ours.push(median(await latencies("pubsub")));
    }
    const costs = await hitCosts(ids);
    hit.baseline.push(...costs.tracking);
    hit.ours.push(...costs.local);
    process.stdout.write(`${JSON.stringify([latency, hit])}\n`);
  } finally {
    await closeRedisClient();
    await closeDatabase();
  }
}

const [role, mode, key, channel] = process.argv.slice(2);
if (role === "listen" && (mode === "pubsub" || mode === "tracking") && key !== undefined && channel !== undefined)
  await listen(mode, key, channel);
else await main();
