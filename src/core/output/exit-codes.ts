import { FindingsReported, UsageError } from "./errors.js";

export const EXIT_OK = 0;
export const EXIT_GENERATION_FAILED = 1;
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_GENERATION_FAILED | typeof EXIT_USAGE;

/** A check found what it was asked to fail on (same code as a failed generation: "not ok"). */
const EXIT_FINDINGS: ExitCode = EXIT_GENERATION_FAILED;

/** The one place where failures become exit codes. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof FindingsReported) return EXIT_FINDINGS;
  // Anything unexpected also means the run did not complete.
  return error instanceof UsageError ? EXIT_USAGE : EXIT_GENERATION_FAILED;
}
