import { Command } from "commander";

import { initGenerator } from "../../../generators/init/generator.js";
import { detectPackageManager } from "../../core/detect.js";
import { UsageError } from "../../core/errors.js";
import { createDiskHost } from "../../core/host.js";
import { readManifest } from "../../core/manifest.js";
import { isPackageManager, PACKAGE_MANAGERS } from "../../core/package-manager.js";
import { inspectRepo } from "../../core/repo/inspect-repo.js";
import { runGenerator } from "../../core/run.js";
import { defaultToolSpec } from "../../core/tool-spec.js";
import { Tree } from "../../core/tree.js";
import { addCommonOptions, flagsWithParents, runContext } from "../common-options.js";
import type { CommonFlags } from "../common-options.js";
import type { CliIo } from "../io.js";
import { printOutcome, resultToJson, writeJson } from "../output.js";
import { createConsoleReporter } from "../reporter.js";

interface InitFlags extends CommonFlags {
  pm?: string;
  install?: boolean;
  toolSpec?: string;
}

async function initCommand(flags: InitFlags, io: CliIo): Promise<void> {
  const context = runContext(flags, io);
  if (flags.pm !== undefined && !isPackageManager(flags.pm)) {
    throw new UsageError(`Unknown package manager "${flags.pm}".`, [`Use --pm with one of: ${PACKAGE_MANAGERS.join(", ")}.`]);
  }
  const host = createDiskHost(context.cwd);
  const owned = new Set(Object.keys(readManifest(new Tree(host))?.files ?? {}));
  const facts = await inspectRepo(host, { ignore: owned });
  const packageManager = isPackageManager(flags.pm) ? flags.pm : await detectPackageManager(context.cwd);

  const reporter = createConsoleReporter(context.json ? io.stderr : io.stdout, { spinners: !context.json && io.interactive });
  const result = await runGenerator({
    root: context.cwd,
    generator: initGenerator,
    options: { facts, packageManager, toolSpec: flags.toolSpec?.trim() || defaultToolSpec(), owned },
    dryRun: context.dryRun,
    policy: context.policy,
    reporter,
    skipInstall: flags.install === false,
    waitForLock: context.waitForLock,
    command: "init",
  });
  if (context.json) writeJson(io, { ...resultToJson("init", context.cwd, result), packageManager });
  else printOutcome(io, result, result.nextSteps);
}

/** `init`: the same infrastructure as a new project, added to the repo in --cwd and adapted to it. */
export function initCommandDefinition(io: CliIo, configure: (command: Command) => Command): Command {
  const command = configure(new Command("init"))
    .description("add the pool, transaction, Drizzle, Redis and worker infrastructure to an existing repo, adapted to what it has")
    .option("--pm <manager>", "package manager (default: detected from lockfiles and packageManager, walking up to the workspace root)")
    .option("--no-install", "do not install the dependencies init adds")
    .option("--tool-spec <spec>", "how package.json depends on create-perf-backend (default: this copy, or ^version)")
    .addHelpText(
      "after",
      "\nDetects ESM/CommonJS, NodeNext vs bundler imports, tsconfig path aliases, the source root, an existing\nDrizzle setup (config, schema file or folder, pgTableCreator, db export, node-postgres or postgres.js) and\nexisting pg pools, and records the layout in perf-backend.json. Existing files are never changed except\npackage.json, which only gains entries. In a monorepo, pass --cwd <package dir>.",
    );
  addCommonOptions(command);
  return command.action(() => initCommand(flagsWithParents<InitFlags>(command), io));
}
