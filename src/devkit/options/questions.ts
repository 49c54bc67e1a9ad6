import type { Question } from "../../core/question.js";
import type { OptionDescriptor, OptionDescriptors } from "./descriptors.js";
import { flagUsage } from "./flags.js";
import type { RawInput } from "./parse.js";
import { validateAnswer } from "./parse.js";

function promptFields(
  key: string,
  descriptor: OptionDescriptor,
  usage: string,
): Omit<Question, "name" | "message" | "flag" | "required"> {
  const validate = (value: unknown): true | string => validateAnswer(key, descriptor, value, usage);
  switch (descriptor.kind) {
    case "string":
      return { type: "text", initial: descriptor.initial ?? descriptor.default ?? "", validate };
    case "integer":
      return { type: "number", initial: descriptor.default, min: descriptor.min, max: descriptor.max, validate };
    case "boolean":
      return { type: "confirm", initial: descriptor.default };
    case "enum":
      return {
        type: "select",
        choices: descriptor.choices.map((choice) => ({ title: descriptor.titles?.[choice] ?? choice, value: choice })),
        initial: descriptor.default === undefined ? 0 : Math.max(0, descriptor.choices.indexOf(descriptor.default)),
      };
    case "list":
      return { type: "list", separator: ",", initial: "", validate };
  }
}

/** Questions for every option that has a prompt, was not given, and applies (`when`), in declaration order. */
export function questionsFor(descriptors: OptionDescriptors, given: RawInput, usage: string): Question[] {
  const questions: Question[] = [];
  for (const [key, descriptor] of Object.entries(descriptors)) {
    if (descriptor.prompt === undefined || given[key] !== undefined) continue;
    if (descriptor.when && !descriptor.when(given)) continue;
    questions.push({
      ...promptFields(key, descriptor, usage),
      name: key,
      message: descriptor.prompt,
      flag: flagUsage(key, descriptor, usage),
      required: descriptor.kind === "string" && descriptor.required === true && descriptor.default === undefined,
    });
  }
  return questions;
}
