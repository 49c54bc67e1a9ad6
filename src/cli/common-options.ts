import path from "node:path";

import type { Command } from "commander";
import { Option } from "commander";

import { UsageError } from "../core/output/errors.js";
import { CONFLICT_POLICIES } from "../core/plan.js";
import type { ConflictPolicy } from "../core/plan.js";
import type { CliIo } from "./io.js";

const DEFAULT_POLICY: ConflictPolicy = "abort";

/** A single-valued flag given twice would silently keep only the last value: refuse it instead (exit 2). */
export function once(flag: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined)
      throw new UsageError(`${flag} is given twice ("${previous}" and "${value}"); it takes one value.`, [
        "Pass it once.",
      ]);
    return value;
  };
}

function onConflict(value: string, previous: string | undefined): ConflictPolicy {
  const policy = once("--on-conflict")(value, previous);
  if (!(CONFLICT_POLICIES as readonly string[]).includes(policy)) {
    throw new UsageError(
      `option '--on-conflict <policy>' argument '${policy}' is invalid. Allowed choices are ${CONFLICT_POLICIES.join(", ")}.`,
    );
  }
  return policy as ConflictPolicy;
}

export interface CommonFlags {
  cwd?: string;
  typecheck?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  onConflict?: ConflictPolicy;
  wait?: boolean;
  debug?: boolean;
}

/** Flags every command takes (DESIGN.md section 1). */
export function addCommonOptions(command: Command): Command {
  return (
    command
      .option("--cwd <dir>", "run as if started in <dir>", once("--cwd"))
      .option("-y, --yes", "never ask; take the defaults for anything not given")
      .option("--dry-run", "print the plan and unified diffs; write nothing")
      .option("--json", "machine-readable plan and result on stdout (implies --yes)")
      .option(
        "--typecheck",
        "typecheck the generated files against the project's tsconfig before writing (default when the tsconfig is not one this tool generated)",
      )
      .option("--no-typecheck", "skip that check")
      // No commander default: a default would be indistinguishable from a first --on-conflict in `once`.
      .addOption(
        new Option(
          "--on-conflict <policy>",
          `what to do with files that exist and differ: ${CONFLICT_POLICIES.join(" | ")} (default ${DEFAULT_POLICY})`,
        ).argParser(onConflict),
      )
      .option("--wait", "if another run holds the project lock, wait for it instead of failing")
      .option("--debug", "print the stack trace of an error")
  );
}

const COMMON_KEYS = ["cwd", "yes", "dryRun", "json", "onConflict", "typecheck", "wait", "debug"] as const;

/**
 * A subcommand's own flags plus common flags given before it (`create-perf-backend --dry-run generate ...`):
 * those are parsed by the root command, and must not be dropped silently.
 */
export function flagsWithParents<T extends CommonFlags>(command: Command): T {
  const flags = { ...command.opts() } as Record<string, unknown>;
  for (const key of COMMON_KEYS) {
    if (command.getOptionValueSource(key) === "cli") continue;
    for (let parent = command.parent; parent; parent = parent.parent) {
      if (parent.getOptionValueSource(key) === "cli") {
        flags[key] = parent.getOptionValue(key);
        break;
      }
    }
  }
  return flags as T;
}

export interface RunContext {
  cwd: string;
  /** Whether prompts may be shown at all. */
  allowPrompt: boolean;
  json: boolean;
  dryRun: boolean;
  policy: ConflictPolicy;
  waitForLock: boolean;
}

export function runContext(flags: CommonFlags, io: CliIo): RunContext {
  const json = flags.json ?? false;
  return {
    cwd: path.resolve(io.cwd, flags.cwd ?? "."),
    allowPrompt: !json && !(flags.yes ?? false) && io.interactive,
    json,
    dryRun: flags.dryRun ?? false,
    policy: flags.onConflict ?? DEFAULT_POLICY,
    waitForLock: flags.wait ?? false,
  };
}
