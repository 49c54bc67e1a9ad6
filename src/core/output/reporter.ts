import type { Plan } from "../plan.js";

/** How the core talks to whoever runs it (CLI, plop, tests). */
export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  plan(plan: Plan, options: { dryRun: boolean }): void;
  /** Runs a long step with visible progress. */
  step<T>(title: string, work: () => Promise<T>): Promise<T>;
}

export const silentReporter: Reporter = {
  info: () => undefined,
  warn: () => undefined,
  plan: () => undefined,
  step: (_title, work) => work(),
};
