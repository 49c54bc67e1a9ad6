import { existsSync } from "node:fs";
import { mkdir, rmdir } from "node:fs/promises";
import path from "node:path";

import { applyDefaultImports } from "./ast/default-imports.js";
import { applyEsLib } from "./ast/es-lib.js";
import { applyImportStyle } from "./ast/module-specifiers.js";
import { relocateTests, withMovedPaths } from "./ast/relocate-tests.js";
import { describeRecovery, journalPath, recoverInterruptedCommit } from "./commit/commit-journal.js";
import type { CommitFs } from "./commit/commit.js";
import { commitEntries, diskCommitFs } from "./commit/commit.js";
import { assertEditableFiles } from "./commit/edit-guards.js";
import { acquireProjectLock, LockHeldError } from "./commit/project-lock.js";
import type { ProjectLock } from "./commit/project-lock.js";
import { detectPackageManager } from "./detect.js";
import { formatGeneratedFiles } from "./format/format-files.js";
import type { DeferredTask, GeneratorResult } from "./generator.js";
import { hashContent } from "./hash.js";
import { createDiskHost } from "./host.js";
import type { FileHost } from "./host.js";
import { MANIFEST_FILE, readManifest, serializeManifest } from "./manifest.js";
import type { Manifest } from "./manifest.js";
import { ConflictError, GenerationError, UsageError } from "./output/errors.js";
import type { Reporter } from "./output/reporter.js";
import { PACKAGE_JSON } from "./packages/package-json.js";
import { formatCommand, installCommand } from "./packages/package-manager.js";
import { assertPathLimits } from "./path-limits.js";
import { createPlan, planConflicts, planWrites, replanFile } from "./plan.js";
import type { ConflictPolicy, Plan } from "./plan.js";
import { attachReadCache, projectCacheDir } from "./read-cache.js";
import { runTasks } from "./tasks.js";
import type { TaskOutcome } from "./tasks.js";
import { Tree } from "./tree.js";
import { hasNodeModules } from "./typecheck/installed-packages.js";
import { workspaceRootFromPackage } from "./workspace-root.js";

export interface PipelineOptions {
  /** Absolute directory the tree is rooted at. */
  root: string;
  /** Stages the changes (a generator bound to its options). */
  generate: (tree: Tree) => GeneratorResult | Promise<GeneratorResult>;
  /** perf-backend.json as it is on disk, when the caller has parsed it already (undefined: read it here). */
  manifest?: Manifest | null;
  dryRun: boolean;
  policy: ConflictPolicy;
  reporter: Reporter;
  /** Tests: a virtual workspace instead of the disk. */
  host?: FileHost;
  /** Tests: a file system that fails part-way. */
  commitFs?: CommitFs;
  /** Skip deferred tasks (tests, or a caller that runs them itself). */
  skipTasks?: boolean;
  /** --no-install: dependency installs become a next step instead of a task. */
  skipInstall?: boolean;
  /**
   * Typecheck the staged TypeScript files against the repo's tsconfig before anything is written. Default: when
   * the tsconfig is the repo's own (not one this tool generated and the e2e suite proves), and never on a virtual host.
   */
  typecheck?: boolean;
  /** --wait: wait for another run that holds the project lock instead of failing. */
  waitForLock?: boolean;
  /** What this run is, for the lock's owner record (e.g. "generate cache"). */
  command?: string;
  /**
   * The run makes a new project at `root` (create): another run found at it (by its claim or its lock) is the user
   * starting two creates into one directory, refused as a usage problem (exit 2) whichever check sees it first.
   */
  newProject?: boolean;
}

export interface RunResult {
  plan: Plan;
  dryRun: boolean;
  written: string[];
  tasks: DeferredTask[];
  taskOutcomes: TaskOutcome[];
  nextSteps: string[];
  notes: string[];
  facts: Record<string, string>;
}

/**
 * Stages the hash of every generated file this run leaves in place, so later runs can tell user edits
 * apart. Returns whether the manifest changed.
 */
function recordGeneratedFiles(tree: Tree, plan: Plan, manifest: Manifest): boolean {
  const files = { ...manifest.files };
  for (const entry of plan.entries) {
    if (entry.after === null || entry.path === MANIFEST_FILE) continue;
    // An edit (barrel, relations) of a generated file nobody touched keeps it tool-owned.
    const owned =
      entry.kind === "generate" || (entry.before !== null && manifest.files[entry.path] === hashContent(entry.before));
    if (owned && (entry.write || entry.action === "unchanged")) files[entry.path] = hashContent(entry.after);
  }
  const changed = Object.keys(files).some((file) => files[file] !== manifest.files[file]);
  if (changed) tree.write(MANIFEST_FILE, serializeManifest({ ...manifest, files }), { kind: "edit" });
  return changed;
}

const TSCONFIG = "tsconfig.json";

/** Packages a staged package.json adds or re-pins, with the folder of the package.json that declares them. */
function addedPackages(
  run: PipelineOptions,
  tree: Tree,
  manifests: readonly string[],
  declaredDependencies: (manifest: string | null) => Map<string, string>,
): Map<string, { spec: string; manifestDir: string }> {
  const added = new Map<string, { spec: string; manifestDir: string }>();
  for (const file of manifests) {
    const before = declaredDependencies(tree.readOriginal(file));
    for (const [name, spec] of declaredDependencies(tree.read(file))) {
      if (before.get(name) !== spec) added.set(name, { spec, manifestDir: path.dirname(path.resolve(run.root, file)) });
    }
  }
  return added;
}

/**
 * Angular's "validate before any write": a run that would leave the repo's typecheck worse than it found it stops
 * (exit 1), and so does a repo whose declared packages are not installed (its check would be a TS2307 cascade).
 */
async function validateTypes(run: PipelineOptions, tree: Tree): Promise<void> {
  // Nothing installed from here up (a new project, a fresh clone): no TypeScript to check with, said without
  // loading the checker and semver, which a create run would otherwise load for nothing.
  if (!hasNodeModules(run.root)) {
    run.reporter.info(
      `Typecheck skipped: TypeScript is not installed in ${run.root} (install dependencies, then run again to check).`,
    );
    return;
  }
  const [{ declaredDependencies, missingDeclaredPackages }, { importedPackages, typecheckStaged }] = await Promise.all([
    import("./typecheck/typecheck-packages.js"),
    import("./typecheck/typecheck.js"),
  ]);
  // Dev tools may go to the workspace root's package.json: not installed yet either.
  const manifests = [PACKAGE_JSON, ...(tree.workspaceManifest ? [tree.workspaceManifest] : [])];
  // Only what the generated code imports: the rest is the repo's own business (its baseline has those errors).
  const imported = new Set(
    tree
      .changes()
      .filter((change) => /\.[cm]?[jt]sx?$/.test(change.path))
      .flatMap((change) => importedPackages(change.content)),
  );
  const missing = missingDeclaredPackages(
    run.root,
    manifests.map((file) => tree.readOriginal(file)),
  ).filter(
    (name) =>
      imported.has(name) ||
      imported.has(name.replace(/^@types\/(?:(.+)__)?/, (_match, scope?: string) => (scope ? `@${scope}/` : ""))),
  );
  if (missing.length > 0) {
    const install = formatCommand(installCommand(await detectPackageManager(run.root)));
    throw new GenerationError(`package.json declares ${missing.join(", ")}, not installed here; nothing was written.`, [
      `Run \`${install}\` first, then run this again: the typecheck that proves this run leaves the repo green needs them.`,
      "Or pass --no-typecheck to write without that check.",
    ]);
  }
  const added = addedPackages(run, tree, manifests, declaredDependencies);
  const check = await run.reporter.step("Typechecking the repo with the generated files", () =>
    typecheckStaged(run.root, tree, { addedPackages: added }),
  );
  if (check.skipped !== null) {
    run.reporter.info(`Typecheck skipped: ${check.skipped}.`);
    return;
  }
  const baseline = check.baselineCached ? "baseline cached" : "baseline computed";
  const took = `${String(Math.round(check.ms))} ms, TypeScript ${check.version ?? "?"}, ${baseline}`;
  if (check.diagnostics.length > 0) {
    throw new GenerationError(
      `This run would add ${String(check.diagnostics.length)} TypeScript error(s) to the repo (${took}); nothing was written.`,
      [
        ...check.diagnostics,
        "Fix the cause (often a tsconfig target or lib, or a declared type), or pass --no-typecheck to write anyway.",
      ],
    );
  }
  const preexisting =
    check.preexisting > 0 ? `; the ${String(check.preexisting)} error(s) it already had are unchanged` : "";
  run.reporter.info(`Typechecked the repo with the generated files: no new errors (${took})${preexisting}.`);
}

/**
 * A run that writes holds the project lock from before the generator reads the tree until its tasks are done,
 * after undoing whatever an interrupted earlier run left half-written. A dry run only reads.
 */
async function prepareDisk(run: PipelineOptions): Promise<ProjectLock | null> {
  if (run.host || !existsSync(run.root)) return null;
  const fs = run.commitFs ?? diskCommitFs;
  if (run.dryRun) {
    if (existsSync(journalPath(run.root)))
      run.reporter.warn(
        "An earlier run was interrupted while writing; run without --dry-run to restore the files it left.",
      );
    return null;
  }
  const lock = await acquireProjectLock(run.root, { wait: run.waitForLock, command: run.command });
  try {
    for (const note of lock.notes) run.reporter.warn(note);
    const unfinishedJournal = existsSync(`${journalPath(run.root)}.tmp`) && !existsSync(journalPath(run.root));
    const recovery = await recoverInterruptedCommit(fs, run.root);
    if (unfinishedJournal)
      run.reporter.warn("An earlier run was interrupted before it wrote anything; removed its unfinished journal.");
    if (recovery) {
      run.reporter.warn(describeRecovery(recovery));
      if (recovery.failures.length > 0) {
        throw new GenerationError(
          "Could not undo what an interrupted run left behind; nothing was written.",
          recovery.failures,
        );
      }
    }
  } catch (error) {
    await lock.release();
    throw error;
  }
  return lock;
}

/** The whole flow of one run: generate, validate, plan, commit atomically, then deferred tasks. */
export async function runPipeline(run: PipelineOptions): Promise<RunResult> {
  // A new project's directory is claimed (made and locked) before anything reads it.
  let claim: RootClaim | null;
  let lock: ProjectLock | null;
  try {
    claim = !run.host && !run.dryRun && !existsSync(run.root) ? await claimNewRoot(run.root, run.command) : null;
    lock = claim ? claim.lock : await prepareDisk(run);
  } catch (error) {
    throw run.newProject && error instanceof LockHeldError ? anotherCreate(run.root, error) : error;
  }
  let finished = false;
  try {
    const result = await runLocked(run, lock);
    finished = true;
    return result;
  } finally {
    // A run that failed leaves no empty directory behind.
    await (claim && !finished ? claim.undo() : lock?.release());
  }
}

async function runLocked(run: PipelineOptions, lock: ProjectLock | null): Promise<RunResult> {
  // In a workspace package, the workspace root's package.json is the one file above the root the run may edit.
  const tree = new Tree(run.host ?? createDiskHost(run.root, { workspaceRoot: workspaceRootFromPackage(run.root) }));
  // On the disk, reads that are pure functions of files (the schema model) are reused across runs.
  if (!run.host) attachReadCache(tree, projectCacheDir(run.root));
  // Under the lock the manifest is read again: another run may have recorded files since the caller parsed it.
  const original = run.manifest === undefined || lock ? readManifest(tree) : run.manifest;
  const result = await run.generate(tree);
  // create and init stage the manifest themselves; everyone else leaves it as it was.
  const staged = tree.isStaged(MANIFEST_FILE) ? readManifest(tree, false) : original;
  let generated = tree
    .changes()
    .filter((change) => change.kind === "generate")
    .map((change) => change.path);
  // Tests moved to layout.testsDir: the generator's hints name them where they are (`npx vitest run test/...`).
  let movedTests = new Map<string, string>();
  if (staged) {
    const relocated = await relocateTests(tree, generated, staged.layout);
    movedTests = new Map(
      generated.flatMap((file, index) =>
        relocated[index] !== undefined && relocated[index] !== file ? [[file, relocated[index]] as const] : [],
      ),
    );
    generated = relocated;
    await applyImportStyle(tree, generated, staged.layout);
    await applyEsLib(tree, generated, staged.layout);
    await applyDefaultImports(tree, generated, staged.layout);
  }
  // The repo's Prettier or Biome has the last word on our files (new ones, and ours an AST edit touched;
  // never the repo's own): hashes are taken after it.
  const ours = tree
    .changes()
    .filter((change) => change.kind === "generate" || original?.files[change.path] !== undefined);
  const oursPaths = ours.map((change) => change.path);
  const formatNotes = await formatGeneratedFiles(run.root, tree, tree, oursPaths, {
    ...(staged ? { srcDir: staged.layout.srcDir } : {}),
    ours: new Set([...oursPaths, ...Object.keys(original?.files ?? {})]),
  });
  const planOptions = { policy: run.policy, ownedHashes: original?.files ?? {} };
  let plan = createPlan(tree, planOptions);
  if (staged && recordGeneratedFiles(tree, plan, staged)) plan = replanFile(plan, tree, MANIFEST_FILE, planOptions);
  assertPathLimits(
    run.root,
    plan.entries.filter((entry) => entry.after !== null).map((entry) => entry.path),
  );
  assertEditableFiles(plan.entries, run.host ? null : run.root);

  const notes = [...(result.notes ?? []).map((note) => withMovedPaths(note, movedTests)), ...formatNotes];
  for (const note of notes) run.reporter.info(note);
  run.reporter.plan(plan, { dryRun: run.dryRun });

  const conflicts = planConflicts(plan);
  if (conflicts.length > 0 && run.policy === "abort") {
    throw new ConflictError(`${String(conflicts.length)} conflict(s); nothing was written.`, [
      ...conflicts.map((entry) => `${entry.path}: ${entry.reason ?? "conflict"}`),
      "Re-run with --on-conflict skip (keep your files) or --on-conflict overwrite (replace them); --dry-run shows the diffs.",
    ]);
  }

  const ownTsconfig =
    original?.files[TSCONFIG] !== undefined &&
    original.files[TSCONFIG] === hashContent(tree.readOriginal(TSCONFIG) ?? "");
  if (run.typecheck ?? (!run.host && !ownTsconfig)) await validateTypes(run, tree);
  else if (run.typecheck === false)
    run.reporter.info("Not verified (--no-typecheck): whether the repo still typechecks with these files.");

  const install = (result.tasks ?? []).find((task) => task.kind === "install");
  const tasks = (result.tasks ?? []).filter((task) => !(run.skipInstall && task.kind === "install"));
  const nextSteps = [
    ...(run.skipInstall && install?.kind === "install"
      ? [`${formatCommand(installCommand(install.packageManager))}   # new dependencies were added`]
      : []),
    ...(result.nextSteps ?? []).map((step) => withMovedPaths(step, movedTests)),
  ];
  const facts = result.facts ?? {};
  const writes = planWrites(plan);
  if (run.dryRun) return { plan, dryRun: true, written: [], tasks, taskOutcomes: [], nextSteps, notes, facts };
  if (lock?.compromised) {
    throw new GenerationError(
      `Lost the project lock before writing (${lock.compromised.message}); nothing was written.`,
      ["Run again."],
    );
  }

  const leftovers = await commitEntries(run.root, writes, run.commitFs ?? diskCommitFs);
  if (leftovers.length > 0)
    run.reporter.warn(`Written, but these backup files could not be removed: ${leftovers.join(", ")}`);
  run.reporter.info(`Wrote ${String(writes.length)} file(s).`);
  const taskOutcomes = run.skipTasks ? [] : await runTasks(run.root, tasks, run.reporter);
  return {
    plan,
    dryRun: false,
    written: writes.map((entry) => entry.path),
    tasks,
    taskOutcomes,
    nextSteps,
    notes,
    facts,
  };
}

const ANOTHER_CREATE = "another run is creating a project there; nothing was written.";
const ANOTHER_CREATE_HINT = "Let that run finish, then create this project in another directory.";

/** The lock on a new project's directory is another create's, taken between its mkdir and ours or after it. */
function anotherCreate(root: string, held: LockHeldError): UsageError {
  return new UsageError(`${root} is locked: ${ANOTHER_CREATE}`, [held.message, ANOTHER_CREATE_HINT]);
}

interface RootClaim {
  lock: ProjectLock;
  /** Releases the lock and removes the directories the claim made (empty again after a failed commit). */
  undo: () => Promise<void>;
}

/**
 * A new project's directory has no lock to take: it is made without `recursive` (so a second create into it fails
 * here: exit 2, never two projects laid one over the other) and locked at once, so a run that finds it already
 * there waits for this one or is refused, then sees the finished project.
 */
async function claimNewRoot(root: string, command: string | undefined): Promise<RootClaim> {
  const cannotCreate = (error: unknown): GenerationError =>
    new GenerationError(`Cannot create ${root}: ${(error as Error).message}; nothing was written.`, [
      "Check the path and its permissions, then run again.",
    ]);
  const firstMade = await mkdir(path.dirname(root), { recursive: true }).catch((error: unknown) => {
    throw cannotCreate(error);
  });
  const removeMade = async (): Promise<void> => {
    await rmdir(root).catch(() => undefined);
    for (let dir = path.dirname(root); firstMade && dir.startsWith(firstMade); dir = path.dirname(dir))
      await rmdir(dir).catch(() => undefined);
  };
  try {
    await mkdir(root);
  } catch (error) {
    if (firstMade) await removeMade();
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw cannotCreate(error);
    throw new UsageError(`${root} appeared as this run started: ${ANOTHER_CREATE}`, [ANOTHER_CREATE_HINT]);
  }
  let lock: ProjectLock;
  try {
    lock = await acquireProjectLock(root, { command });
  } catch (error) {
    await removeMade();
    throw error;
  }
  return {
    lock,
    undo: async () => {
      await lock.release();
      await removeMade();
    },
  };
}
