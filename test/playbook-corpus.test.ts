import { readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { lintWithPlaybookRules } from "../src/doctor/lint-rules.js";
import { tsconfigSourceFiles } from "../src/doctor/tsconfig-files.js";
import { rules } from "../src/eslint-plugin/index.js";
import { REPO_ROOT } from "./helpers/cli.js";

const CORPUS = path.join(REPO_ROOT, "test", "fixtures", "playbook-corpus");
const MIN_PLANTED = 40;
const MIN_LOOK_ALIKES = 40;
const MIN_SCORE = 0.95;
const CORPUS_TIMEOUT_MS = 120_000;
const PERCENT = 100;
const MARKER = /\/\/ (expect|ok): ([a-z-]+)/g;

interface Marker {
  kind: "expect" | "ok";
  rule: string;
  key: string;
}

async function readMarkers(files: string[]): Promise<Marker[]> {
  const markers: Marker[] = [];
  for (const file of files) {
    const lines = (await readFile(file, "utf8")).split("\n");
    lines.forEach((text, index) => {
      for (const match of text.matchAll(MARKER)) {
        markers.push({ kind: match[1] as Marker["kind"], rule: match[2] ?? "", key: `${path.relative(CORPUS, file)}:${String(index + 1)}` });
      }
    });
  }
  return markers;
}

const percent = (value: number): string => `${(value * PERCENT).toFixed(1)}%`;

describe("playbook corpus: precision and recall of every rule", () => {
  it(
    "finds the planted violations and leaves the look-alikes alone",
    async () => {
      const files = await tsconfigSourceFiles(path.join(CORPUS, "tsconfig.json"));
      const markers = await readMarkers(files);
      const findings = await lintWithPlaybookRules({ root: CORPUS, tsconfigPath: path.join(CORPUS, "tsconfig.json"), files });
      // Anything but our rules (a parse error, say) makes the measurement meaningless.
      expect(findings.filter((finding) => !finding.ruleId.startsWith("perf-backend/"))).toEqual([]);

      expect(markers.filter((marker) => marker.kind === "expect").length).toBeGreaterThanOrEqual(MIN_PLANTED);
      expect(markers.filter((marker) => marker.kind === "ok").length).toBeGreaterThanOrEqual(MIN_LOOK_ALIKES);

      const rows = Object.keys(rules).map((rule) => {
        const expected = new Set(markers.filter((marker) => marker.kind === "expect" && marker.rule === rule).map((marker) => marker.key));
        const reported = new Set(findings.filter((finding) => finding.ruleId === `perf-backend/${rule}`).map((finding) => `${finding.file ?? ""}:${String(finding.line)}`));
        const truePositives = [...reported].filter((key) => expected.has(key)).length;
        const falsePositives = [...reported].filter((key) => !expected.has(key));
        const missed = [...expected].filter((key) => !reported.has(key));
        const lookAlikes = markers.filter((marker) => marker.kind === "ok" && marker.rule === rule).length;
        return {
          rule,
          planted: expected.size,
          lookAlikes,
          truePositives,
          falsePositives,
          missed,
          precision: reported.size === 0 ? 1 : truePositives / reported.size,
          recall: expected.size === 0 ? 1 : truePositives / expected.size,
        };
      });

      const table = [
        "| rule | planted | look-alikes | found | false positives | missed | precision | recall |",
        "|---|---|---|---|---|---|---|---|",
        ...rows.map(
          (row) =>
            `| ${row.rule} | ${String(row.planted)} | ${String(row.lookAlikes)} | ${String(row.truePositives)} | ${String(row.falsePositives.length)} | ${String(row.missed.length)} | ${percent(row.precision)} | ${percent(row.recall)} |`,
        ),
      ].join("\n");
      console.info(`playbook corpus (${String(files.length)} files):\n${table}`);
      for (const row of rows) {
        expect(row.planted, row.rule).toBeGreaterThan(0);
        expect(row.precision, `${row.rule} false positives: ${row.falsePositives.join(", ")}`).toBeGreaterThanOrEqual(MIN_SCORE);
        expect(row.recall, `${row.rule} missed: ${row.missed.join(", ")}`).toBeGreaterThanOrEqual(MIN_SCORE);
      }
    },
    CORPUS_TIMEOUT_MS,
  );
});
