import type { DeferredTask } from "./generator.js";
import { formatCommand, installCommand, runScriptCommand } from "./package-manager.js";
import type { CommandLine } from "./package-manager.js";
import type { Reporter } from "./reporter.js";
import { findWorkspaceRoot } from "./workspace-root.js";

export interface TaskOutcome {
  title: string;
  ok: boolean;
  /** Why the task did not need to run. */
  skipped?: string;
  /** What to run by hand when the task failed or was skipped. */
  manual?: string;
  error?: string;
}

export interface ResolvedTask {
  title: string;
  commands: CommandLine[];
  /** A command whose success means the task must not run, and why. */
  skipWhen?: { check: CommandLine; reason: string };
  /** Tools that print an error yet exit 0 (drizzle-kit): output lines that mean failure. */
  failureOutput?: RegExp;
  /** When set, exit 0 counts only if the output also matches this. */
  successOutput?: RegExp;
  /** Where the commands run: the package (default), or its workspace root (installs: one lockfile, one node_modules). */
  at?: "package" | "workspace-root";
}

// drizzle-kit 0.31 exits 0 on every failure seen (TTY prompt for renames, bad import, syntax error): judge by output.
export const DRIZZLE_KIT_FAILURE = /Interactive prompts require a TTY|Transform failed|Cannot find module|^\s*Error\b/m;
export const DRIZZLE_KIT_GENERATE_SUCCESS = /Your SQL migration file|No schema changes/;

/** Whether a command's result means success, given the task's output rules. */
export function commandSucceeded(failed: boolean, output: string, rules: Pick<ResolvedTask, "failureOutput" | "successOutput">): boolean {
  if (failed) return false;
  if (rules.failureOutput?.test(output)) return false;
  return rules.successOutput ? rules.successOutput.test(output) : true;
}

function resolveTask(task: DeferredTask): ResolvedTask {
  switch (task.kind) {
    case "install": {
      const line = installCommand(task.packageManager);
      // pnpm freezes the lockfile under CI; this install exists because the run just changed package.json.
      const args = task.packageManager === "pnpm" ? [...line.args, "--no-frozen-lockfile"] : line.args;
      return { title: `Installing dependencies with ${task.packageManager}`, commands: [{ ...line, args }], at: "workspace-root" };
    }
    case "git-init":
      return {
        title: "Initializing a git repository",
        skipWhen: {
          check: { command: "git", args: ["rev-parse", "--is-inside-work-tree"] },
          reason: "the directory is already inside a git work tree (a monorepo?); not creating a nested repository",
        },
        commands: [
          { command: "git", args: ["init", "--quiet"] },
          { command: "git", args: ["add", "--all"] },
          { command: "git", args: ["commit", "--quiet", "--message", task.commitMessage] },
        ],
      };
    case "script":
      return {
        title: task.title,
        commands: [runScriptCommand(task.packageManager, task.script)],
        failureOutput: task.script.startsWith("db:") ? DRIZZLE_KIT_FAILURE : undefined,
        successOutput: task.script === "db:generate" ? DRIZZLE_KIT_GENERATE_SUCCESS : undefined,
      };
  }
}

async function runCommands(cwd: string, task: ResolvedTask): Promise<void> {
  // execa is a quarter of the CLI's start-up; only runs that reach a task pay for it.
  const { execa } = await import("execa");
  for (const line of task.commands) {
    const result = await execa(line.command, line.args, { cwd, all: true, stdin: "ignore", reject: false });
    const output = result.all ?? "";
    if (!commandSucceeded(result.failed, output, task)) {
      const tail = output.trim().split("\n").slice(-10).join("\n");
      const reason = result.failed ? (result.shortMessage ?? `exit code ${String(result.exitCode)}`) : "it reported an error";
      throw new Error(`${formatCommand(line)} failed: ${reason}${tail ? `\n${tail}` : ""}`);
    }
  }
}

async function succeeds(cwd: string, line: CommandLine): Promise<boolean> {
  const { execa } = await import("execa");
  const result = await execa(line.command, line.args, { cwd, stdin: "ignore", reject: false });
  return !result.failed;
}

/** Runs tasks in order; a failure is reported with the command to run by hand, and later tasks still run. */
export async function runTasks(cwd: string, tasks: readonly DeferredTask[], reporter: Reporter): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = [];
  for (const task of tasks) {
    const resolved = resolveTask(task);
    const dir = resolved.at === "workspace-root" ? (findWorkspaceRoot(cwd)?.dir ?? cwd) : cwd;
    const manual = resolved.commands.map(formatCommand).join(" && ");
    if (resolved.skipWhen && (await succeeds(dir, resolved.skipWhen.check))) {
      reporter.info(`Skipped: ${resolved.title.toLowerCase()}: ${resolved.skipWhen.reason}.`);
      outcomes.push({ title: resolved.title, ok: true, skipped: resolved.skipWhen.reason });
      continue;
    }
    try {
      await reporter.step(resolved.title, () => runCommands(dir, resolved));
      outcomes.push({ title: resolved.title, ok: true });
    } catch (error) {
      const message = (error as Error).message;
      reporter.warn(`${resolved.title} failed. Your files are in place; run this by hand in ${dir}:\n  ${manual}\n${message}`);
      outcomes.push({ title: resolved.title, ok: false, manual, error: message });
    }
  }
  return outcomes;
}
