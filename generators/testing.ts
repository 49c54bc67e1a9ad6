import { createMemoryHost } from "../src/core/host.js";
import { silentReporter } from "../src/core/output/reporter.js";
import type { ConflictPolicy, PlanEntry } from "../src/core/plan.js";
import type { AskFunction, RawInput } from "../src/devkit/index.js";
import { runDefinition } from "../src/devkit/runner.js";
import type { DefinitionRunResult } from "../src/devkit/runner.js";
import { findGenerator } from "./index.js";

/** Where virtual projects live; nothing is ever read from or written to it. */
export const VIRTUAL_ROOT = "/virtual/demo";

export type VirtualFiles = Readonly<Record<string, string>>;

export interface GeneratorRun {
  result: DefinitionRunResult;
  /** The workspace after the run (what a real run would leave on disk). */
  files: Record<string, string>;
  /** Plan entries the run writes, as `kind path` (e.g. `generate src/cache/x-cache.ts`). */
  changes: string[];
  read(path: string): string | undefined;
}

export interface RunGeneratorOptions {
  policy?: ConflictPolicy;
  /** Answers the generator's questions and dialogue (a terminal user); without it nothing is asked. */
  ask?: AskFunction;
  packageManager?: "npm" | "pnpm" | "yarn" | "bun";
  /** Where the run says it is (default VIRTUAL_ROOT): a folder on disk when a spec needs what surrounds it (a workspace root). */
  cwd?: string;
  /** The workspace root relative to the package (`../..`): `files` may then hold its package.json (`../../package.json`). */
  workspaceRoot?: string;
}

/**
 * Runs a registered generator the way the CLI does (registry, option parsing, normalize, pipeline) on a
 * virtual workspace, as a dry run: Angular's SchematicTestRunner.runSchematic, Nx's generator specs.
 */
export async function runGenerator(
  name: string,
  input: RawInput,
  files: VirtualFiles,
  options: RunGeneratorOptions = {},
): Promise<GeneratorRun> {
  const definition = findGenerator(name);
  if (!definition) throw new Error(`No generator named ${name}`);
  const result = await runDefinition(definition, {
    cwd: options.cwd ?? VIRTUAL_ROOT,
    input,
    ask: options.ask ?? (() => Promise.resolve({})),
    interactive: options.ask !== undefined,
    dryRun: true,
    policy: options.policy ?? "abort",
    reporter: silentReporter,
    host: createMemoryHost(files, { workspaceRoot: options.workspaceRoot ?? null }),
    fallbackPackageManager: options.packageManager ?? "npm",
  });
  const writes: PlanEntry[] = result.plan.entries.filter((entry) => entry.write && entry.after !== null);
  const after = { ...files, ...Object.fromEntries(writes.map((entry) => [entry.path, entry.after ?? ""])) };
  return {
    result,
    files: after,
    changes: writes.map((entry) => `${entry.kind} ${entry.path}`),
    read: (path) => after[path],
  };
}

/** A new project as `create` makes it (Nx's createTreeWithEmptyWorkspace, with our base modules). */
export async function createBaseProject(
  options: { server?: boolean; drizzle?: "0" | "1" } = {},
): Promise<Record<string, string>> {
  const run = await runGenerator(
    "app",
    {
      directory: VIRTUAL_ROOT,
      server: options.server ?? true,
      install: false,
      git: false,
      toolSpec: "^0.1.0",
      ...(options.drizzle ? { drizzle: options.drizzle } : {}),
    },
    {},
  );
  return run.files;
}
