import type { Writable } from "node:stream";

import { createColors } from "picocolors";
import yoctoSpinner from "yocto-spinner";

import type { Plan, PlanEntry } from "../plan.js";
import { summarizePlan } from "../plan.js";
import type { Reporter } from "./reporter.js";

type Colors = ReturnType<typeof createColors>;

const actionLabel = (pc: Colors, action: PlanEntry["action"]): string =>
  ({
    create: pc.green("CREATE   "),
    update: pc.cyan("UPDATE   "),
    unchanged: pc.dim("UNCHANGED"),
    conflict: pc.red("CONFLICT "),
  })[action];

function colorDiff(pc: Colors, diff: string): string {
  return diff
    .split("\n")
    .map((line) => {
      if (line.startsWith("+") && !line.startsWith("+++")) return pc.green(line);
      if (line.startsWith("-") && !line.startsWith("---")) return pc.red(line);
      if (line.startsWith("@@")) return pc.cyan(line);
      return line;
    })
    .join("\n");
}

function describeEntry(pc: Colors, entry: PlanEntry, policy: Plan["policy"]): string {
  let note = "";
  if (entry.action === "conflict") {
    const resolution = policy === "overwrite" ? "will overwrite" : policy === "skip" ? "skipped" : "aborts the run";
    note = pc.dim(` (${entry.reason ?? "conflict"}; ${resolution})`);
  }
  return `${actionLabel(pc, entry.action)} ${entry.path}${note}`;
}

/**
 * Human output on `out`; spinners and colors only when the caller says `out` is a terminal, so logs and pipes stay
 * clean (picocolors alone would color any output once CI is set, and reads the process's env, not the run's).
 */
export function createConsoleReporter(out: Writable, options: { spinners: boolean; colors: boolean }): Reporter {
  const pc = createColors(options.colors);
  const write = (line: string): void => {
    out.write(`${line}\n`);
  };
  return {
    info: write,
    warn: (message) => write(pc.yellow(`! ${message}`)),
    plan(plan, { dryRun }) {
      for (const entry of plan.entries) {
        write(describeEntry(pc, entry, plan.policy));
        // The diff is computed on first read: only for the entries that print it.
        const showDiff = (dryRun || entry.action === "conflict") && entry.diff !== "";
        if (showDiff) write(colorDiff(pc, entry.diff.trimEnd()));
      }
      const summary = summarizePlan(plan);
      const counts = `${String(summary.create)} to create, ${String(summary.update)} to update, ${String(summary.unchanged)} unchanged, ${String(summary.conflict)} conflict(s)`;
      write(dryRun ? pc.bold(`Dry run: ${counts}. Nothing was written.`) : pc.bold(`Plan: ${counts}.`));
    },
    async step(title, work) {
      if (!options.spinners) {
        write(`${title}...`);
        const result = await work();
        write(`${pc.green("done")} ${title}`);
        return result;
      }
      const spinner = yoctoSpinner({ text: title, stream: out }).start();
      try {
        const result = await work();
        spinner.success(title);
        return result;
      } catch (error) {
        spinner.error(title);
        throw error;
      }
    },
  };
}
