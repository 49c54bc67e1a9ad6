import { Command } from "commander";

import { GENERATORS } from "../../../generators/index.js";
import { loadProject } from "../../core/detect.js";
import type { GeneratorDefinition, RawInput } from "../../core/generator-definition.js";
import { runGenerator } from "../../core/run.js";
import { addCommonOptions, flagsWithParents, runContext } from "../common-options.js";
import type { CommonFlags } from "../common-options.js";
import type { CliIo } from "../io.js";
import { printOutcome, resultToJson, writeJson } from "../output.js";
import { ask } from "../prompt.js";
import { createConsoleReporter } from "../reporter.js";

const COMMON_FLAG_NAMES = new Set(["cwd", "yes", "dryRun", "json", "onConflict", "install", "wait", "debug"]);

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

async function runDefinition(definition: GeneratorDefinition, positional: string | undefined, flags: CommonFlags & RawInput, io: CliIo): Promise<void> {
  const context = runContext(flags, io);
  const project = await loadProject(context.cwd);
  const raw: RawInput = Object.fromEntries(Object.entries(flags).filter(([key]) => !COMMON_FLAG_NAMES.has(key)));
  if (positional !== undefined) raw.name = positional;
  let input: RawInput = { ...raw, ...(await ask(io, definition.questions(raw, project), context.allowPrompt)) };
  if (definition.interact && context.allowPrompt) {
    input = { ...input, ...(await definition.interact((questions) => ask(io, questions, true), input, project)) };
  }
  const options = definition.normalize(input, project);

  const reporter = createConsoleReporter(context.json ? io.stderr : io.stdout, { spinners: !context.json && io.interactive });
  const result = await runGenerator({
    root: context.cwd,
    generator: definition.generator,
    options,
    dryRun: context.dryRun,
    policy: context.policy,
    reporter,
    skipInstall: flags.install === false,
    waitForLock: context.waitForLock,
    command: `generate ${definition.name}`,
  });
  if (context.json) writeJson(io, resultToJson(`generate ${definition.name}`, context.cwd, result));
  else printOutcome(io, result, result.nextSteps);
}

function generatorCommand(definition: GeneratorDefinition, io: CliIo): Command {
  const command = new Command(definition.name).description(definition.description);
  if (definition.positional) command.argument(`[${definition.positional.name}]`, definition.positional.description);
  for (const flag of definition.flags) {
    if (flag.repeatable) command.option(flag.flags, `${flag.description} (repeatable)`, collect);
    else command.option(flag.flags, flag.description);
  }
  addCommonOptions(command);
  command.option("--no-install", "do not install dependencies the generator adds (prints the command instead)");
  if (definition.help) command.addHelpText("after", `\n${definition.help}`);
  return command.action(async (...args: unknown[]) => {
    const positional = definition.positional ? (args[0] as string | undefined) : undefined;
    await runDefinition(definition, positional, flagsWithParents<CommonFlags & RawInput>(command), io);
  });
}

/** `generate <generator> [name] [flags]` (alias `g`): every generator, never interactive without a TTY. */
export function generateCommand(io: CliIo, configure: (command: Command) => Command): Command {
  const command = configure(new Command("generate").alias("g").description("run a generator in an existing create-perf-backend project"));
  for (const definition of GENERATORS) command.addCommand(configure(generatorCommand(definition, io)));
  return command;
}
