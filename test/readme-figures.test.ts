// The README's performance figures are those of the committed bench run, not a memory of an older one.
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { README_FIGURES_END, README_FIGURES_START, readmeFigures, withReadmeFigures } from "../bench/readme-figures.js";
import type { Row } from "../bench/stats.js";
import { REPO_ROOT } from "./helpers/cli.js";

const results = JSON.parse(readFileSync(path.join(REPO_ROOT, "bench/results.json"), "utf8")) as {
  node: string;
  rows: Row[];
};
const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

describe("README performance figures", () => {
  it("are the figures of bench/results.json (npm run bench rewrites them)", () => {
    const block = readme.slice(
      readme.indexOf(README_FIGURES_START),
      readme.indexOf(README_FIGURES_END) + README_FIGURES_END.length,
    );
    expect(block).toBe(readmeFigures(results.rows, results.node));
  });

  it("change when a figure of the run changes", () => {
    const changed = results.rows.map((row) =>
      row.id === "eager-time" ? { ...row, oursSummary: { ...row.oursSummary, value: row.oursSummary.value * 2 } } : row,
    );
    expect(withReadmeFigures(readme, readmeFigures(changed, results.node))).not.toBe(readme);
  });
});
