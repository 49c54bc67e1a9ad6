import { Command, CommanderError } from "commander";

import { UsageError } from "../core/errors.js";
import { EXIT_OK, EXIT_USAGE } from "../core/exit-codes.js";
import { packageInfo } from "../core/package-root.js";
import { addCreateOptions, createCommand } from "./commands/create.js";
import { generateCommand } from "./commands/generate.js";
import { initCommandDefinition } from "./commands/init.js";
import type { CliIo } from "./io.js";
import { reportError } from "./output.js";

const HELP_AFTER = `
Exit codes: 0 ok, 1 generation failed (nothing written), 2 usage error.
Without a terminal nothing is ever asked: missing input is exit 2 naming the flag.

Examples:
  npx create-perf-backend my-service
  npx create-perf-backend my-service --yes --no-server --pm pnpm
  npx create-perf-backend my-service --dry-run --json`;

function buildProgram(io: CliIo): Command {
  // Commander does not pass these on to commands added with addCommand.
  const configure = (command: Command): Command =>
    command
      .exitOverride()
      .configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
        outputError: () => undefined,
      })
      .showSuggestionAfterError();
  // Options after a subcommand belong to it (generate cache x --json), not to the root create command.
  const program = configure(new Command("create-perf-backend"))
    .enablePositionalOptions()
    .description("Scaffold a Node backend built on the backend-performance playbook: pooled Postgres, Drizzle, Redis caches, worker threads.")
    .version(packageInfo().version)
    .argument("[dir]", "directory of the new project")
    .addHelpText("after", HELP_AFTER)
    .action((dir: string | undefined, flags: Parameters<typeof createCommand>[1]) => createCommand(dir, flags, io));
  addCreateOptions(program);
  program.addCommand(initCommandDefinition(io, configure));
  program.addCommand(generateCommand(io, configure));
  return program;
}

const DISPLAY_ONLY = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

/** Runs the CLI and returns its exit code; never calls process.exit and never reads process.argv. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes("--json");
  const debug = argv.includes("--debug");
  try {
    await buildProgram(io).parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for is success; help shown because a subcommand is missing is a usage error.
      if (DISPLAY_ONLY.has(error.code) && error.exitCode === 0) return EXIT_OK;
      if (error.code === "commander.help") return EXIT_USAGE;
      reportError(io, new UsageError(error.message.replace(/^error: /, ""), ["Run with --help to see every option."]), json);
      return EXIT_USAGE;
    }
    return reportError(io, error, json, debug);
  }
}
