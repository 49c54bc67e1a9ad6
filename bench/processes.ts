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

/** Runs a command without a TTY; rejects with its output when it fails, so a broken step names itself. */
export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", CI: "true", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: STEP_TIMEOUT_MS,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const ms = performance.now() - started;
      if (code === 0) {
        resolve({ stdout, stderr, ms });
        return;
      }
      const output = `${stdout}\n${stderr}`.slice(-OUTPUT_TAIL_CHARS);
      reject(new Error(`\`${command} ${args.join(" ")}\` failed in ${options.cwd} (${signal ?? `exit ${String(code)}`}):\n${output}`));
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
      : await run(node, [MAX_RSS_PROBE, script, ...args], { ...options, env: { ...options.env, BENCH_MAX_RSS_FILE: rssFile } });
    const maxRssKib = Number((await readFile(rssFile, "utf8")).trim().split("\n").at(-1));
    if (!Number.isFinite(maxRssKib)) throw new Error(`no peak RSS recorded for ${script}`);
    return { ms, maxRssKib };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
