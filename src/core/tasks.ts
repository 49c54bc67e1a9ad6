import { connect } from "node:net";

import type { DeferredTask } from "./generator.js";
import type { Reporter } from "./output/reporter.js";
import { formatCommand, installCommand, runScriptCommand } from "./packages/package-manager.js";
import type { CommandLine } from "./packages/package-manager.js";
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
  /** Longest a command may run: an install against a registry that never answers would otherwise wait for ever. */
  timeoutMs?: number;
  /** Checked before the commands: a reason not to run them (an unreachable registry), or null. */
  precheck?: (cwd: string) => Promise<string | null>;
}

// npm retries an unreachable registry silently for minutes: installs are bounded, and said to be running meanwhile.
const INSTALL_TIMEOUT_MS = 10 * 60_000;
// Tests (and slow networks) set their own bound.
const INSTALL_TIMEOUT_ENV = "CREATE_PERF_BACKEND_INSTALL_TIMEOUT_MS";
const PROGRESS_INTERVAL_MS = 15_000;
// A short bound still shows a few progress lines before it stops the command.
const PROGRESS_LINES_WITHIN_BOUND = 4;
const REGISTRY_CONNECT_TIMEOUT_MS = 5_000;
// `    at resolve (node:internal/...:708:20)`: a frame of a stack trace a failed child printed.
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/;
const MS_PER_SECOND = 1000;
const PROXY_ENV = [
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "https_proxy",
  "http_proxy",
  "npm_config_proxy",
  "npm_config_https_proxy",
];

function installTimeoutMs(): number {
  const configured = Number(process.env[INSTALL_TIMEOUT_ENV]);
  return Number.isInteger(configured) && configured > 0 ? configured : INSTALL_TIMEOUT_MS;
}

/** Whether a TCP connection to the registry opens (no proxy in between): a refused or unresolvable one never will. */
async function registryUnreachable(registry: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(registry);
  } catch {
    return null;
  }
  const port = Number(url.port) || (url.protocol === "http:" ? 80 : 443);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port, timeout: REGISTRY_CONNECT_TIMEOUT_MS });
    const done = (reason: string | null): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.once("connect", () => done(null));
    socket.once("timeout", () =>
      done(`the registry ${url.origin} did not answer within ${String(REGISTRY_CONNECT_TIMEOUT_MS / MS_PER_SECOND)} s`),
    );
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done(`the registry ${url.origin} cannot be reached (${error.code ?? error.message})`),
    );
  });
}

/** npm's registry (its config: .npmrc, npm_config_registry) is reachable; skipped behind a proxy, which npm goes through. */
async function npmRegistryCheck(cwd: string): Promise<string | null> {
  if (PROXY_ENV.some((name) => process.env[name])) return null;
  const { execa } = await import("execa");
  const result = await execa("npm", ["config", "get", "registry", "proxy", "https-proxy", "offline"], {
    cwd,
    stdin: "ignore",
    reject: false,
  });
  if (result.failed) return null;
  // `key=value` lines (a URL may hold "=" itself).
  const config = new Map(
    result.stdout
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")).trim(), line.slice(line.indexOf("=") + 1).trim()] as const),
  );
  const proxied = ["proxy", "https-proxy"].some((key) => (config.get(key) ?? "null") !== "null");
  const registry = config.get("registry");
  // Offline installs come from npm's cache: no registry needed.
  return proxied || config.get("offline") === "true" || !registry ? null : registryUnreachable(registry);
}

// drizzle-kit 0.31 exits 0 on every failure seen (TTY prompt for renames, bad import, syntax error): judge by output.
export const DRIZZLE_KIT_FAILURE = /Interactive prompts require a TTY|Transform failed|Cannot find module|^\s*Error\b/m;
export const DRIZZLE_KIT_GENERATE_SUCCESS = /Your SQL migration file|No schema changes/;

/** Whether a command's result means success, given the task's output rules. */
export function commandSucceeded(
  failed: boolean,
  output: string,
  rules: Pick<ResolvedTask, "failureOutput" | "successOutput">,
): boolean {
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
      return {
        title: `Installing dependencies with ${task.packageManager}`,
        commands: [{ ...line, args }],
        at: "workspace-root",
        timeoutMs: installTimeoutMs(),
        ...(task.packageManager === "npm" ? { precheck: npmRegistryCheck } : {}),
      };
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

async function runCommands(cwd: string, task: ResolvedTask, reporter: Reporter): Promise<void> {
  // execa is a quarter of the CLI's start-up; only runs that reach a task pay for it.
  const { execa } = await import("execa");
  for (const line of task.commands) {
    const started = Date.now();
    const child = execa(line.command, line.args, {
      cwd,
      all: true,
      stdin: "ignore",
      reject: false,
      ...(task.timeoutMs ? { timeout: task.timeoutMs } : {}),
    });
    let lastLine = "";
    child.all?.on("data", (chunk: Buffer) => {
      lastLine = chunk.toString().trim().split("\n").pop()?.trim() ?? lastLine;
    });
    // A long command says it is still running (npm prints nothing while it retries a registry).
    const progress = task.timeoutMs
      ? setInterval(
          () => {
            const seconds = Math.round((Date.now() - started) / MS_PER_SECOND);
            reporter.info(
              `  ${formatCommand(line)}: still running after ${String(seconds)} s${lastLine ? ` (last output: ${lastLine})` : ""}`,
            );
          },
          Math.min(PROGRESS_INTERVAL_MS, task.timeoutMs / PROGRESS_LINES_WITHIN_BOUND),
        )
      : undefined;
    const result = await child.finally(() => clearInterval(progress));
    const output = result.all ?? "";
    if (!commandSucceeded(result.failed, output, task)) {
      // The end of what it printed, without a crashed child's stack frames (the command is there to rerun by hand).
      const tail = output
        .trim()
        .split("\n")
        .filter((text) => !STACK_FRAME.test(text))
        .slice(-10)
        .join("\n");
      const limit = `it did not finish within ${String(Math.round((task.timeoutMs ?? 0) / MS_PER_SECOND))} s and was stopped (an unreachable or slow registry?)`;
      const reason = result.timedOut
        ? limit
        : result.failed
          ? (result.shortMessage ?? `exit code ${String(result.exitCode)}`)
          : "it reported an error";
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
export async function runTasks(
  cwd: string,
  tasks: readonly DeferredTask[],
  reporter: Reporter,
): Promise<TaskOutcome[]> {
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
    const blocked = resolved.precheck ? await resolved.precheck(dir) : null;
    if (blocked) {
      reporter.warn(
        `${resolved.title} skipped: ${blocked}. Your files are in place; once it is reachable, run this in ${dir}:\n  ${manual}`,
      );
      outcomes.push({ title: resolved.title, ok: false, manual, error: blocked });
      continue;
    }
    try {
      await reporter.step(resolved.title, () => runCommands(dir, resolved, reporter));
      outcomes.push({ title: resolved.title, ok: true });
    } catch (error) {
      const message = (error as Error).message;
      reporter.warn(
        `${resolved.title} failed. Your files are in place; run this by hand in ${dir}:\n  ${manual}\n${message}`,
      );
      outcomes.push({ title: resolved.title, ok: false, manual, error: message });
    }
  }
  return outcomes;
}
