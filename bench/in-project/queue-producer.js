// Copied into the generated project by bench/queue-scale-out.ts and run there with plain node against the built
// code: the "API process" of the queue rows. It enqueues CPU jobs through the generated producer (or runs them
// inline / on the local pool, for comparison) and prints one JSON line.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setImmediate as yieldToLoop, setTimeout as delay } from "node:timers/promises";

import {
  closeRenderReportPool,
  closeRenderReportQueue,
  enqueueRenderReportTask,
  getRenderReportQueue,
  runRenderReportTask,
} from "./dist/workers/index.js";
import { renderReport } from "./dist/workers/render-report.worker.js";

const MODE = process.env.BENCH_MODE ?? "throughput";
const JOBS = Number(process.env.BENCH_JOBS ?? "200");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? "1000");
const RUN = process.env.BENCH_RUN ?? "run";
const POLL_MS = 20;
const NS_PER_MS = 1e6;
const LOOP_RESOLUTION_MS = 1;
const MS_PER_S = 1000;

const input = (index) => ({ payload: `${RUN}-${String(index)}`, rounds: ROUNDS });

const WARM_UP_JOBS = Number(process.env.BENCH_WARM_UP_JOBS ?? "0");

let expectedCompleted = 0;

// One cheap count per poll (not a read of every job): the poll must not steal the CPU being measured.
async function completeAll(queue, prefix, count) {
  const ids = Array.from({ length: count }, (_, index) => `${RUN}-${prefix}-${String(index)}`);
  for (const [index, jobId] of ids.entries()) await enqueueRenderReportTask(input(index), { jobId });
  expectedCompleted += count;
  while ((await queue.getJobCounts("completed")).completed < expectedCompleted) await delay(POLL_MS);
  return Promise.all(ids.map((jobId) => queue.getJob(jobId)));
}

async function throughQueue() {
  const queue = getRenderReportQueue();
  // Threads of every worker process started and warm before the measured batch.
  if (WARM_UP_JOBS > 0) await completeAll(queue, "warm-up", WARM_UP_JOBS);
  const jobs = await completeAll(queue, "measured", JOBS);
  const firstStart = Math.min(...jobs.map((job) => job.processedOn ?? Number.POSITIVE_INFINITY));
  const lastFinish = Math.max(...jobs.map((job) => job.finishedOn ?? 0));
  return { windowMs: lastFinish - firstStart, jobsPerSecond: (JOBS * MS_PER_S) / (lastFinish - firstStart) };
}

async function measureLoop(work) {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  histogram.enable();
  await work();
  histogram.disable();
  return { p99Ms: histogram.percentile(99) / NS_PER_MS, maxMs: histogram.max / NS_PER_MS };
}

let result;
if (MODE === "throughput") {
  result = await throughQueue();
} else if (MODE === "loop-queue") {
  result = await measureLoop(throughQueue);
} else if (MODE === "loop-inline") {
  // What a handler does without a worker: the CPU work on the event loop, one request after another.
  result = await measureLoop(async () => {
    for (let index = 0; index < JOBS; index += 1) {
      renderReport(input(index));
      await yieldToLoop();
    }
  });
} else if (MODE === "loop-pool") {
  result = await measureLoop(() =>
    Promise.all(Array.from({ length: JOBS }, (_, index) => runRenderReportTask(input(index)))),
  );
} else {
  throw new Error(`unknown BENCH_MODE ${MODE}`);
}
await closeRenderReportQueue();
await closeRenderReportPool();
process.stdout.write(`${JSON.stringify(result)}\n`);
