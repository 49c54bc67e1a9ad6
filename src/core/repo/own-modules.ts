import type { FileHost } from "../host.js";

// Modules only this tool writes, by folder (below the source root) and a declaration no other code would carry.
// init places each under its own name, or with a `perf-` prefix when the name is taken.
const OWN_MODULES = [
  { dir: "observability", name: "measured-pool.ts", marker: "export function createMeasuredPool(" },
  { dir: "observability", name: "expect-statements.ts", marker: "export async function expectStatements<" },
  { dir: "observability", name: "cache-measurement.ts", marker: "export function recordCacheMiss(" },
  { dir: "workers", name: "resolve-worker-file.ts", marker: "export function resolveWorkerFile(" },
  { dir: "workers", name: "worker-pools.ts", marker: "export function registerWorkerPool(" },
] as const;
const TAKEN_PREFIX = "perf-";

/** The tool's own modules in a repo, found by what they declare (a run that lost perf-backend.json left them). */
export function findOwnModules(host: FileHost, srcDir: string): string[] {
  const found: string[] = [];
  for (const module of OWN_MODULES) {
    for (const name of [module.name, `${TAKEN_PREFIX}${module.name}`]) {
      const file = `${srcDir}/${module.dir}/${name}`;
      if (host.read(file)?.includes(module.marker)) found.push(file);
    }
  }
  return found;
}
