import type { Generator, GeneratorResult } from "../core/generator.js";
import type { Question } from "../core/question.js";
import type { Tree } from "../core/tree.js";
import type { GeneratorContext, ProjectRequirement } from "./context.js";
import type { OptionDescriptors, OptionValues } from "./options/descriptors.js";
import type { RawInput } from "./options/parse.js";
import { parseOptions } from "./options/parse.js";
import { questionsFor } from "./options/questions.js";

/** Asks a batch of questions and returns the answers (the CLI's prompts, or plop's inquirer). */
export type AskFunction = (questions: Question[]) => Promise<Record<string, unknown>>;

/** What a generator author writes: options declared once, then normalize and generate. */
export interface GeneratorSpec<Descriptors extends OptionDescriptors, Options> {
  name: string;
  description: string;
  /** Extra `--help` text: grammars, examples. */
  help?: string;
  /** How the command is typed, for messages (default `generate <name>`). */
  usage?: string;
  project: ProjectRequirement;
  options: Descriptors;
  /**
   * A dialogue that reads the project (pick a table, add columns one by one); runs after the plain
   * questions and only where prompting is possible. Returns more raw input, parsed like flags.
   */
  interact?: (ask: AskFunction, given: RawInput, context: GeneratorContext) => Promise<RawInput>;
  /** Typed option values -> the generator's options; checks that need the project throw UsageError (exit 2). */
  normalize: (values: OptionValues<Descriptors>, context: GeneratorContext) => Options | Promise<Options>;
  /** Directory the tree is rooted at (default: the run's cwd); `create` roots it at the new project. */
  root?: (options: Options) => string;
  generate: Generator<Options>;
}

/** A generator ready to run: its option types are sealed inside `prepare`, so one registry holds them all. */
export interface PreparedGeneration {
  root: string;
  generate: (tree: Tree) => GeneratorResult | Promise<GeneratorResult>;
}

export interface GeneratorDefinition {
  readonly name: string;
  readonly description: string;
  readonly help?: string;
  readonly usage: string;
  readonly project: ProjectRequirement;
  readonly options: OptionDescriptors;
  /** Questions for the options `given` leaves open. */
  questions(given: RawInput): Question[];
  interact?: (ask: AskFunction, given: RawInput, context: GeneratorContext) => Promise<RawInput>;
  /** Parses and validates raw input (exit 2 on bad input), then binds the options to the generator. */
  prepare(raw: RawInput, context: GeneratorContext): Promise<PreparedGeneration>;
}

export function defineGenerator<const Descriptors extends OptionDescriptors, Options>(
  spec: GeneratorSpec<Descriptors, Options>,
): GeneratorDefinition {
  const usage = spec.usage ?? `generate ${spec.name}`;
  return {
    name: spec.name,
    description: spec.description,
    help: spec.help,
    usage,
    project: spec.project,
    options: spec.options,
    questions: (given) => questionsFor(spec.options, given, usage),
    interact: spec.interact,
    async prepare(raw, context) {
      const options = await spec.normalize(parseOptions(spec.options, raw, usage), context);
      return { root: spec.root?.(options) ?? context.cwd, generate: (tree) => spec.generate(tree, options) };
    },
  };
}
