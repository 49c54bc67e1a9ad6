import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Node binary for measured processes (default: the one running the bench). */
  node?: string;
  /** Kill the child after this long (default STEP_TIMEOUT_MS); the error then says it timed out. */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ProcessCost {
  ms: number;
  maxRssKib: number;
}

const GNU_TIME = "/usr/bin/time";
const MAX_RSS_PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), "max-rss.js");
const STEP_TIMEOUT_MS = 240_000;
const OUTPUT_TAIL_CHARS = 4000;
const MS_PER_S = 1000;

// Children run in their own process group, so a timeout kills what they started too (GNU time's node, npm's
// scripts): killing only the direct child would leave a grandchild holding the pipes open, and the bench waiting.
const running = new Set<number>();
const killGroup = (pid: number): void => {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
};
process.once("exit", () => {
  for (const pid of running) killGroup(pid);
});

/** Runs a command without a TTY; rejects with its output when it fails or times out, so a broken step names itself. */
export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timeout = options.timeoutMs ?? STEP_TIMEOUT_MS;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", CI: "true", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const pid = child.pid;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, timeout);
    if (pid !== undefined) running.add(pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      const ms = performance.now() - started;
      if (code === 0 && !timedOut) {
        resolve({ stdout, stderr, ms });
        return;
      }
      const output = `${stdout}\n${stderr}`.slice(-OUTPUT_TAIL_CHARS);
      const why = timedOut
        ? `timed out after ${String(Math.round(timeout / MS_PER_S))} s, killed`
        : (signal ?? `exit ${String(code)}`);
      reject(new Error(`${why}: \`${command} ${args.join(" ")}\` in ${options.cwd}\n${output}`));
    });
  });
}

/**
 * Whole-process wall time and peak RSS of one `node <script> ...` run: GNU time when the machine has it,
 * otherwise an in-process probe (bench/max-rss.js) that reads process.resourceUsage() on exit.
 */
export async function measureNodeProcess(script: string, args: string[], options: RunOptions): Promise<ProcessCost> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "cpb-bench-rss-"));
  const rssFile = path.join(scratch, "max-rss");
  const node = options.node ?? process.execPath;
  try {
    const { ms } = existsSync(GNU_TIME)
      ? await run(GNU_TIME, ["-f", "%M", "-o", rssFile, node, script, ...args], options)
      : await run(node, [MAX_RSS_PROBE, script, ...args], {
          ...options,
          env: { ...options.env, BENCH_MAX_RSS_FILE: rssFile },
        });
    const maxRssKib = Number((await readFile(rssFile, "utf8")).trim().split("\n").at(-1));
    if (!Number.isFinite(maxRssKib)) throw new Error(`no peak RSS recorded for ${script}`);
    return { ms, maxRssKib };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
