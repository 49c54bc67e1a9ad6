import type { Question } from "../core/question.js";

/** Plop's prompt library (inquirer 9) names and shapes questions differently from `prompts`. */
const TYPE_MAP: Record<string, string> = {
  text: "input",
  select: "list",
  multiselect: "checkbox",
  confirm: "confirm",
  number: "number",
  list: "input",
};

interface Choice {
  title: string;
  value: unknown;
  selected?: boolean;
}

export function toInquirerQuestion(question: Question): Record<string, unknown> {
  const type = typeof question.type === "string" ? (TYPE_MAP[question.type] ?? "input") : "input";
  const choices = Array.isArray(question.choices)
    ? (question.choices as Choice[]).map((choice) => ({
        name: choice.title,
        value: choice.value,
        checked: choice.selected ?? false,
      }))
    : undefined;
  return {
    type,
    name: question.name,
    message: question.message,
    ...(question.initial !== undefined ? { default: question.initial } : {}),
    ...(choices ? { choices } : {}),
    ...(question.validate ? { validate: question.validate } : {}),
    ...(question.type === "list"
      ? {
          filter: (value: string) =>
            value
              .split(",")
              .map((part) => part.trim())
              .filter(Boolean),
        }
      : {}),
  };
}
