import path from "node:path";

import { Command } from "commander";

import { createConsoleReporter } from "../core/output/console-reporter.js";
import { packageManagerFromUserAgent } from "../core/packages/package-manager.js";
import type { GeneratorDefinition } from "../devkit/define-generator.js";
import { flagName, positionalKey } from "../devkit/options/flags.js";
import type { RawInput } from "../devkit/options/parse.js";
import { runDefinition } from "../devkit/runner.js";
import { addCommonOptions, flagsWithParents, once, runContext } from "./common-options.js";
import type { CommonFlags } from "./common-options.js";
import type { CliIo } from "./io.js";
import { printOutcome, resultToJson, writeJson } from "./output.js";
import { ask } from "./prompt.js";

/** A run flag every command has unless the generator declares an `install` option itself (create). */
const INSTALL_KEY = "install";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Commander flags, the positional argument and `--help` text, all from the generator's option declarations. */
export function addDefinitionOptions(command: Command, definition: GeneratorDefinition): Command {
  for (const [key, descriptor] of Object.entries(definition.options)) {
    if (descriptor.positional) {
      command.argument(`[${descriptor.placeholder ?? key}]`, descriptor.description);
      continue;
    }
    const flag = `--${flagName(key, descriptor)}`;
    if (descriptor.kind === "boolean") {
      // Both forms, so an option nobody gave stays undefined (asked, or defaulted) instead of commander's default.
      command.option(flag, descriptor.default ? `${descriptor.description} (default)` : descriptor.description);
      command.option(`--no-${flagName(key, descriptor)}`, `not ${flag}`);
    } else if (descriptor.kind === "list") {
      command.option(`${flag} <${descriptor.placeholder ?? "value"}>`, descriptor.description, collect);
    } else {
      const shownDefault =
        "default" in descriptor && descriptor.default !== undefined ? ` (default ${String(descriptor.default)})` : "";
      const choices = descriptor.kind === "enum" ? `: ${descriptor.choices.join(" | ")}` : "";
      command.option(
        `${flag} <${descriptor.placeholder ?? "value"}>`,
        `${descriptor.description}${choices}${shownDefault}`,
        once(flag),
      );
    }
  }
  addCommonOptions(command);
  if (!(INSTALL_KEY in definition.options))
    command.option("--no-install", "do not install dependencies the generator adds (prints the command instead)");
  if (definition.help) command.addHelpText("after", `\n${definition.help}`);
  return command;
}

/** The options the user gave on the command line, keyed by option name (defaults are applied by the devkit). */
function givenInput(command: Command, definition: GeneratorDefinition, positional: unknown): RawInput {
  const input: Record<string, unknown> = {};
  const key = positionalKey(definition.options);
  if (key !== undefined && positional !== undefined) input[key] = positional;
  for (const [name, descriptor] of Object.entries(definition.options)) {
    // Commander keys values by the flag (`--pm` is `pm`), the devkit by the option (`packageManager`).
    const attribute = command.options
      .find((option) => option.long === `--${flagName(name, descriptor)}`)
      ?.attributeName();
    if (attribute !== undefined && command.getOptionValueSource(attribute) === "cli")
      input[name] = command.getOptionValue(attribute);
  }
  return input;
}

function commandLabel(definition: GeneratorDefinition): string {
  if (definition.project === "none") return "create";
  return definition.project === "optional" ? definition.name : `generate ${definition.name}`;
}

/** The one "run, then report" of every command: runner, console or JSON output, next steps. */
export async function runDefinitionCommand(
  definition: GeneratorDefinition,
  command: Command,
  positional: unknown,
  io: CliIo,
): Promise<void> {
  const flags = flagsWithParents<CommonFlags & { install?: boolean }>(command);
  const context = runContext(flags, io);
  const terminal = !context.json && io.interactive;
  const reporter = createConsoleReporter(context.json ? io.stderr : io.stdout, {
    spinners: terminal,
    colors: terminal && io.env["NO_COLOR"] === undefined,
  });
  const result = await runDefinition(definition, {
    cwd: context.cwd,
    input: givenInput(command, definition, positional),
    ask: (questions) => ask(io, questions, context.allowPrompt),
    interactive: context.allowPrompt,
    dryRun: context.dryRun,
    policy: context.policy,
    reporter,
    skipInstall: !(INSTALL_KEY in definition.options) && flags.install === false,
    typecheck: flags.typecheck,
    waitForLock: context.waitForLock,
    command: commandLabel(definition),
    fallbackPackageManager: packageManagerFromUserAgent(io.env.npm_config_user_agent),
  });
  // create writes into a new directory: the first step is getting there.
  const relative = result.root === context.cwd ? "" : path.relative(io.cwd, result.root);
  const nextSteps = [...(relative ? [`cd ${relative}`] : []), ...result.nextSteps];
  if (context.json)
    writeJson(io, { ...resultToJson(commandLabel(definition), result.root, result), ...result.facts, nextSteps });
  else printOutcome(io, result, nextSteps);
}

/** `generate <name>` and `init`: a subcommand built from a generator's declaration. */
export function definitionCommand(definition: GeneratorDefinition, io: CliIo, name = definition.name): Command {
  const command = addDefinitionOptions(new Command(name).description(definition.description), definition);
  const hasPositional = positionalKey(definition.options) !== undefined;
  return command.action(async (...args: unknown[]) => {
    await runDefinitionCommand(definition, command, hasPositional ? args[0] : undefined, io);
  });
}
