// The goals issues set for bench rows, by row id (a `-node<major>` suffix names the same row on another Node line).
// A full `npm run bench` exits 1 when a measured row misses its goal; the README and results.md say met or missed.
export interface Goal {
  /** Ours at most this many times the baseline's figure. */
  timesBaseline?: number;
  /** Ours at most this, in the row's unit. */
  atMost?: number;
  issue: string;
}

const GOALS: Readonly<Record<string, Goal>> = {
  // Issue 24 (fast), against a plain plop add of one file.
  "tool-create-time": { timesBaseline: 1, issue: "issue 24" },
  "tool-plop-time": { timesBaseline: 1.5, issue: "issue 24" },
  "tool-plop-memory": { timesBaseline: 1.3, issue: "issue 24" },
  "tool-dry-run-time": { timesBaseline: 1.5, issue: "issue 24" },
  // Issue 21 (verified writes): the check once the repo's baseline is cached.
  "typecheck-api": { atMost: 1500, issue: "issue 21" },
  "typecheck-native": { atMost: 1500, issue: "issue 21" },
  // Issue 20 (failure paths): the eager read against the hand-written query of the same shape.
  "eager-vs-hand": { timesBaseline: 1.1, issue: "issue 20" },
  // The DataLoader's batch (a prepared statement) against the hand-written `where id = any($1)`, same pool.
  "loader-vs-hand": { timesBaseline: 1.25, issue: "issue 20" },
  // Issue 23's "eager-drizzle-1" (the eager read on drizzle-orm 1.0 vs 0.45) has no goal: its ratio is reported.
};

export function goalOf(id: string): Goal | undefined {
  return GOALS[id.replace(/-node\d+$/, "")];
}
