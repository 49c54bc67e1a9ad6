import type { CommitFs } from "../core/commit/commit.js";
import type { GeneratorResult } from "../core/generator.js";
import type { FileHost } from "../core/host.js";
import type { Reporter } from "../core/output/reporter.js";
import type { PackageManager } from "../core/packages/package-manager.js";
import type { ConflictPolicy } from "../core/plan.js";
import { runPipeline } from "../core/run.js";
import type { RunResult } from "../core/run.js";
import type { Tree } from "../core/tree.js";
import { loadGeneratorContext } from "./context.js";
import type { AskFunction, GeneratorDefinition } from "./define-generator.js";
import type { RawInput } from "./options/parse.js";

export interface RunRequest {
  /** Absolute directory the run starts in. */
  cwd: string;
  /** Flags, answers or plop arguments already given, keyed by option name. */
  input: RawInput;
  /** Asks for what is missing; a front end without a terminal fails on required questions instead. */
  ask: AskFunction;
  /** Whether a generator's dialogue (interact) may run: a terminal or plop, never --yes/--json. */
  interactive: boolean;
  dryRun: boolean;
  policy: ConflictPolicy;
  reporter: Reporter;
  /** --no-install: dependency installs become a next step. */
  skipInstall?: boolean;
  /** --wait: wait for another run that holds the project lock instead of failing. */
  waitForLock?: boolean;
  /** What this run is, for the lock's owner record (e.g. "generate cache"). */
  command?: string;
  /** --no-typecheck: skip the check of generated files against the repo's tsconfig (on by default on the disk). */
  typecheck?: boolean;
  /** Package manager when the directory does not tell (create). */
  fallbackPackageManager?: PackageManager;
  /** Tests: a virtual workspace, a failing file system, no deferred tasks. */
  host?: FileHost;
  commitFs?: CommitFs;
  skipTasks?: boolean;
}

export interface DefinitionRunResult extends RunResult {
  /** Directory the run wrote into (the new project for create). */
  root: string;
}

/**
 * The one runner behind create, init, generate and the plop action (Angular's workflow: dry run and
 * real run are one pipeline with a different sink): context, questions, dialogue, normalize, then the
 * core pipeline (generate, validate, plan, commit, tasks).
 */
export async function runDefinition(
  definition: GeneratorDefinition,
  request: RunRequest,
): Promise<DefinitionRunResult> {
  const context = await loadGeneratorContext({
    cwd: request.cwd,
    project: definition.project,
    fallbackPackageManager: request.fallbackPackageManager,
    host: request.host,
  });
  let input: RawInput = { ...request.input, ...(await request.ask(definition.questions(request.input))) };
  if (definition.interact && request.interactive)
    input = { ...input, ...(await definition.interact(request.ask, input, context)) };
  const prepared = await definition.prepare(input, context);
  // Several lockfiles: the manager an install runs with is said, unless --pm chose it.
  const pmNote = input.packageManager === undefined ? context.packageManagerNote : null;
  const generate = async (tree: Tree): Promise<GeneratorResult> => {
    const generated = await prepared.generate(tree);
    const installs = (generated.tasks ?? []).some((task) => task.kind === "install");
    return pmNote && installs ? { ...generated, notes: [...(generated.notes ?? []), pmNote] } : generated;
  };
  const result = await runPipeline({
    root: prepared.root,
    generate,
    // The manifest parsed for the context is the one on disk, unless the run roots elsewhere (create).
    manifest: prepared.root === context.cwd ? context.manifest : undefined,
    dryRun: request.dryRun,
    policy: request.policy,
    reporter: request.reporter,
    skipInstall: request.skipInstall,
    typecheck: request.typecheck,
    waitForLock: request.waitForLock,
    command: request.command,
    newProject: definition.project === "none",
    host: request.host,
    commitFs: request.commitFs,
    skipTasks: request.skipTasks,
  });
  return { ...result, root: prepared.root };
}
