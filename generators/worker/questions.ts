import type { RawInput } from "../../src/core/generator-definition.js";
import type { Question } from "../../src/core/question.js";
import { promptValidation, toModuleNames } from "../shared/module-name.js";
import { AUTO_MAX_THREADS, MAX_THREADS_LIMIT } from "./options.js";

/** Questions for what the flags left open; type names default to <Name>Input / <Name>Output. */
export function workerQuestions(raw: RawInput): Question[] {
  const questions: Question[] = [];
  if (raw.name === undefined) {
    questions.push({
      type: "text",
      name: "name",
      message: "Task name (e.g. hash-password)",
      flag: "the name argument (generate worker <name>)",
      required: true,
      validate: (value: string) => promptValidation(() => toModuleNames(value, "worker task", "hash-password")),
    });
  }
  if (raw.maxThreads === undefined) {
    questions.push({
      type: "number",
      name: "maxThreads",
      message: "Max threads (0: all cores but one)",
      initial: AUTO_MAX_THREADS,
      min: 0,
      max: MAX_THREADS_LIMIT,
      flag: "--max-threads <n>",
      required: false,
    });
  }
  for (const [key, flag, message] of [
    ["inputType", "--input-type <Name>", "Input type name (empty: <Name>Input)"],
    ["outputType", "--output-type <Name>", "Output type name (empty: <Name>Output)"],
  ] as const) {
    if (raw[key] === undefined) questions.push({ type: "text", name: key, message, initial: "", flag, required: false });
  }
  return questions;
}
