// Row 10: requests/s of the generated server (built, `node dist/main.js`) with its per-request measurement off
// (MEASUREMENT=false) and on, in the same run: both servers run side by side and are loaded in turn, the order
// alternating per repetition, so drift of a shared machine hits both alike. Beside throughput, the server's own
// CPU time per request (from /proc) at a fixed offered rate sent to both servers at once: each request costs the
// same whether or not the machine is busy, where throughput swings with whatever else runs.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";

import { LTS_NODE_MAJOR } from "./lts-node.js";
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
const US_PER_S = 1_000_000;
const HTTP_OK = 200;
// The paced phase: a rate both servers answer with room to spare on 2 cores, so neither queues.
const PACED_RATE_PER_S = 400;
const PACED_DURATION_MS = 5000;
const PACED_MAX_IN_FLIGHT = 64;
// /proc/<pid>/stat: utime and stime are fields 14 and 15, counted in clock ticks (USER_HZ, 100 on Linux).
const PROC_STAT_UTIME_FIELD = 14;
const CLOCK_TICKS_PER_S = 100;

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

interface Server {
  port: number;
  child: ChildProcess;
}

/** CPU seconds (user + system) a process has used so far; NaN off Linux. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const stat = await readFile(`/proc/${String(pid)}/stat`, "utf8").catch(() => "");
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const first = PROC_STAT_UTIME_FIELD - 3;
  return (Number(fields[first]) + Number(fields[first + 1])) / CLOCK_TICKS_PER_S;
}

async function startServer(node: string, project: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(node, ["dist/main.js"], {
    cwd: project,
    // warn: request logging at info would cost the same on both sides and hide the difference.
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SHUTDOWN_DRAIN_DELAY_MS: "0",
    },
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
async function load({ port }: Server, durationMs: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: LOAD_CONCURRENCY });
  const started = performance.now();
  const deadline = started + durationMs;
  let completed = 0;
  try {
    await Promise.all(
      Array.from({ length: LOAD_CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          await expectOk(port, agent);
          completed += 1;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return completed / ((performance.now() - started) / MS_PER_S);
}

async function expectOk(port: number, agent: http.Agent): Promise<void> {
  const status = await get(port, agent);
  if (status !== HTTP_OK) throw new Error(`GET ${REQUEST_PATH} answered ${String(status)} under load`);
}

/**
 * Server CPU µs per request for each server, offered the same PACED_RATE_PER_S requests at the same instants:
 * an open loop, so a slower server cannot receive fewer requests. Empty off Linux (no /proc).
 */
async function pacedCpuPerRequest(servers: Server[], durationMs: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: PACED_MAX_IN_FLIGHT });
  const before = await Promise.all(servers.map(async ({ child }) => cpuSeconds(child.pid)));
  const started = performance.now();
  const intervalMs = MS_PER_S / PACED_RATE_PER_S;
  const inFlight: Array<Promise<void>> = [];
  let sent = 0;
  try {
    while (performance.now() - started < durationMs) {
      const wait = started + sent * intervalMs - performance.now();
      if (wait > 1) await delay(wait);
      for (const { port } of servers) inFlight.push(expectOk(port, agent));
      sent += 1;
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  const after = await Promise.all(servers.map(async ({ child }) => cpuSeconds(child.pid)));
  return Number.isFinite(before[0])
    ? after.map((seconds, index) => ((seconds - (before[index] ?? 0)) * US_PER_S) / sent)
    : [];
}

export interface ServerRun {
  /** The Node binary the two servers run on. */
  node: string;
  /** Appended to row ids and shown in the comparison, e.g. "-node24" / "(Node 24) ". */
  idSuffix: string;
  label: string;
}

/** The Node running the bench, and the current LTS where it could be installed. */
export function serverRuns(lts: string | null): ServerRun[] {
  const runs: ServerRun[] = [{ node: process.execPath, idSuffix: "", label: "" }];
  if (lts)
    runs.push({ node: lts, idSuffix: `-node${String(LTS_NODE_MAJOR)}`, label: `(Node ${String(LTS_NODE_MAJOR)}) ` });
  return runs;
}

/** Row 10 and its CPU companion: the same two servers, throughput rounds and then paced rounds. */
export async function measureMeasurementCost(
  project: string,
  env: Record<string, string>,
  repetitions: number,
  server: ServerRun,
): Promise<Measurement[]> {
  await run("npm", ["run", "build"], { cwd: project });
  const without = await startServer(server.node, project, { ...env, MEASUREMENT: "false" });
  const withMeasurement = await startServer(server.node, project, {
    ...env,
    MEASUREMENT: "true",
    SERVER_TIMING: "true",
  });
  const comparison = `10. ${server.label}generated server, GET ${REQUEST_PATH} (1 statement + Redis PING) at concurrency ${String(LOAD_CONCURRENCY)}`;
  const row = (
    id: string,
    metric: string,
    unit: string,
    betterIs: Measurement["betterIs"],
    counted: string,
  ): Measurement => ({
    id: `${id}${server.idSuffix}`,
    comparison,
    metric,
    unit,
    betterIs,
    baselineLabel: "MEASUREMENT=false",
    oursLabel: "per-request measurement on (statement timing, Server-Timing, N+1 check, metrics)",
    counted,
    baseline: [],
    ours: [],
  });
  const loadSeconds = String(LOAD_DURATION_MS / MS_PER_S);
  const throughput = row(
    "measurement-cost",
    "throughput",
    "req/s",
    "higher",
    `requests completed per second over ${loadSeconds} s each, the two servers loaded in turn (order alternating)`,
  );
  const cpu = row(
    "measurement-cpu",
    "server CPU per request",
    "µs",
    "lower",
    `user + system CPU of the server process (/proc) while both servers are sent ${String(PACED_RATE_PER_S)} requests/s at the same instants, ${String(PACED_DURATION_MS / MS_PER_S)} s per round`,
  );
  try {
    await load(without, WARMUP_MS);
    await load(withMeasurement, WARMUP_MS);
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const withFirst = repetition % 2 === 1;
      if (withFirst) throughput.ours.push(await load(withMeasurement, LOAD_DURATION_MS));
      throughput.baseline.push(await load(without, LOAD_DURATION_MS));
      if (!withFirst) throughput.ours.push(await load(withMeasurement, LOAD_DURATION_MS));
    }
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const [baseline, ours] = await pacedCpuPerRequest([without, withMeasurement], PACED_DURATION_MS);
      if (baseline !== undefined && ours !== undefined) {
        cpu.baseline.push(baseline);
        cpu.ours.push(ours);
      }
    }
  } finally {
    without.child.kill("SIGKILL");
    withMeasurement.child.kill("SIGKILL");
  }
  return cpu.baseline.length === 0 ? [throughput] : [throughput, cpu];
}
