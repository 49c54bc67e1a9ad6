import { GENERATORS, findGenerator } from "../../generators/index.js";
import { createConsoleReporter } from "../cli/reporter.js";
import { loadProject } from "../core/detect.js";
import { GenerationError, UsageError } from "../core/errors.js";
import type { Question } from "../core/question.js";
import { runGenerator } from "../core/run.js";
import { toInquirerQuestion } from "./inquirer-questions.js";
import { namedBypass } from "./named-bypass.js";
import { answersWithoutTerminal, canPrompt, exitAsUsageError } from "./without-terminal.js";

/** The part of plop's API this module uses (structural, so plop stays the project's own dependency). */
export interface PlopApi {
  setGenerator(name: string, config: { description: string; prompts: unknown; actions: unknown }): unknown;
  setActionType(name: string, action: (answers: Record<string, unknown>, config: Record<string, unknown>) => Promise<string>): void;
  getDestBasePath(): string;
}

export const PLOP_ACTION_TYPE = "perf-backend";

interface InquirerLike {
  prompt(questions: Array<Record<string, unknown>>): Promise<Record<string, unknown>>;
}

function describeFailure(error: unknown): string {
  if (error instanceof UsageError) exitAsUsageError();
  if (error instanceof UsageError || error instanceof GenerationError) {
    const extra = error instanceof UsageError ? error.hints : error.details;
    return [error.message, ...extra].join("\n  ");
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Registers every generator with plop. Plop only collects answers: one custom action runs the same
 * generator, validation and atomic commit as `create-perf-backend generate`.
 */
export async function registerPerfBackendGenerators(plop: PlopApi): Promise<void> {
  const root = plop.getDestBasePath();
  plop.setActionType(PLOP_ACTION_TYPE, async (answers, config) => {
    const definition = findGenerator(String(config.generator));
    if (!definition) throw new Error(`Unknown generator ${String(config.generator)}`);
    try {
      const project = await loadProject(root);
      const options = definition.normalize(answers, project);
      const result = await runGenerator({
        root,
        generator: definition.generator,
        options,
        dryRun: false,
        policy: "abort",
        reporter: createConsoleReporter(process.stdout, { spinners: false }),
      });
      const steps = result.nextSteps.length > 0 ? `; next: ${result.nextSteps.join(" && ")}` : "";
      return `${String(result.written.length)} file(s) written by ${definition.name}${steps}`;
    } catch (error) {
      throw new Error(describeFailure(error), { cause: error });
    }
  });

  const project = await loadProject(root).catch(() => undefined);
  for (const definition of GENERATORS) {
    const questions = project ? definition.questions({}, project) : [];
    const interact = definition.interact?.bind(definition);
    // A dialogue needs plop's function form of prompts (which gives up plop's argument bypass).
    const prompts = !canPrompt()
      ? () => Promise.resolve().then(() => (project ? answersWithoutTerminal(definition, project, process.argv) : {}))
      : interact && project
        ? async (inquirer: InquirerLike) => {
            const ask = (batch: Question[]): Promise<Record<string, unknown>> =>
              batch.length === 0 ? Promise.resolve({}) : inquirer.prompt(batch.map(toInquirerQuestion));
            const given = namedBypass(process.argv);
            const answers = { ...given, ...(await ask(questions.filter((question) => given[question.name] === undefined))) };
            return { ...answers, ...(await interact(ask, answers, project)) };
          }
        : questions.map(toInquirerQuestion);
    plop.setGenerator(definition.name, {
      description: definition.description,
      prompts,
      actions: [{ type: PLOP_ACTION_TYPE, generator: definition.name }],
    });
  }
}
