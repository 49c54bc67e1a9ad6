// `npm run bench:queue`: only the queue rows of `npm run bench` (scale-out throughput and the API event loop),
// on one scaffolded project with a `--queue` worker. Needs Redis. Prints the rows; writes nothing.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { run } from "./processes.js";
import { PROJECT_NAME, QUEUE_WORKER_STEP, runCli } from "./project.js";
import { measureQueueScaleOut } from "./queue-scale-out.js";
import { markdownTable } from "./report.js";
import { toRow } from "./stats.js";

const REPETITIONS = Number(process.env["BENCH_QUEUE_REPETITIONS"] ?? "3");
const MS_PER_S = 1000;
const INSTALL_ARGS = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

const started = performance.now();
const log = (message: string): void => {
  process.stderr.write(
    `[bench:queue ${((performance.now() - started) / MS_PER_S).toFixed(1).padStart(5)}s] ${message}\n`,
  );
};

const workDir = await mkdtemp(path.join(os.tmpdir(), "cpb-bench-queue-"));
try {
  log("scaffolding a project with a --queue worker, installing and building it");
  await runCli([PROJECT_NAME, "--yes", "--no-install", "--no-git"], workDir);
  const project = path.join(workDir, PROJECT_NAME);
  await runCli(["generate", ...QUEUE_WORKER_STEP, "--no-install"], project);
  await run("npm", INSTALL_ARGS, { cwd: project });
  await run("npm", ["run", "build"], { cwd: project });
  const { rows, extras } = await measureQueueScaleOut(project, REPETITIONS, log);
  process.stdout.write(`\n${markdownTable(rows.map(toRow))}\n\n`);
  process.stdout.write(
    `API event-loop p99 with the same jobs on its own local piscina pool (the default mode), per repetition: ${extras.localPoolP99Ms.map((value) => value.toFixed(1)).join(", ")} ms\n`,
  );
} finally {
  await rm(workDir, { recursive: true, force: true });
}
