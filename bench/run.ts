// `npm run bench`: scaffolds one project with the built CLI, measures the code it generates against the
// naive code a team would otherwise write (inside that project, on a seeded throwaway database), measures
// the tool itself, and writes bench/results.{md,json,svg}. Needs PostgreSQL and Redis.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { LTS_NODE_MAJOR, ltsNode } from "./lts-node.js";
import { run } from "./processes.js";
import { buildProject, COHERENCE_SCRIPT, MEASURE_SCRIPT, migrateAndSeed, REPO_ROOT, SEED_ROWS } from "./project.js";
import { measureQueueScaleOut } from "./queue-scale-out.js";
import { jsonReport, markdownReport, markdownTable, svgChart } from "./report.js";
import type { RunInfo } from "./report.js";
import { measureMeasurementCost, serverRuns } from "./server-throughput.js";
import { createThrowawayDatabase, redisUrl, requireServices } from "./services.js";
import type { ThrowawayDatabase } from "./services.js";
import { toRow } from "./stats.js";
import type { Measurement } from "./stats.js";
import { measureLargeRepository, measureToolCost } from "./tool-measurements.js";
import type { ToolRun } from "./tool-measurements.js";
import { measureTypecheckCost } from "./typecheck-cost.js";

// Enough repetitions for a median and a spread while the whole bench stays under 5 minutes on 2 cores.
const REPETITIONS = 7;
const POOL_REPETITIONS = 3;
const TOOL_REPETITIONS = 5;
const QUEUE_REPETITIONS = 3;
const SERVER_REPETITIONS = 5;
const MS_PER_S = 1000;
// The bench times hits, not outages: on a busy machine a Redis answer can take longer than the production 50 ms,
// which would turn the cache rows into loader rows (and keep the L1's subscription from starting).
const BENCH_REDIS_COMMAND_TIMEOUT_MS = 1000;
const RESULTS_BASE = path.join(REPO_ROOT, "bench/results");

const started = performance.now();
const log = (message: string): void => {
  const seconds = ((performance.now() - started) / MS_PER_S).toFixed(1).padStart(5);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
};

function parseMeasurements(stdout: string, script = MEASURE_SCRIPT): Measurement[] {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  const parsed = JSON.parse(line) as Measurement[];
  if (!Array.isArray(parsed) || parsed.some((item) => typeof item.id !== "string" || !Array.isArray(item.baseline))) {
    throw new Error(`unexpected output from ${script}:\n${stdout}`);
  }
  return parsed;
}

async function measure(workDir: string, database: ThrowawayDatabase): Promise<Measurement[]> {
  log("scaffolding one project and generating users/posts/comments, a repository, a cache and a worker");
  const project = await buildProject(workDir);
  log("migrating the throwaway database and seeding it");
  await migrateAndSeed(project, database.url);

  log(`measuring the generated code (1–5) inside the project with its own tsx`);
  const inProject = await run(path.join(project, "node_modules/.bin/tsx"), [MEASURE_SCRIPT], {
    cwd: project,
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      BENCH_REPETITIONS: String(REPETITIONS),
      BENCH_POOL_REPETITIONS: String(POOL_REPETITIONS),
      REDIS_COMMAND_TIMEOUT_MS: String(BENCH_REDIS_COMMAND_TIMEOUT_MS),
    },
  });
  const generated = parseMeasurements(inProject.stdout);
  log("measuring cross-instance coherence (3e–3f): pub/sub vs CLIENT TRACKING across two processes");
  const coherence = await run(path.join(project, "node_modules/.bin/tsx"), [COHERENCE_SCRIPT], {
    cwd: project,
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      BENCH_REPETITIONS: String(REPETITIONS),
      REDIS_COMMAND_TIMEOUT_MS: String(BENCH_REDIS_COMMAND_TIMEOUT_MS),
    },
  });
  generated.push(...parseMeasurements(coherence.stdout, COHERENCE_SCRIPT));
  log(`installing Node ${String(LTS_NODE_MAJOR)} from the npm registry (cached after the first run) for the server and tool rows`);
  const lts = await ltsNode();
  for (const server of serverRuns(lts)) {
    log(`measuring the generated server (10) on ${server.node === lts ? `Node ${String(LTS_NODE_MAJOR)}` : process.version}: measurement off and on, ${String(SERVER_REPETITIONS)} rounds`);
    generated.push(...(await measureMeasurementCost(project, { DATABASE_URL: database.url, REDIS_URL: redisUrl() }, SERVER_REPETITIONS, server)));
  }

  const tools: ToolRun[] = [{ rows: { large: "6", cost: "7" }, idSuffix: "", label: "" }];
  if (lts) tools.push({ node: lts, rows: { large: "8", cost: "9" }, idSuffix: `-node${String(LTS_NODE_MAJOR)}`, label: `(Node ${String(LTS_NODE_MAJOR)}) ` });
  const toolRows: Measurement[] = [];
  for (const tool of tools) {
    const on = tool.node ? `Node ${String(LTS_NODE_MAJOR)}` : process.version;
    log(`measuring the tool (${tool.rows.large}) on ${on}: generate repository in a plain project vs one with 5,000 .ts files`);
    toolRows.push(await measureLargeRepository(project, workDir, TOOL_REPETITIONS, tool));
    log(`measuring the tool (${tool.rows.cost}) on ${on}: create and a plop repository run vs a plain plop add`);
    toolRows.push(...(await measureToolCost(project, workDir, TOOL_REPETITIONS, tool)));
  }
  log("measuring the pre-commit typecheck on a 500-file repo: TypeScript 6 API and TypeScript 7 native, first run vs cached baseline");
  toolRows.push(...(await measureTypecheckCost(workDir, TOOL_REPETITIONS)));
  log("measuring the queue rows: 200 CPU jobs through BullMQ on 1 and 2 worker processes, and the API event loop");
  const queue = await measureQueueScaleOut(project, QUEUE_REPETITIONS, log);
  return [...generated, ...toolRows, ...queue.rows];
}

async function main(): Promise<void> {
  await requireServices();
  const workDir = await mkdtemp(path.join(os.tmpdir(), "cpb-bench-"));
  let database: ThrowawayDatabase | undefined;
  // Ctrl-C still removes the temp dir and the database.
  const cleanup = async (): Promise<void> => {
    await database?.drop().catch((error: unknown) => log(`could not drop the bench database: ${String(error)}`));
    database = undefined;
    await rm(workDir, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    void cleanup().finally(() => process.exit(1));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let measurements: Measurement[];
  try {
    database = await createThrowawayDatabase("bench");
    measurements = await measure(workDir, database);
  } finally {
    log("cleaning up the temp dir and the throwaway database");
    await cleanup();
  }

  const rows = measurements.map(toRow);
  const cpus = os.cpus();
  const info: RunInfo = {
    date: new Date().toISOString().slice(0, "yyyy-mm-dd".length),
    machine: `${String(cpus.length)} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${os.platform()} ${os.release()}`,
    node: process.version,
    repetitions: `Repetitions: ${String(REPETITIONS)} for rows 1–4, ${String(POOL_REPETITIONS)} for row 5, ${String(TOOL_REPETITIONS)} for rows 6–9 (6–7 on ${process.version}, 8–9 the same on Node ${String(LTS_NODE_MAJOR)}), ${String(SERVER_REPETITIONS)} for row 10`,
    dataset: `Dataset: ${SEED_ROWS.toLocaleString("en-US")} rows (users, posts → users, comments → posts)`,
    benchSeconds: (performance.now() - started) / MS_PER_S,
  };
  await writeFile(`${RESULTS_BASE}.md`, markdownReport(rows, info));
  await writeFile(`${RESULTS_BASE}.json`, jsonReport(rows, info));
  await writeFile(`${RESULTS_BASE}.svg`, svgChart(rows));
  process.stdout.write(`\n${markdownTable(rows)}\n\n`);
  log(`wrote bench/results.md, bench/results.json and bench/results.svg`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
