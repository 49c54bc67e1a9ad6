/** Bad or missing input: the user can fix it by changing flags or answers. Exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";

  constructor(
    message: string,
    readonly hints: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Generation could not complete; nothing was written. Exit code 1. */
export class GenerationError extends Error {
  override readonly name: string = "GenerationError";

  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The plan touches files the user owns and --on-conflict is abort. */
export class ConflictError extends GenerationError {
  override readonly name = "ConflictError";
}

/** A check (doctor) ran and reported findings at or above the threshold; the report is already printed. Exit code 1. */
export class FindingsReported extends Error {
  override readonly name = "FindingsReported";

  constructor(readonly count: number) {
    super(`${String(count)} finding(s) at or above the --fail-on level`);
  }
}
