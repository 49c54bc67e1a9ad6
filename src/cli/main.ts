import { Command, CommanderError } from "commander";

import { appDefinition, FEATURE_GENERATORS, initDefinition } from "../../generators/index.js";
import { UsageError } from "../core/output/errors.js";
import { EXIT_OK, EXIT_USAGE } from "../core/output/exit-codes.js";
import { packageInfo } from "../core/packages/package-root.js";
import { doctorCommandDefinition } from "./commands/doctor.js";
import { addDefinitionOptions, definitionCommand, runDefinitionCommand } from "./definition-command.js";
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
    .description(
      "Scaffold a Node backend built on the backend-performance playbook: pooled Postgres, Drizzle, Redis caches, worker threads.",
    )
    .version(packageInfo().version)
    .addHelpText("after", HELP_AFTER);
  addDefinitionOptions(program, appDefinition);
  program.action((directory: unknown) => runDefinitionCommand(appDefinition, program, directory, io));
  program.addCommand(configure(definitionCommand(initDefinition, io)));
  const generate = configure(
    new Command("generate").alias("g").description("run a generator in an existing create-perf-backend project"),
  );
  for (const definition of FEATURE_GENERATORS) generate.addCommand(configure(definitionCommand(definition, io)));
  program.addCommand(generate);
  program.addCommand(doctorCommandDefinition(io, configure));
  return program;
}

const DISPLAY_ONLY = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

/**
 * `help [command...]` is `[command...] --help`: commander adds no help command to a program with its own action,
 * so `create-perf-backend help` would otherwise scaffold a project named "help".
 */
function helpAsFlag(argv: readonly string[]): string[] {
  return argv[0] === "help" ? [...argv.slice(1), "--help"] : [...argv];
}

/**
 * A reader that went away (`| head`, a closed stdout) makes every later write fail with EPIPE, raised as an
 * "error" event: without a listener that is an uncaught exception with a stack trace. Output to a closed pipe
 * is dropped instead; the run itself goes on and keeps its exit code.
 */
function survivePipes(io: CliIo): void {
  // Nothing more can be said on a stream that failed, whatever the code: the exit code still tells.
  const drop = (): void => undefined;
  for (const stream of [io.stdout, io.stderr]) if (stream.listenerCount("error") === 0) stream.on("error", drop);
}

/** Runs the CLI and returns its exit code; never calls process.exit and never reads process.argv. */
export async function main(givenArgv: readonly string[], io: CliIo): Promise<number> {
  const argv = helpAsFlag(givenArgv);
  const json = argv.includes("--json");
  const debug = argv.includes("--debug");
  // Kept for the process's lifetime: an EPIPE can arrive after main has returned (the last write's callback).
  survivePipes(io);
  try {
    await buildProgram(io).parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for is success; help shown because a subcommand is missing is a usage error.
      if (DISPLAY_ONLY.has(error.code) && error.exitCode === 0) return EXIT_OK;
      if (error.code === "commander.help") return EXIT_USAGE;
      reportError(
        io,
        new UsageError(error.message.replace(/^error: /, ""), ["Run with --help to see every option."]),
        json,
      );
      return EXIT_USAGE;
    }
    return reportError(io, error, json, debug);
  }
}
