import type { PromptObject } from "prompts";

/** A prompt definition (`prompts` format), plus how to answer it without a terminal. */
export type Question = PromptObject<string> & {
  name: string;
  /** The flag that answers this question without a prompt. */
  flag: string;
  /** Without an answer the run cannot go on (optional questions fall back to their defaults). */
  required: boolean;
};
