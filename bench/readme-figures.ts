// The README's performance figures, rendered from the committed bench run: `npm run bench` rewrites the block
// between the markers, and test/readme-figures.test.ts fails when the README says something results.json does not.
import { formatNumber, formatRatio } from "./report.js";
import { describeGoal, goalMet, rowGoal } from "./stats.js";
import type { Row } from "./stats.js";

export const README_FIGURES_START = "<!-- bench figures: written by npm run bench from bench/results.json -->";
export const README_FIGURES_END = "<!-- end of bench figures -->";

// Headline rows of the generated code: [label, row ids whose figures the line shows].
const HEADLINES: ReadonlyArray<[string, readonly string[]]> = [
  ["eager read of 50 users + posts + comments", ["eager-statements", "eager-time"]],
  [
    "the same eager read vs a hand-written lateral `json_agg` query of its shape (the floor: below 1× is slower)",
    ["eager-vs-hand"],
  ],
  ["100 `load(id)` in one tick (DataLoader)", ["loader-statements", "loader-time"]],
  ["one DataLoader batch vs a hand-written `where id = any($1)` (the floor)", ["loader-vs-hand"]],
  ["100 concurrent cold reads of one cached key", ["cache-single-flight"]],
  ["cache hit vs the DB read it replaces: Redis, in-process L1", ["cache-hit", "cache-l1-hit"]],
  [
    "burst of 24 CPU tasks: worker pool vs inline (event-loop p99, throughput)",
    ["worker-loop-p99", "worker-throughput"],
  ],
  ["1,000 requests at concurrency 50: pool vs new `pg.Client` each", ["pool-time", "pool-connections"]],
];
// The tool's own rows with a goal, by Node line (the bench's own Node, then the registry's lines).
const TOOL_ROW = /^(tool-(?:create-time|plop-time|plop-memory|dry-run-time)|typecheck-(?:api|native))(?:-node(\d+))?$/;

function byId(rows: readonly Row[], id: string): Row {
  const row = rows.find((candidate) => candidate.id === id);
  if (!row) throw new Error(`bench/results.json has no row ${id}`);
  return row;
}

const figure = (value: number, row: Row): string => `${formatNumber(value)} ${row.unit}`;
const fromTo = (row: Row): string =>
  row.notMeasured === undefined
    ? `${figure(row.baselineSummary.value, row)} → ${figure(row.oursSummary.value, row)}`
    : "not measured";

function headlineLine([label, ids]: [string, readonly string[]], rows: readonly Row[]): string {
  const shown = ids.map((id) => byId(rows, id));
  return `| ${label} | ${shown.map(fromTo).join("; ")} | ${shown.map((row) => (row.notMeasured === undefined ? formatRatio(row.ratio) : "—")).join(" / ")} |`;
}

function toolLine(row: Row, node: string): string {
  const met = goalMet(row);
  // Tool rows read as "ours is N× the baseline" (the goals are written that way), not "N× better".
  const times = row.notMeasured === undefined ? formatRatio(row.oursSummary.value / row.baselineSummary.value) : "—";
  const goal = rowGoal(row);
  const verdict = goal
    ? `${describeGoal(goal, row.unit)}: ${met === undefined ? "not measured" : met ? "met" : "**missed**"}`
    : "";
  return `| ${row.comparison.replace(/^\d+[a-z]?\. (?:\(Node \d+\) )?/, "")} (${row.metric}) | ${node} | ${row.baselineLabel} → ${row.oursLabel}: ${fromTo(row)} | ${times} | ${verdict} |`;
}

/** The markdown between the markers, for these rows (those of bench/results.json) and the Node of the run. */
export function readmeFigures(rows: readonly Row[], benchNode: string): string {
  const tool = rows.flatMap((row) => {
    const match = TOOL_ROW.exec(row.id);
    return match ? [toolLine(row, match[2] ? `Node ${match[2]}` : benchNode)] : [];
  });
  return [
    README_FIGURES_START,
    "",
    "| comparison | baseline → generated | ratio (times better) |",
    "|---|---|---|",
    ...HEADLINES.map((headline) => headlineLine(headline, rows)),
    "",
    "The tool itself, against the goals its issues set (a full `npm run bench` exits 1 when one is missed):",
    "",
    "| run | Node | baseline → ours | ours / baseline | goal |",
    "|---|---|---|---|---|",
    ...tool,
    "",
    README_FIGURES_END,
  ].join("\n");
}

/** The README with its figures block replaced; throws when the markers are missing. */
export function withReadmeFigures(readme: string, figures: string): string {
  const start = readme.indexOf(README_FIGURES_START);
  const end = readme.indexOf(README_FIGURES_END);
  if (start === -1 || end < start) throw new Error("README.md has no bench figures markers");
  return `${readme.slice(0, start)}${figures}${readme.slice(end + README_FIGURES_END.length)}`;
}
