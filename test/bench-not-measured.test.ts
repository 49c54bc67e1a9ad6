// The bench goes on when a row's child hangs: the row is reported as not measured, with the reason.
import { describe, expect, it } from "vitest";

import { measureNodeProcess } from "../bench/processes.js";
import { markdownReport, markdownTable, svgChart } from "../bench/report.js";
import { goalMet, toRow } from "../bench/stats.js";
import type { Measurement } from "../bench/stats.js";
import { Series } from "../bench/tool-measurements.js";
import { makeTempDir } from "./helpers/temp-dir.js";

const HANG_MS = 30_000;
const TIMEOUT_MS = 300;

function row(overrides: Partial<Measurement>): Measurement {
  return {
    id: "r",
    comparison: "7b. plop repository",
    metric: "whole-process wall time",
    unit: "ms",
    betterIs: "lower",
    baselineLabel: "floor",
    oursLabel: "plop",
    counted: "node start to exit",
    baseline: [1, 2],
    ours: [2, 3],
    ...overrides,
  };
}

describe("a bench row whose child times out", () => {
  it("stops its series with the reason, and later samples are not taken", async () => {
    const { dir, cleanup } = await makeTempDir("bench-timeout");
    try {
      const hang = await makeScript(dir, `setTimeout(() => {}, ${String(HANG_MS)});`);
      const quick = await makeScript(dir, "");
      const series = new Series();
      await series.sample(() => measureNodeProcess(quick, [], { cwd: dir }));
      expect(series.ms).toHaveLength(1);
      await series.sample(() => measureNodeProcess(hang, [], { cwd: dir, timeoutMs: TIMEOUT_MS }));
      expect(series.failed).toMatch(/^timed out after 0 s, killed/);
      await series.sample(() => measureNodeProcess(quick, [], { cwd: dir }));
      expect(series.ms).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });

  it("is reported as not measured, with the reason, next to the measured rows", () => {
    const rows = [
      row({ id: "a", notMeasured: "timed out after 60 s, killed: `node plop-run.js`\nlast output" }),
      row({ id: "b", comparison: "7a. create" }),
    ].map(toRow);
    expect(rows[0]?.oursWorse).toBe(false);
    const table = markdownTable(rows);
    expect(table).toContain("**not measured**: timed out after 60 s, killed: `node plop-run.js`");
    expect(table).not.toContain("last output");
    expect(table).toContain("7a. create");
    const report = markdownReport(rows, {
      date: "d",
      machine: "m",
      node: "v",
      repetitions: "r",
      dataset: "s",
      benchSeconds: 1,
    });
    expect(report).toContain("- **Not measured:** 7b. plop repository, whole-process wall time: timed out after 60 s");
    expect(svgChart(rows)).not.toContain("7b.");
  });
});

async function makeScript(dir: string, body: string): Promise<string> {
  const { writeFile } = await import("node:fs/promises");
  const file = `${dir}/script-${String(body.length)}.js`;
  await writeFile(file, body);
  return file;
}

describe("a bench row with a goal", () => {
  const goal = { timesBaseline: 1.5, issue: "issue 24" };
  it("is met at 1.5x the baseline and missed above it; the table says which", () => {
    const met = toRow(row({ baseline: [200, 200, 200], ours: [290, 300, 310], goal }));
    const missed = toRow(row({ baseline: [200, 200, 200], ours: [300, 302, 320], goal }));
    expect([goalMet(met), goalMet(missed)]).toEqual([true, false]);
    expect(markdownTable([met])).toContain("goal ≤ 1.5× the baseline (issue 24): met");
    expect(markdownTable([missed])).toContain("goal ≤ 1.5× the baseline (issue 24): MISSED");
  });

  it("comes from bench/goals.ts by the row's id, on every Node line (the -node<major> rows too)", () => {
    expect(goalMet(toRow(row({ id: "tool-plop-time-node26", baseline: [200], ours: [290] })))).toBe(true);
    expect(goalMet(toRow(row({ id: "tool-plop-time-node26", baseline: [200], ours: [310] })))).toBe(false);
    expect(goalMet(toRow(row({ id: "eager-vs-hand", baseline: [3], ours: [3.5] })))).toBe(false);
    expect(goalMet(toRow(row({ id: "eager-time", baseline: [3], ours: [3.5] })))).toBeUndefined();
  });

  it("checks an absolute bound in the row's unit, and has no verdict when not measured", () => {
    const cached = { atMost: 1500, issue: "issue 21" };
    expect(goalMet(toRow(row({ baseline: [7000], ours: [1400], goal: cached })))).toBe(true);
    expect(goalMet(toRow(row({ baseline: [7000], ours: [1600], goal: cached })))).toBe(false);
    expect(goalMet(toRow(row({ baseline: [], ours: [], goal: cached, notMeasured: "timed out" })))).toBeUndefined();
  });
});
