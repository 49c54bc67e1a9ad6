import path from "node:path";

import {
  addedIndexLockNote,
  filesGainingIndexes,
  generatesOnlineMigrations,
} from "../../generators/schema/migration-locks.js";
import { GenerationError } from "../core/output/errors.js";
import type { Reporter } from "../core/output/reporter.js";
import { runPipeline } from "../core/run.js";
import type { RunResult } from "../core/run.js";
import { fixWithPlaybookRules } from "./lint-rules.js";
import type { PlaybookFix } from "./lint-rules.js";
import { tsconfigSourceFiles } from "./tsconfig-files.js";

export interface ApplyFixesOptions {
  root: string;
  tsconfigPath?: string;
  dryRun: boolean;
  reporter: Reporter;
  /** Typecheck the fixed files before writing (the pipeline's default when undefined). */
  typecheck?: boolean;
  waitForLock?: boolean;
}

export interface ApplyFixesResult {
  fixes: PlaybookFix[];
  run: RunResult;
}

/**
 * `doctor --fix`: the plugin's fixers run in memory, and their output goes through the generators' pipeline: one
 * plan with diffs, `--dry-run` stops there, then one atomic commit of every fixed file (or none), each file re-read
 * and compared with what the fixers saw, under the project lock.
 */
export async function applyPlaybookFixes(options: ApplyFixesOptions): Promise<ApplyFixesResult> {
  const tsconfigPath = path.resolve(options.root, options.tsconfigPath ?? "tsconfig.json");
  const files = await tsconfigSourceFiles(tsconfigPath);
  const fixes = await options.reporter.step("Applying the playbook fixers in memory", () =>
    fixWithPlaybookRules({ root: options.root, tsconfigPath, files }),
  );
  const run = await runPipeline({
    root: options.root,
    generate: (tree) => {
      for (const fix of fixes) {
        // The file changed between the fixers' read and this one: its fix is stale, and so would be the commit.
        if (tree.read(fix.file) !== fix.before)
          throw new GenerationError(`${fix.file} changed while doctor was fixing it; nothing was written.`, [
            "Run doctor --fix again.",
          ]);
        tree.write(fix.file, fix.after, { kind: "edit" });
      }
      if (fixes.length === 0) return { notes: ["No finding of a rule with a safe fix: nothing to change."] };
      // fk-needs-index adds indexes to tables that may hold rows: say what their migration locks and how to ship it.
      const indexed = filesGainingIndexes(fixes);
      return { notes: indexed.length > 0 ? [addedIndexLockNote(indexed, generatesOnlineMigrations(tree))] : [] };
    },
    dryRun: options.dryRun,
    policy: "abort",
    reporter: options.reporter,
    skipTasks: true,
    ...(options.typecheck === undefined ? {} : { typecheck: options.typecheck }),
    ...(options.waitForLock ? { waitForLock: true } : {}),
    command: "doctor --fix",
  });
  return { fixes, run };
}
