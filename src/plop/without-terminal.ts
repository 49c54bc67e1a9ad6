import type { ProjectContext } from "../core/detect.js";
import { UsageError } from "../core/errors.js";
import { EXIT_USAGE } from "../core/exit-codes.js";
import type { GeneratorDefinition, RawInput } from "../core/generator-definition.js";
import { namedBypass } from "./named-bypass.js";

/** Whether plop may ask: inquirer without a terminal waits on stdin forever (`sleep 60 | npx plop schema`). */
export function canPrompt(stdin: { isTTY?: boolean } = process.stdin): boolean {
  return stdin.isTTY === true;
}

/**
 * Plop ends every failure with exit 1. Bad input is exit 2 in the CLI: make plop's exit say the same.
 * (`process.exit(1)` runs 'exit' listeners before the process ends, and they may change the code.)
 */
export function exitAsUsageError(): void {
  process.once("exit", () => {
    process.exitCode = EXIT_USAGE;
  });
}

/** `npx plop cache -- --name <name> ...`: the named-argument form of a generator's open questions. */
export function namedArgumentForm(definition: GeneratorDefinition, names: readonly string[]): string {
  const flags = definition.flags.map((flag) => flag.flags.split(/[ ,]+/).find((part) => part.startsWith("--")) ?? "");
  const wanted = names.map((name) => {
    const flag = flags.find((candidate) => candidate.replace(/^--(no-)?/, "").replaceAll("-", "").toLowerCase() === name.toLowerCase());
    return `${flag ?? `--${name}`} <${name}>`;
  });
  return `npx plop ${definition.name} -- ${wanted.join(" ")}`;
}

/**
 * Without a terminal, plop's prompts never ask: the answers come from named arguments (`-- --name users`);
 * anything still required is exit 2 naming the named-argument form, before plop's prompt library starts.
 */
export function answersWithoutTerminal(definition: GeneratorDefinition, project: ProjectContext, argv: readonly string[]): RawInput {
  const given = namedBypass(argv);
  const missing = definition
    .questions(given, project)
    .filter((question) => question.required && given[question.name] === undefined)
    .map((question) => question.name);
  if (missing.length > 0) {
    exitAsUsageError();
    // Plop prints only the message of a failed prompt: the way out goes into it.
    throw new UsageError(
      `Without a terminal plop cannot ask for ${missing.join(", ")}: pass the answers as named arguments, e.g. ${namedArgumentForm(definition, missing)} (or use npx create-perf-backend generate ${definition.name}).`,
    );
  }
  return given;
}
