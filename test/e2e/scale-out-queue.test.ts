import { createHash, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";

import { execa } from "execa";
import type { ResultPromise } from "execa";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";

import { linkSharedDependencies } from "../helpers/linked-dependencies.js";
import { inProject } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { redisUrl, servicesAvailable } from "../helpers/services.js";

const E2E_TIMEOUT_MS = 600_000;
const QUEUE = "hash-password";
const CONSTANT = "HASH_PASSWORD";
const SCRIPT = `queue-worker:${QUEUE}`;
const GOOD_JOBS = 200;
const FAILING_JOBS = 5;
const ATTEMPTS = 3;
// Each job blocks its thread about this long: long enough that a worker is mid-job almost all the time.
const JOB_MS = 50;
const CALIBRATION_ROUNDS = 20_000;
// The victim has finished this many jobs before it is killed: both workers have provably taken jobs.
const KILL_AFTER_COMPLETED = 20;
// Short lock and stalled check so the killed worker's job comes back in seconds, not the production 30 s.
const LOCK_DURATION_MS = 2000;
const STALLED_INTERVAL_MS = 1000;
const BACKOFF_DELAY_MS = 100;
const POLL_MS = 200;
const WAIT_LIMIT_MS = 120_000;
const PREFIX_BYTES = 6;

const available = await servicesAvailable("scale-out-queue e2e");

interface LogLine {
  msg?: string;
  jobId?: string;
  level?: number;
}

interface WorkerProcess {
  name: string;
  process: ResultPromise;
  lines: LogLine[];
}

function sha256Rounds(payload: string, rounds: number): string {
  let digest = payload;
  for (let round = 0; round < rounds; round += 1) digest = createHash("sha256").update(digest).digest("hex");
  return digest;
}

function roundsFor(ms: number): number {
  sha256Rounds("warm-up", CALIBRATION_ROUNDS);
  const started = performance.now();
  sha256Rounds("calibrate", CALIBRATION_ROUNDS);
  return Math.max(1, Math.ceil(ms / ((performance.now() - started) / CALIBRATION_ROUNDS)));
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(POLL_MS);
  }
}

const messages = (worker: WorkerProcess, msg: string): LogLine[] => worker.lines.filter((line) => line.msg === msg);

describe.skipIf(!available)("e2e: queue workers scale out across processes", () => {
  const scaffolded = useScaffoldedProject("scale-out-queue");
  const prefix = `e2e-scale-${randomBytes(PREFIX_BYTES).toString("hex")}`;
  const redis = createClient({ url: redisUrl() });
  const workers: WorkerProcess[] = [];

  afterAll(async () => {
    for (const worker of workers) worker.process.kill("SIGKILL");
    if (redis.isOpen) {
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*` })) if (keys.length > 0) await redis.del(keys);
      await redis.close();
    }
  });

  it(
    "two worker processes share 200 jobs; a SIGKILLed worker's job is recovered and every job completes exactly once",
    async () => {
      const { project, env } = await scaffolded.scaffold([
        ["generate", "worker", QUEUE, "--queue", "--max-threads", "1", "--no-install"],
      ]);
      await linkSharedDependencies(project);
      // No separate `tsc --noEmit`: the queue worker, its test included, compiles in
      // generators/generated-code-compiles.spec.ts, and `npm run build` below typechecks the project's sources.
      const lint = await inProject(project, "npm", ["run", "lint"]);
      expect(lint.all).not.toMatch(/\d+ problems?/);
      // The generated queue tests against the same Redis (their own random prefix).
      const testFile = `src/workers/${QUEUE}-queue.test.ts`;
      const tests = await inProject(project, "npx", ["vitest", "run", testFile], env);
      // Every test the generated file declares ran and passed.
      const declared = (await readFile(path.join(project, testFile), "utf8")).match(/^\s*it\(/gm)?.length ?? 0;
      expect(declared).toBeGreaterThan(0);
      expect(tests.all).toMatch(new RegExp(`Tests\\s+${String(declared)} passed`));
      await inProject(project, "npm", ["run", "build"]);

      // The npm script's command, run directly: a signal must reach the worker, not an npm wrapper.
      const scripts = (
        JSON.parse(await readFile(path.join(project, "package.json"), "utf8")) as { scripts: Record<string, string> }
      ).scripts;
      const [command, ...args] = (scripts[SCRIPT] ?? "").split(" ");
      expect(command).toBe("node");
      const workerEnv = {
        ...env,
        LOG_LEVEL: "debug",
        QUEUE_PREFIX: prefix,
        [`${CONSTANT}_MAX_THREADS`]: "1",
        [`${CONSTANT}_QUEUE_CONCURRENCY`]: "1",
        [`${CONSTANT}_QUEUE_LOCK_DURATION_MS`]: String(LOCK_DURATION_MS),
        [`${CONSTANT}_QUEUE_STALLED_INTERVAL_MS`]: String(STALLED_INTERVAL_MS),
        [`${CONSTANT}_QUEUE_BACKOFF_DELAY_MS`]: String(BACKOFF_DELAY_MS),
        [`${CONSTANT}_QUEUE_ATTEMPTS`]: String(ATTEMPTS),
      };
      for (const name of ["victim", "survivor"]) {
        const child = execa(command ?? "node", args, {
          cwd: project,
          env: workerEnv,
          reject: false,
          buffer: false,
          stdin: "ignore",
        });
        const worker: WorkerProcess = { name, process: child, lines: [] };
        let pending = "";
        child.stdout?.on("data", (chunk: Buffer) => {
          const text = pending + chunk.toString();
          const parts = text.split("\n");
          pending = parts.pop() ?? "";
          for (const part of parts) if (part.startsWith("{")) worker.lines.push(JSON.parse(part) as LogLine);
        });
        workers.push(worker);
      }
      const [victim, survivor] = workers as [WorkerProcess, WorkerProcess];
      await waitFor("both workers ready", () =>
        workers.every((worker) => messages(worker, "queue worker ready").length === 1),
      );

      // Enqueued through the generated producer, twice: the second pass must add nothing (idempotent by job id).
      const rounds = roundsFor(JOB_MS);
      const producer = path.join(project, "enqueue.mjs");
      await writeFile(
        producer,
        `import { closeHashPasswordQueue, enqueueHashPasswordTask } from "./dist/workers/index.js";
         for (let pass = 0; pass < 2; pass += 1) {
           for (let index = 0; index < ${GOOD_JOBS}; index += 1) await enqueueHashPasswordTask({ payload: "job-" + index, rounds: ${rounds} }, { jobId: "job-" + index });
           for (let index = 0; index < ${FAILING_JOBS}; index += 1) await enqueueHashPasswordTask({ payload: "bad", rounds: -1 }, { jobId: "bad-" + index });
         }
         await closeHashPasswordQueue();`,
      );
      await inProject(project, "node", [producer], { ...env, QUEUE_PREFIX: prefix, LOG_LEVEL: "silent" });

      // Kill the victim right after it starts a job (it has completed some already): that job is mid-run.
      await waitFor(
        "the victim to complete some jobs",
        () => messages(victim, "job completed").length >= KILL_AFTER_COMPLETED,
      );
      const startedBefore = messages(victim, "job started").length;
      await waitFor("the victim to start another job", () => messages(victim, "job started").length > startedBefore);
      victim.process.kill("SIGKILL");
      const inFlight = messages(victim, "job started").at(-1)?.jobId;

      await redis.connect();
      const key = (name: string): string => `${prefix}:${QUEUE}:${name}`;
      await waitFor("every job to finish", async () => {
        const [completed, failed] = await Promise.all([redis.zCard(key("completed")), redis.zCard(key("failed"))]);
        return completed + failed >= GOOD_JOBS + FAILING_JOBS;
      });
      const [completed, failed, waiting, active, delayed] = await Promise.all([
        redis.zCard(key("completed")),
        redis.zCard(key("failed")),
        redis.lLen(key("wait")),
        redis.lLen(key("active")),
        redis.zCard(key("delayed")),
      ]);
      expect({ completed, failed, waiting, active, delayed }).toEqual({
        completed: GOOD_JOBS,
        failed: FAILING_JOBS,
        waiting: 0,
        active: 0,
        delayed: 0,
      });

      // BullMQ's own event stream: one "completed" per job, never two; the stalled job was put back by the survivor.
      const events = (await redis.xRange(key("events"), "-", "+")) ?? [];
      const completions = new Map<string, number>();
      for (const { message } of events) {
        if (message["event"] === "completed")
          completions.set(message["jobId"] ?? "", (completions.get(message["jobId"] ?? "") ?? 0) + 1);
      }
      expect(completions.size).toBe(GOOD_JOBS);
      expect([...completions.values()].every((count) => count === 1)).toBe(true);
      const stalled = events
        .filter(({ message }) => message["event"] === "stalled")
        .map(({ message }) => message["jobId"]);
      expect(stalled).toContain(inFlight);
      expect(
        messages(survivor, "job stalled (its worker stopped renewing the lock): back in wait").length,
      ).toBeGreaterThan(0);
      // Every good job's result is the pure task's output.
      const sample = await redis.hGet(key("job-7"), "returnvalue");
      expect((JSON.parse(sample ?? "{}") as { digest?: string }).digest).toBe(sha256Rounds("job-7", rounds));

      // Both processes did work; between them (plus the recovery) all 200, none twice.
      const byVictim = messages(victim, "job completed").map((line) => line.jobId);
      const bySurvivor = messages(survivor, "job completed").map((line) => line.jobId);
      expect(byVictim.length).toBeGreaterThanOrEqual(KILL_AFTER_COMPLETED);
      expect(bySurvivor.length).toBeGreaterThan(0);
      expect(bySurvivor).toContain(inFlight);
      expect(byVictim).not.toContain(inFlight);
      expect(new Set([...byVictim, ...bySurvivor]).size).toBe(byVictim.length + bySurvivor.length);

      // Retries observed: each failing job ran ATTEMPTS times, with "will retry" logged in between.
      for (let index = 0; index < FAILING_JOBS; index += 1) {
        expect(await redis.hGet(key(`bad-${String(index)}`), "atm")).toBe(String(ATTEMPTS));
      }
      const retryLogs = workers.flatMap((worker) => messages(worker, "job failed, will retry"));
      expect(retryLogs.filter((line) => line.jobId?.startsWith("bad-")).length).toBeGreaterThanOrEqual(FAILING_JOBS);

      // SIGTERM: the survivor closes (no job left to wait for) and exits 0 by itself.
      survivor.process.kill("SIGTERM");
      const exit = await survivor.process;
      expect(exit.exitCode).toBe(0);
      expect(messages(survivor, "queue worker stopped")).toHaveLength(1);
      console.info(
        `scale-out queue: ${String(GOOD_JOBS)} jobs, victim completed ${String(byVictim.length)}, survivor ${String(bySurvivor.length)} ` +
          `(incl. the stalled ${String(inFlight)}); ${String(retryLogs.length)} retries logged`,
      );
    },
    E2E_TIMEOUT_MS,
  );
});
