import { Writable } from "node:stream";

import { FEATURE_GENERATORS, findGenerator } from "../../generators/index.js";
import { enableCompileCache } from "../core/compile-cache.js";
import { createConsoleReporter } from "../core/output/console-reporter.js";
import { GenerationError, UsageError } from "../core/output/errors.js";
import type { Question } from "../core/question.js";
import { loadGeneratorContext } from "../devkit/context.js";
import type { GeneratorDefinition } from "../devkit/define-generator.js";
import { runDefinition } from "../devkit/runner.js";
import { toInquirerQuestion } from "./inquirer-questions.js";
import { namedBypass } from "./named-bypass.js";
import { checkNamedArguments, inPlopTerms, nextStepsLine } from "./named-checks.js";
import { canPrompt, exitAsUsageError, withoutTerminalMessage } from "./without-terminal.js";

/** The part of plop's API this module uses (structural, so plop stays the project's own dependency). */
export interface PlopApi {
  setGenerator(name: string, config: { description: string; prompts: unknown; actions: unknown }): unknown;
  setActionType(
    name: string,
    action: (answers: Record<string, unknown>, config: Record<string, unknown>) => Promise<string>,
  ): void;
  getDestBasePath(): string;
}

export const PLOP_ACTION_TYPE = "perf-backend";

interface InquirerLike {
  prompt(questions: Array<Record<string, unknown>>): Promise<Record<string, unknown>>;
}

function describeFailure(error: unknown, definition: GeneratorDefinition): string {
  if (error instanceof UsageError) exitAsUsageError();
  if (error instanceof UsageError || error instanceof GenerationError) {
    const extra = error instanceof UsageError ? error.hints : error.details;
    return inPlopTerms([error.message, ...extra].join("\n  "), definition);
  }
  return error instanceof Error ? error.message : String(error);
}

/** Reporter output kept in memory: written while plop's own spinner runs, its glyph would prefix the lines. */
function bufferedOutput(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join("").trimEnd() };
}

/**
 * Registers every feature generator with plop. Plop only collects answers (named arguments after `--`
 * take the CLI's flag names); one custom action runs the same runner, validation and atomic commit as
 * `create-perf-backend generate`.
 */
export function registerPerfBackendGenerators(plop: PlopApi): void {
  // Plop's own bin does not turn on Node's compile cache (>= 22.1); ts-morph, loaded later, halves its load time with it.
  enableCompileCache();
  const root = plop.getDestBasePath();
  plop.setActionType(PLOP_ACTION_TYPE, async (answers, config) => {
    const definition = findGenerator(String(config.generator));
    if (!definition) throw new Error(`Unknown generator ${String(config.generator)}`);
    const output = bufferedOutput();
    const { install, ...input } = answers;
    try {
      const result = await runDefinition(definition, {
        cwd: root,
        input,
        // Everything was asked in the prompts step.
        ask: () => Promise.resolve({}),
        interactive: false,
        dryRun: false,
        policy: "abort",
        // The plan comes back in the action's message, which plop prints to its own stdout.
        reporter: createConsoleReporter(output.stream, {
          spinners: false,
          colors: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined,
        }),
        skipInstall: !("install" in definition.options) && install === false,
      });
      const next = nextStepsLine(result.nextSteps);
      const steps = next === "" ? "" : `; next: ${next}`;
      return `${output.text()}\n${String(result.written.length)} file(s) written by ${definition.name}${steps}`;
    } catch (error) {
      const printed = output.text();
      throw new Error(`${printed === "" ? "" : `${printed}\n`}${describeFailure(error, definition)}`, { cause: error });
    }
  });

  for (const definition of FEATURE_GENERATORS) {
    // The function form of prompts: named arguments, plain questions, then the generator's dialogue.
    const prompts = async (inquirer: InquirerLike): Promise<Record<string, unknown>> => {
      // Without a terminal nothing is asked: optional answers take their defaults, missing required ones fail fast.
      const interactive = canPrompt();
      const ask = (batch: Question[]): Promise<Record<string, unknown>> => {
        if (batch.length === 0) return Promise.resolve({});
        if (interactive) return inquirer.prompt(batch.map(toInquirerQuestion));
        const missing = batch.filter((question) => question.required).map((question) => question.name);
        if (missing.length === 0) return Promise.resolve({});
        exitAsUsageError();
        return Promise.reject(new UsageError(withoutTerminalMessage(definition, missing)));
      };
      const given = namedBypass(process.argv, definition.options);
      try {
        checkNamedArguments(given, definition);
      } catch (error) {
        exitAsUsageError();
        throw error;
      }
      const answers = { ...given, ...(await ask(definition.questions(given))) };
      if (!definition.interact || !interactive) return answers;
      const context = await loadGeneratorContext({ cwd: root, project: definition.project });
      return { ...answers, ...(await definition.interact(ask, answers, context)) };
    };
    plop.setGenerator(definition.name, {
      description: definition.description,
      prompts,
      actions: [{ type: PLOP_ACTION_TYPE, generator: definition.name }],
    });
  }
}
