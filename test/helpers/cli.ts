import path from "node:path";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

import { execa } from "execa";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(REPO_ROOT, "bin/create-perf-backend.js");
const CLI_TIMEOUT_MS = 120_000;

/** Runs the built CLI as a user would, without a TTY and with stdin closed. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  return execa("node", [BIN, ...args], {
    cwd: options.cwd,
    env: { ...options.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    reject: false,
    stdin: "ignore",
    timeout: CLI_TIMEOUT_MS,
  });
}

/** Runs the CLI in this process (no node start-up, ts-morph loaded once): for suites that run it many times. */
export async function runMain(
  args: string[],
  cwd: string,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { main } = await import("../../src/cli/main.js");
  const collect = (): { stream: Writable; text: () => string } => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return { stream, text: () => chunks.join("") };
  };
  const stdout = collect();
  const stderr = collect();
  const exitCode = await main(args, {
    cwd,
    env: { NO_COLOR: "1" },
    stdin: Readable.from([]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    interactive: false,
  });
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}
