import path from "node:path";

import type { Command } from "commander";

import { appGenerator } from "../../../generators/app/generator.js";
import { normalizeAppOptions } from "../../../generators/app/options.js";
import type { RawAppOptions } from "../../../generators/app/options.js";
import { appQuestions } from "../../../generators/app/questions.js";
import { packageManagerFromUserAgent } from "../../core/package-manager.js";
import { runGenerator } from "../../core/run.js";
import { defaultToolSpec } from "../../core/tool-spec.js";
import { addCommonOptions, runContext } from "../common-options.js";
import type { CommonFlags } from "../common-options.js";
import type { CliIo } from "../io.js";
import { printOutcome, resultToJson, writeJson } from "../output.js";
import { ask } from "../prompt.js";
import { createConsoleReporter } from "../reporter.js";

interface CreateFlags extends CommonFlags {
  name?: string;
  pm?: string;
  install?: boolean;
  git?: boolean;
  server?: boolean;
  toolSpec?: string;
}

export function addCreateOptions(command: Command): Command {
  return addCommonOptions(command)
    .option("--name <package-name>", "npm name of the project (default: the directory name, kebab-cased)")
    .option("--pm <manager>", "package manager for install and scripts: npm, pnpm, yarn or bun (default: the one running this)")
    .option("--server", "HTTP service with Fastify and /health (default)")
    .option("--no-server", "library only: db, cache and worker modules without a server")
    .option("--install", "install dependencies after writing (default)")
    .option("--no-install", "do not install dependencies")
    .option("--git", "git init and a first commit (default)")
    .option("--no-git", "do not initialize git")
    .option("--tool-spec <spec>", "how package.json depends on create-perf-backend (default: this copy, or ^version from the registry)");
}

export async function createCommand(directory: string | undefined, flags: CreateFlags, io: CliIo): Promise<void> {
  const context = runContext(flags, io);
  const defaultPackageManager = packageManagerFromUserAgent(io.env.npm_config_user_agent);
  const raw: RawAppOptions = {
    directory,
    name: flags.name,
    packageManager: flags.pm,
    install: flags.install,
    git: flags.git,
    server: flags.server,
    toolSpec: flags.toolSpec,
  };
  const answers = await ask(io, appQuestions(raw, defaultPackageManager), context.allowPrompt);
  const options = normalizeAppOptions(
    { ...raw, ...answers },
    { cwd: context.cwd, packageManager: defaultPackageManager, toolSpec: defaultToolSpec() },
  );

  const humanOut = context.json ? io.stderr : io.stdout;
  const reporter = createConsoleReporter(humanOut, { spinners: !context.json && io.interactive });
  const result = await runGenerator({
    root: options.directory,
    generator: appGenerator,
    options,
    dryRun: context.dryRun,
    policy: context.policy,
    reporter,
    waitForLock: context.waitForLock,
    command: "create",
  });
  const relative = path.relative(io.cwd, options.directory);
  const nextSteps = [...(relative ? [`cd ${relative}`] : []), ...result.nextSteps];
  if (context.json) writeJson(io, { ...resultToJson("create", options.directory, result), nextSteps });
  else printOutcome(io, result, nextSteps);
}
