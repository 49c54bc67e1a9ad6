import pc from "picocolors";

import { FindingsReported, GenerationError, UsageError } from "../core/output/errors.js";
import { exitCodeFor } from "../core/output/exit-codes.js";
import { summarizePlan } from "../core/plan.js";
import type { RunResult } from "../core/run.js";
import type { CliIo } from "./io.js";

const JSON_INDENT = 2;

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, JSON_INDENT)}\n`);
}

export function resultToJson(command: string, root: string, result: RunResult): Record<string, unknown> {
  return {
    // A follow-up step that failed (drizzle-kit generate, install) leaves the files written but the work unfinished.
    ok: result.taskOutcomes.every((outcome) => outcome.ok),
    command,
    root,
    dryRun: result.dryRun,
    summary: summarizePlan(result.plan),
    plan: result.plan.entries.map((entry) => ({
      path: entry.path,
      action: entry.action,
      write: entry.write,
      ...(entry.reason ? { reason: entry.reason } : {}),
      diff: entry.diff,
    })),
    notes: result.notes,
    written: result.written,
    tasks: result.dryRun ? result.tasks : result.taskOutcomes,
    nextSteps: result.nextSteps,
  };
}

/** The closing lines of a successful human run. */
export function printOutcome(io: CliIo, result: RunResult, nextSteps: string[]): void {
  const out = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  if (result.dryRun) return;
  const failed = result.taskOutcomes.filter((outcome) => !outcome.ok);
  if (failed.length > 0)
    out(pc.yellow(`${String(failed.length)} follow-up step(s) failed; see above for what to run by hand.`));
  if (nextSteps.length > 0) {
    out("\nNext steps:");
    for (const step of nextSteps) out(`  ${step}`);
  }
}

/** Prints an error the way the user can act on it and returns the exit code. */
export function reportError(io: CliIo, error: unknown, json: boolean, debug = false): number {
  const code = exitCodeFor(error);
  // The command printed its own report (human, JSON or SARIF); only the exit code is left to give.
  if (error instanceof FindingsReported) return code;
  const hints = error instanceof UsageError ? error.hints : error instanceof GenerationError ? error.details : [];
  const known = error instanceof UsageError || error instanceof GenerationError;
  const raw = error instanceof Error ? error.message : String(error);
  // A bug of ours still gets one readable line; the trace is there for whoever asks for it.
  const message = known ? raw : `Unexpected failure: ${raw}`;
  if (json) {
    writeJson(io, {
      ok: false,
      error: { exitCode: code, kind: error instanceof UsageError ? "usage" : "generation", message, hints },
    });
    return code;
  }
  io.stderr.write(`${pc.red("error")} ${message}\n`);
  for (const hint of hints) io.stderr.write(`  ${hint}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${pc.dim(error.stack)}\n`);
  else if (!known) io.stderr.write("  Run again with --debug to see the stack trace, and please report it.\n");
  return code;
}
