import { GenerationError, UsageError } from "../core/output/errors.js";
import type { Question } from "../core/question.js";
import type { CliIo } from "./io.js";

/**
 * The one place that asks the user anything. Without a TTY, or with --yes/--json, it never waits:
 * optional questions take their defaults and missing required ones fail with the flags that supply them.
 */
export async function ask(
  io: CliIo,
  questions: readonly Question[],
  allowPrompt: boolean,
): Promise<Record<string, unknown>> {
  if (questions.length === 0) return {};
  if (!allowPrompt || !io.interactive) {
    const required = questions.filter((question) => question.required);
    if (required.length === 0) return {};
    throw new UsageError(`Missing required input: ${required.map((question) => question.name).join(", ")}.`, [
      `Pass ${required.map((question) => question.flag).join(" and ")}${io.interactive ? "." : " (there is no terminal to ask on)."}`,
      "Run with --help to see every option.",
    ]);
  }
  let cancelled = false;
  // Loaded only when there is someone to ask: runs with flags, --yes or no terminal never pay for it.
  const { default: prompts } = await import("prompts");
  const answers = await prompts(
    questions.map((question) => ({ ...question, stdin: io.stdin, stdout: io.stdout })),
    {
      onCancel: () => {
        cancelled = true;
        return false;
      },
    },
  );
  if (cancelled) throw new GenerationError("Cancelled; nothing was written.");
  return answers;
}
