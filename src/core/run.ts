import { applyImportStyle } from "./ast/module-specifiers.js";
import type { CommitFs } from "./commit.js";
import { commitEntries, diskCommitFs } from "./commit.js";
import { ConflictError } from "./errors.js";
import { formatGeneratedFiles } from "./format-files.js";
import type { DeferredTask, GeneratorResult } from "./generator.js";
import { hashContent } from "./hash.js";
import { createDiskHost } from "./host.js";
import type { FileHost } from "./host.js";
import { MANIFEST_FILE, readManifest, serializeManifest } from "./manifest.js";
import type { Manifest } from "./manifest.js";
import { formatCommand, installCommand } from "./package-manager.js";
import { createPlan, planConflicts, planWrites, replanFile } from "./plan.js";
import type { ConflictPolicy, Plan } from "./plan.js";
import type { Reporter } from "./reporter.js";
import { runTasks } from "./tasks.js";
import type { TaskOutcome } from "./tasks.js";
import { Tree } from "./tree.js";

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
    const owned = entry.kind === "generate" || (entry.before !== null && manifest.files[entry.path] === hashContent(entry.before));
    if (owned && (entry.write || entry.action === "unchanged")) files[entry.path] = hashContent(entry.after);
  }
  const changed = Object.keys(files).some((file) => files[file] !== manifest.files[file]);
  if (changed) tree.write(MANIFEST_FILE, serializeManifest({ ...manifest, files }), { kind: "edit" });
  return changed;
}

/** The whole flow of one run: generate, validate, plan, commit atomically, then deferred tasks. */
export async function runPipeline(run: PipelineOptions): Promise<RunResult> {
  const tree = new Tree(run.host ?? createDiskHost(run.root));
  const original = run.manifest === undefined ? readManifest(tree) : run.manifest;
  const result = await run.generate(tree);
  // create and init stage the manifest themselves; everyone else leaves it as it was.
  const staged = tree.isStaged(MANIFEST_FILE) ? readManifest(tree, false) : original;
  const generated = tree.changes().filter((change) => change.kind === "generate").map((change) => change.path);
  if (staged) await applyImportStyle(tree, generated, staged.layout);
  // The repo's Prettier or Biome has the last word on our files (new ones, and ours an AST edit touched;
  // never the repo's own): hashes are taken after it.
  const ours = tree.changes().filter((change) => change.kind === "generate" || original?.files[change.path] !== undefined);
  const oursPaths = ours.map((change) => change.path);
  const formatNotes = await formatGeneratedFiles(run.root, tree, tree, oursPaths, {
    ...(staged ? { srcDir: staged.layout.srcDir } : {}),
    ours: new Set([...oursPaths, ...Object.keys(original?.files ?? {})]),
  });
  const planOptions = { policy: run.policy, ownedHashes: original?.files ?? {} };
  let plan = createPlan(tree, planOptions);
  if (staged && recordGeneratedFiles(tree, plan, staged)) plan = replanFile(plan, tree, MANIFEST_FILE, planOptions);

  const notes = [...(result.notes ?? []), ...formatNotes];
  for (const note of notes) run.reporter.info(note);
  run.reporter.plan(plan, { dryRun: run.dryRun });

  const conflicts = planConflicts(plan);
  if (conflicts.length > 0 && run.policy === "abort") {
    throw new ConflictError(
      `${String(conflicts.length)} conflict(s); nothing was written.`,
      [
        ...conflicts.map((entry) => `${entry.path}: ${entry.reason ?? "conflict"}`),
        "Re-run with --on-conflict skip (keep your files) or --on-conflict overwrite (replace them); --dry-run shows the diffs.",
      ],
    );
  }

  const install = (result.tasks ?? []).find((task) => task.kind === "install");
  const tasks = (result.tasks ?? []).filter((task) => !(run.skipInstall && task.kind === "install"));
  const nextSteps = [
    ...(run.skipInstall && install?.kind === "install" ? [`${formatCommand(installCommand(install.packageManager))}   # new dependencies were added`] : []),
    ...(result.nextSteps ?? []),
  ];
  const facts = result.facts ?? {};
  const writes = planWrites(plan);
  if (run.dryRun) return { plan, dryRun: true, written: [], tasks, taskOutcomes: [], nextSteps, notes, facts };

  const leftovers = await commitEntries(run.root, writes, run.commitFs ?? diskCommitFs);
  if (leftovers.length > 0) run.reporter.warn(`Written, but these backup files could not be removed: ${leftovers.join(", ")}`);
  run.reporter.info(`Wrote ${String(writes.length)} file(s).`);
  const taskOutcomes = run.skipTasks ? [] : await runTasks(run.root, tasks, run.reporter);
  return { plan, dryRun: false, written: writes.map((entry) => entry.path), tasks, taskOutcomes, nextSteps, notes, facts };
}
