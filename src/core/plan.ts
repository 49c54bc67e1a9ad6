import { createRequire } from "node:module";
import path from "node:path";

import type * as DiffModule from "diff";

import { compareText } from "./format/compare-text.js";
import { matchTextStyle } from "./format/line-endings.js";
import { hashContent } from "./hash.js";
import type { ChangeKind, StagedChange, Tree } from "./tree.js";

// The diff library loads on the first diff shown (a dry run, a conflict, --json), not in every run; only its patch module.
let createTwoFilesPatch: typeof DiffModule.createTwoFilesPatch | undefined;
const loadPatch = (): typeof DiffModule.createTwoFilesPatch =>
  (createTwoFilesPatch ??= (createRequire(import.meta.url)("diff/lib/patch/create.js") as typeof DiffModule)
    .createTwoFilesPatch);

export type ConflictPolicy = "abort" | "skip" | "overwrite";
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ["abort", "skip", "overwrite"];

export type PlanAction = "create" | "update" | "unchanged" | "conflict";

export interface PlanEntry {
  readonly path: string;
  readonly action: PlanAction;
  readonly kind: ChangeKind;
  /** What the file holds now (null: it does not exist). */
  readonly before: string | null;
  /** What the run wants it to hold (null for conflicts that are not file writes). */
  readonly after: string | null;
  readonly mode?: number;
  readonly reason?: string;
  /** Whether the commit writes this entry, after the conflict policy. */
  readonly write: boolean;
  readonly diff: string;
}

export interface Plan {
  readonly entries: readonly PlanEntry[];
  readonly policy: ConflictPolicy;
}

export interface PlanOptions {
  policy: ConflictPolicy;
  /** Hashes of files the tool wrote earlier (perf-backend.json); an untouched one may be regenerated. */
  ownedHashes?: Readonly<Record<string, string>>;
}

const DIFF_CONTEXT_LINES = 3;

export function unifiedDiff(filePath: string, before: string | null, after: string | null): string {
  if (before === after || after === null) return "";
  return loadPatch()(
    before === null ? "/dev/null" : `a/${filePath}`,
    `b/${filePath}`,
    before ?? "",
    after,
    undefined,
    undefined,
    { context: DIFF_CONTEXT_LINES },
  );
}

function classify(
  kind: ChangeKind,
  filePath: string,
  before: string | null,
  after: string,
  owned: Readonly<Record<string, string>>,
): { action: PlanAction; reason?: string } {
  if (before === null) return { action: "create" };
  if (before === after) return { action: "unchanged" };
  if (kind === "edit") return { action: "update" };
  const recorded = owned[filePath];
  if (recorded === undefined) return { action: "conflict", reason: "exists and differs from what would be generated" };
  if (recorded === hashContent(before)) return { action: "update" };
  return { action: "conflict", reason: "edited since it was generated" };
}

function planEntry(tree: Tree, change: StagedChange, options: PlanOptions): PlanEntry {
  const before = tree.readOriginal(change.path);
  // An existing file keeps its line endings and BOM; a CRLF checkout of the same text is unchanged.
  const after = before === null ? change.content : matchTextStyle(before, change.content);
  const { action, reason } = classify(change.kind, change.path, before, after, options.ownedHashes ?? {});
  const write = action === "create" || action === "update" || (action === "conflict" && options.policy === "overwrite");
  let diff: string | undefined;
  return {
    path: change.path,
    action,
    kind: change.kind,
    before,
    after,
    mode: change.mode,
    reason,
    write,
    // Diffs are only read for a printed plan, --json or a conflict: computed on first use.
    get diff(): string {
      diff ??= unifiedDiff(change.path, before, after);
      return diff;
    },
  };
}

const COMPANION_TEST = /\.test\.ts$/;
const MODULE_FILE = /\.ts$/;

/**
 * Under --on-conflict skip, a kept module keeps its generated test as it is: a test regenerated against the new
 * module's exports would not compile against the user's kept one (TS2305). A test is the module's by name
 * (`users-repository.test.ts` beside, or relocated below a tests folder, for `users-repository.ts`).
 */
function keepCompanionTests(entries: PlanEntry[]): PlanEntry[] {
  const kept = new Map<string, string>();
  for (const entry of entries) {
    if (
      entry.action === "conflict" &&
      !entry.write &&
      entry.kind === "generate" &&
      MODULE_FILE.test(entry.path) &&
      !COMPANION_TEST.test(entry.path)
    ) {
      kept.set(path.posix.basename(entry.path, ".ts"), entry.path);
    }
  }
  if (kept.size === 0) return entries;
  return entries.map((entry) => {
    const module =
      COMPANION_TEST.test(entry.path) && entry.kind === "generate" && entry.write
        ? kept.get(path.posix.basename(entry.path, ".test.ts"))
        : undefined;
    if (module === undefined) return entry;
    const reason = `kept with ${module} (--on-conflict skip keeps a module's test with it)`;
    return { ...entry, action: "conflict" as const, reason, write: false };
  });
}

export function createPlan(tree: Tree, options: PlanOptions): Plan {
  const planned: PlanEntry[] = tree.changes().map((change) => planEntry(tree, change, options));
  const entries = options.policy === "skip" ? keepCompanionTests(planned) : planned;
  for (const conflict of tree.conflicts()) {
    entries.push({
      path: conflict.path,
      action: "conflict",
      kind: "generate",
      before: null,
      after: null,
      reason: conflict.reason,
      write: false,
      diff: "",
    });
  }
  return { entries, policy: options.policy };
}

/** The plan with one file classified again after a late staged change (the manifest's recorded hashes). */
export function replanFile(plan: Plan, tree: Tree, filePath: string, options: PlanOptions): Plan {
  const change = tree.changes().find((candidate) => candidate.path === filePath);
  if (!change) return plan;
  const entry = planEntry(tree, change, options);
  const entries = plan.entries.some((candidate) => candidate.path === filePath)
    ? plan.entries.map((candidate) => (candidate.path === filePath ? entry : candidate))
    : [...plan.entries, entry].sort((a, b) => compareText(a.path, b.path));
  return { entries, policy: plan.policy };
}

export function planConflicts(plan: Plan): PlanEntry[] {
  return plan.entries.filter((entry) => entry.action === "conflict");
}

export function planWrites(plan: Plan): PlanEntry[] {
  return plan.entries.filter((entry) => entry.write);
}

export interface PlanSummary {
  create: number;
  update: number;
  unchanged: number;
  conflict: number;
}

export function summarizePlan(plan: Plan): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, unchanged: 0, conflict: 0 };
  for (const entry of plan.entries) summary[entry.action] += 1;
  return summary;
}
