import path from "node:path";
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
