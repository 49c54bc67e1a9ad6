// Queue rows of the bench: throughput of the generated BullMQ worker processes (2 vs 1 on this machine) and the
// event-loop p99 of an API process while 200 CPU jobs run (through the queue vs inline). Needs Redis and a built
// project with `generate worker render-report --queue` (bench/project.ts makes it).
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";

import { createClient } from "redis";

import { run } from "./processes.js";
import { REPO_ROOT } from "./project.js";
import { redisUrl } from "./services.js";
import type { Measurement } from "./stats.js";

export const QUEUE_PRODUCER_SCRIPT = "bench-queue-producer.js";
const QUEUE_WORKER_ENTRY = "dist/workers/render-report.queue-worker.js";
const JOBS = 200;
// CPU per job: long enough that Redis round trips are a small part of a job, short enough for a quick bench.
const JOB_MS = 20;
const WARM_UP_JOBS = 8;
const CALIBRATION_ROUNDS = 20_000;
const READY_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
const PREFIX_BYTES = 4;
const READY_MESSAGE = "queue worker ready";

function sha256Rounds(payload: string, rounds: number): void {
  let digest = payload;
  for (let round = 0; round < rounds; round += 1) digest = createHash("sha256").update(digest).digest("hex");
}

function roundsFor(ms: number): number {
  sha256Rounds("warm-up", CALIBRATION_ROUNDS);
  const started = performance.now();
  sha256Rounds("calibrate", CALIBRATION_ROUNDS);
  return Math.max(1, Math.ceil(ms / ((performance.now() - started) / CALIBRATION_ROUNDS)));
}

interface Started {
  children: ChildProcess[];
  stop: () => Promise<void>;
}

/** `count` worker processes of the generated entry (1 thread, concurrency 1 each), resolved once all are ready. */
async function startWorkers(project: string, count: number, prefix: string): Promise<Started> {
  const env = {
    ...process.env,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: "info",
    RENDER_REPORT_MAX_THREADS: "1",
    RENDER_REPORT_QUEUE_CONCURRENCY: "1",
  };
  const children: ChildProcess[] = [];
  let ready = 0;
  for (let index = 0; index < count; index += 1) {
    const child = spawn(process.execPath, [QUEUE_WORKER_ENTRY], {
      cwd: project,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes(READY_MESSAGE)) ready += 1;
    });
    children.push(child);
  }
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (ready < count) {
    if (Date.now() > deadline)
      throw new Error(`${String(count - ready)} queue worker(s) not ready after ${String(READY_TIMEOUT_MS)} ms`);
    await delay(POLL_MS);
  }
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
  };
  return { children, stop };
}

async function produce(
  project: string,
  mode: string,
  prefix: string,
  rounds: number,
  warmUp = 0,
): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [QUEUE_PRODUCER_SCRIPT], {
    cwd: project,
    env: {
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: "silent",
      BENCH_MODE: mode,
      BENCH_JOBS: String(JOBS),
      BENCH_ROUNDS: String(rounds),
      BENCH_WARM_UP_JOBS: String(warmUp),
      BENCH_RUN: prefix,
    },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;
}

async function removePrefix(prefix: string): Promise<void> {
  const redis = createClient({ url: redisUrl() });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*` })) if (keys.length > 0) await redis.del(keys);
  } finally {
    await redis.close();
  }
}

async function withWorkers<T>(project: string, count: number, work: (prefix: string) => Promise<T>): Promise<T> {
  const prefix = `bench-queue-${randomBytes(PREFIX_BYTES).toString("hex")}`;
  const workers = await startWorkers(project, count, prefix);
  try {
    return await work(prefix);
  } finally {
    await workers.stop();
    await removePrefix(prefix);
  }
}

export interface QueueBenchExtras {
  /** Event-loop p99 (ms) with the work on the API process's own piscina pool (the default, local mode), per repetition. */
  localPoolP99Ms: number[];
  jobMs: number;
}

/** Rows: jobs/s of 2 worker processes vs 1; API event-loop p99 with 200 CPU jobs inline vs through the queue. */
export async function measureQueueScaleOut(
  project: string,
  repetitions: number,
  log: (message: string) => void,
): Promise<{ rows: Measurement[]; extras: QueueBenchExtras }> {
  await copyFile(path.join(REPO_ROOT, "bench/in-project/queue-producer.js"), path.join(project, QUEUE_PRODUCER_SCRIPT));
  const rounds = roundsFor(JOB_MS);
  const one: number[] = [];
  const two: number[] = [];
  const inline: number[] = [];
  const queued: number[] = [];
  const localPool: number[] = [];
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    log(
      `queue ${String(repetition + 1)}/${String(repetitions)}: ${String(JOBS)} jobs of ~${String(JOB_MS)} ms on 1, then 2 worker processes`,
    );
    for (const [count, samples] of [
      [1, one],
      [2, two],
    ] as const) {
      const result = await withWorkers(project, count, (prefix) =>
        produce(project, "throughput", prefix, rounds, WARM_UP_JOBS * count),
      );
      samples.push(result["jobsPerSecond"] ?? Number.NaN);
    }
    log(
      `queue ${String(repetition + 1)}/${String(repetitions)}: API event-loop delay, inline vs local pool vs queue (2 workers)`,
    );
    inline.push((await produce(project, "loop-inline", "unused", rounds))["p99Ms"] ?? Number.NaN);
    localPool.push((await produce(project, "loop-pool", "unused", rounds))["p99Ms"] ?? Number.NaN);
    queued.push(
      (await withWorkers(project, 2, (prefix) => produce(project, "loop-queue", prefix, rounds, WARM_UP_JOBS)))[
        "p99Ms"
      ] ?? Number.NaN,
    );
  }
  return {
    rows: [
      {
        id: "queue-scale-out",
        comparison: "Queue workers: 200 CPU jobs through BullMQ",
        metric: "throughput",
        unit: "jobs/s",
        betterIs: "higher",
        baselineLabel: "1 worker process",
        oursLabel: "2 worker processes",
        counted: `processing window (first start to last finish) of ${String(JOBS)} jobs of ~${String(JOB_MS)} ms CPU each, 1 thread per process`,
        baseline: one,
        ours: two,
      },
      {
        id: "queue-api-loop",
        comparison: "API process while 200 CPU jobs run",
        metric: "event-loop delay p99",
        unit: "ms",
        betterIs: "lower",
        baselineLabel: "inline in the API process",
        oursLabel: "enqueued, 2 worker processes",
        counted: `monitorEventLoopDelay (1 ms resolution) of the process that enqueues ${String(JOBS)} jobs of ~${String(JOB_MS)} ms`,
        baseline: inline,
        ours: queued,
      },
    ],
    extras: { localPoolP99Ms: localPool, jobMs: JOB_MS },
  };
}
