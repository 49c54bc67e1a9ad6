import { EXIT_USAGE } from "../core/output/exit-codes.js";
import type { GeneratorDefinition } from "../devkit/define-generator.js";
import { flagName } from "../devkit/options/flags.js";

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

/** Plop prints only the message of a failed prompt: the way out (the named-argument form) goes into it. */
export function withoutTerminalMessage(definition: GeneratorDefinition, missing: readonly string[]): string {
  const named = missing.map((name) => {
    const descriptor = definition.options[name];
    return `--${descriptor ? flagName(name, descriptor) : name} <${name}>`;
  });
  return `Without a terminal plop cannot ask for ${missing.join(", ")}: pass the answers as named arguments, e.g. npx plop ${definition.name} -- ${named.join(" ")} (or use npx create-perf-backend generate ${definition.name}).`;
}
