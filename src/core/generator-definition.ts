import type { ProjectContext } from "./detect.js";
import type { Generator } from "./generator.js";
import type { Question } from "./question.js";

/** Flags and answers as they arrive, keyed by camelCase option name; the positional argument is `name`. */
export type RawInput = Record<string, unknown>;

export interface FlagSpec {
  /** Commander syntax, e.g. "--columns <spec>" or "--no-migrate". */
  flags: string;
  description: string;
  /** The flag may be given several times; its values arrive as an array. */
  repeatable?: boolean;
}

/** Asks a batch of questions and returns the answers (the CLI's prompts, or plop's inquirer). */
export type AskFunction = (questions: Question[]) => Promise<Record<string, unknown>>;

/** One feature generator, shared by `create-perf-backend generate` and plop. */
export interface GeneratorDefinition<Options = unknown> {
  name: string;
  description: string;
  positional?: { name: string; description: string };
  flags: readonly FlagSpec[];
  /** Extra help text: grammars, examples. */
  help?: string;
  /** Questions for what the input leaves open; may read the project (e.g. existing tables). */
  questions(raw: RawInput, project: ProjectContext): Question[];
  /**
   * Optional multi-step dialogue (e.g. "add another column?") for terminals and plop; runs after
   * `questions` and only when prompting is possible. Returns more raw input.
   */
  interact?(ask: AskFunction, raw: RawInput, project: ProjectContext): Promise<RawInput>;
  /** Complete, validated options, or a UsageError naming what is wrong. */
  normalize(raw: RawInput, project: ProjectContext): Options;
  generator: Generator<Options>;
}

/** Erases the option type so definitions of different generators share one list. */
export function defineGenerator<Options>(definition: GeneratorDefinition<Options>): GeneratorDefinition {
  return definition as unknown as GeneratorDefinition;
}
