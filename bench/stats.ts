import { goalOf } from "./goals.js";
import type { Goal } from "./goals.js";

/** One comparison: raw samples of the baseline and of ours, one per repetition, measured in the same run. */
export interface Measurement {
  id: string;
  comparison: string;
  metric: string;
  unit: string;
  /** Whether a smaller (time, statements) or a larger (throughput) figure is the better one. */
  betterIs: "lower" | "higher";
  baselineLabel: string;
  oursLabel: string;
  counted: string;
  baseline: number[];
  ours: number[];
  /** The summary figure: the median (default), or the mean where most samples are legitimately 0. */
  aggregate?: "median" | "mean";
  /** Tool rows where the ratio must stay near 1 rather than be large. */
  expectNearOne?: boolean;
  /** A goal of its own (tests); rows otherwise take theirs from bench/goals.ts by id. */
  goal?: Goal;
  /** Why the row has no figures (a child timed out or failed): reported as such, and the rest of the bench still runs. */
  notMeasured?: string;
}

export interface Summary {
  value: number;
  min: number;
  max: number;
}

export interface Row extends Measurement {
  baselineSummary: Summary;
  oursSummary: Summary;
  /** How many times better ours is (baseline/ours for lower-is-better, ours/baseline otherwise): > 1 = ours wins. */
  ratio: number;
  /** Min–max of the same ratio computed per paired repetition; null when a sample is 0. */
  ratioSpread: [number, number] | null;
  oursWorse: boolean;
}

// Within this band of 1 the tool-overhead rows count as "close to 1" (the machine is noisy).
export const NEAR_ONE_TOLERANCE = 0.2;
const HALF = 2;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / HALF);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % HALF === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / HALF;
}

function summarize(values: number[], aggregate: "median" | "mean"): Summary {
  const value = aggregate === "mean" ? values.reduce((sum, item) => sum + item, 0) / values.length : median(values);
  return { value, min: Math.min(...values), max: Math.max(...values) };
}

function advantage(baseline: number, ours: number, betterIs: "lower" | "higher"): number {
  if (baseline === ours) return 1;
  return betterIs === "lower" ? baseline / ours : ours / baseline;
}

const NOT_MEASURED: Summary = { value: Number.NaN, min: Number.NaN, max: Number.NaN };

export function toRow(measurement: Measurement): Row {
  if (measurement.notMeasured !== undefined) {
    return {
      ...measurement,
      baselineSummary: NOT_MEASURED,
      oursSummary: NOT_MEASURED,
      ratio: Number.NaN,
      ratioSpread: null,
      oursWorse: false,
    };
  }
  if (measurement.baseline.length === 0 || measurement.baseline.length !== measurement.ours.length) {
    throw new Error(`${measurement.id}: needs the same number (> 0) of baseline and ours samples`);
  }
  const aggregate = measurement.aggregate ?? "median";
  const baselineSummary = summarize(measurement.baseline, aggregate);
  const oursSummary = summarize(measurement.ours, aggregate);
  const ratio = advantage(baselineSummary.value, oursSummary.value, measurement.betterIs);
  const paired = measurement.baseline.map((baseline, index) =>
    advantage(baseline, measurement.ours[index] ?? Number.NaN, measurement.betterIs),
  );
  const ratioSpread: [number, number] | null = paired.every((value) => Number.isFinite(value) && value > 0)
    ? [Math.min(...paired), Math.max(...paired)]
    : null;
  const oursWorse = measurement.expectNearOne === true ? ratio < 1 - NEAR_ONE_TOLERANCE : ratio < 1;
  return { ...measurement, baselineSummary, oursSummary, ratio, ratioSpread, oursWorse };
}

/** Whether a measured row meets its goal (undefined: no goal, or not measured). */
export function goalMet(row: Row): boolean | undefined {
  const goal = rowGoal(row);
  if (!goal || row.notMeasured !== undefined) return undefined;
  const ours = row.oursSummary.value;
  if (goal.timesBaseline !== undefined && ours > goal.timesBaseline * row.baselineSummary.value) return false;
  if (goal.atMost !== undefined && ours > goal.atMost) return false;
  return true;
}

/** The row's goal: its own, else the one bench/goals.ts sets for its id. */
export function rowGoal(row: Pick<Measurement, "id" | "goal">): Goal | undefined {
  return row.goal ?? goalOf(row.id);
}

/** The goal in words, e.g. "goal ≤ 1.5× the baseline (issue 24)". */
export function describeGoal(goal: Goal, unit: string): string {
  const parts = [
    goal.timesBaseline === undefined ? "" : `≤ ${String(goal.timesBaseline)}× the baseline`,
    goal.atMost === undefined ? "" : `≤ ${String(goal.atMost)} ${unit}`,
  ];
  return `goal ${parts.filter(Boolean).join(" and ")} (${goal.issue})`;
}
