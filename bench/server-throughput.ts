// Row 10: requests/s of the generated server (built, `node dist/main.js`) with its per-request measurement off
// (MEASUREMENT=false) and on, in the same run: both servers run side by side and are loaded in turn, the order
// alternating per repetition, so drift of a shared machine hits both alike.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";

import { run } from "./processes.js";
import type { Measurement } from "./stats.js";

// One statement (select 1) and a Redis PING: the smallest route that goes through the measured pool.
const REQUEST_PATH = "/readyz";
const LOAD_CONCURRENCY = 16;
const LOAD_DURATION_MS = 3000;
const WARMUP_MS = 1500;
const READY_POLL_MS = 200;
const READY_ATTEMPTS = 150;
const MS_PER_S = 1000;
const HTTP_OK = 200;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function get(port: number, agent?: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: REQUEST_PATH, agent }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
  });
}

async function startServer(project: string, env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: project,
    // warn: request logging at info would cost the same on both sides and hide the difference.
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", SHUTDOWN_DRAIN_DELAY_MS: "0" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
    const status = await get(port).catch(() => 0);
    if (status === HTTP_OK) return { port, child };
    await delay(READY_POLL_MS);
  }
  child.kill("SIGKILL");
  throw new Error(`the generated server did not become ready on port ${String(port)}`);
}

/** Requests per second over `durationMs` at LOAD_CONCURRENCY keep-alive connections; any non-200 fails the row. */
async function load(port: number, durationMs: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: LOAD_CONCURRENCY });
  const started = performance.now();
  const deadline = started + durationMs;
  let completed = 0;
  try {
    await Promise.all(
      Array.from({ length: LOAD_CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const status = await get(port, agent);
          if (status !== HTTP_OK) throw new Error(`GET ${REQUEST_PATH} answered ${String(status)} under load`);
          completed += 1;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return completed / ((performance.now() - started) / MS_PER_S);
}

export async function measureMeasurementCost(project: string, env: Record<string, string>, repetitions: number): Promise<Measurement> {
  await run("npm", ["run", "build"], { cwd: project });
  const without = await startServer(project, { ...env, MEASUREMENT: "false" });
  const withMeasurement = await startServer(project, { ...env, MEASUREMENT: "true", SERVER_TIMING: "true" });
  const row: Measurement = {
    id: "measurement-cost",
    comparison: `10. generated server, GET ${REQUEST_PATH} (1 statement + Redis PING) at concurrency ${String(LOAD_CONCURRENCY)}`,
    metric: "throughput",
    unit: "req/s",
    betterIs: "higher",
    baselineLabel: "MEASUREMENT=false",
    oursLabel: "per-request measurement on (statement timing, Server-Timing, N+1 check, metrics)",
    counted: `requests completed per second over ${String(LOAD_DURATION_MS / MS_PER_S)} s each, the two servers loaded in turn (order alternating)`,
    baseline: [],
    ours: [],
  };
  try {
    await load(without.port, WARMUP_MS);
    await load(withMeasurement.port, WARMUP_MS);
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const withFirst = repetition % 2 === 1;
      if (withFirst) row.ours.push(await load(withMeasurement.port, LOAD_DURATION_MS));
      row.baseline.push(await load(without.port, LOAD_DURATION_MS));
      if (!withFirst) row.ours.push(await load(withMeasurement.port, LOAD_DURATION_MS));
    }
  } finally {
    without.child.kill("SIGKILL");
    withMeasurement.child.kill("SIGKILL");
  }
  return row;
}
