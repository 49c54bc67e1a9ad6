import { findOwnModules, UsageError } from "../../src/devkit/index.js";
import type { FileHost } from "../../src/devkit/index.js";

/**
 * A repo that holds this tool's modules but no perf-backend.json lost the record of what they are: init would take
 * them for the repo's own code and place a second pool and a `perf-` copy of every module beside them.
 */
export function refuseOrphanModules(host: FileHost, srcDir: string): void {
  const found = findOwnModules(host, srcDir);
  if (found.length === 0) return;
  throw new UsageError(
    `This repo already holds create-perf-backend's modules (${found.join(", ")}) but no perf-backend.json, the record of where they are and what was generated. ` +
      "init would add a second pool and a copy of each module beside them. Restore perf-backend.json instead " +
      "(`git checkout -- perf-backend.json`, or from a backup); to start over, delete those modules (and their tests) first, then run init.",
  );
}
