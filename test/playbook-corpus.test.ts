import { cp, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

import { execa } from "execa";
import { describe, expect, it } from "vitest";

import { silentReporter } from "../src/core/output/reporter.js";
import { applyPlaybookFixes } from "../src/doctor/apply-fixes.js";
import type { Finding } from "../src/doctor/finding.js";
import { lintWithPlaybookRules } from "../src/doctor/lint-rules.js";
import { MIGRATION_RULES, runMigrationChecks } from "../src/doctor/migration-checks.js";
import { runSquawk } from "../src/doctor/squawk.js";
import { tsconfigSourceFiles } from "../src/doctor/tsconfig-files.js";
import { rules } from "../src/eslint-plugin/index.js";
import { REPO_ROOT } from "./helpers/cli.js";
import { makeTempDir, snapshotDir } from "./helpers/temp-dir.js";

const CORPUS = path.join(REPO_ROOT, "test", "fixtures", "playbook-corpus");
const MIN_PLANTED = 40;
const MIN_LOOK_ALIKES = 40;
const MIN_SCORE = 0.95;
const CORPUS_TIMEOUT_MS = 120_000;
// Two typed lint passes (fixers, then the report) and a tsc run on a copy of the corpus.
const FIX_TIMEOUT_MS = 300_000;
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
        markers.push({
          kind: match[1] as Marker["kind"],
          rule: match[2] ?? "",
          key: `${path.relative(CORPUS, file)}:${String(index + 1)}`,
        });
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
      const findings = await lintWithPlaybookRules({
        root: CORPUS,
        tsconfigPath: path.join(CORPUS, "tsconfig.json"),
        files,
      });
      // Anything but our rules (a parse error, say) makes the measurement meaningless.
      expect(findings.filter((finding) => !finding.ruleId.startsWith("perf-backend/"))).toEqual([]);

      expect(markers.filter((marker) => marker.kind === "expect").length).toBeGreaterThanOrEqual(MIN_PLANTED);
      expect(markers.filter((marker) => marker.kind === "ok").length).toBeGreaterThanOrEqual(MIN_LOOK_ALIKES);

      const rows = Object.keys(rules).map((rule) => {
        const expected = new Set(
          markers.filter((marker) => marker.kind === "expect" && marker.rule === rule).map((marker) => marker.key),
        );
        const reported = new Set(
          findings
            .filter((finding) => finding.ruleId === `perf-backend/${rule}`)
            .map((finding) => `${finding.file ?? ""}:${String(finding.line)}`),
        );
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
        expect(row.precision, `${row.rule} false positives: ${row.falsePositives.join(", ")}`).toBeGreaterThanOrEqual(
          MIN_SCORE,
        );
        expect(row.recall, `${row.rule} missed: ${row.missed.join(", ")}`).toBeGreaterThanOrEqual(MIN_SCORE);
      }
    },
    CORPUS_TIMEOUT_MS,
  );
});

/** True when every character of `original` appears in `fixed` in order: the fix only added text, it dropped nothing. */
function onlyAdds(original: string, fixed: string): boolean {
  let at = 0;
  for (const char of fixed) if (at < original.length && char === original[at]) at += 1;
  return at === original.length;
}

const findingKey = (finding: Finding): string => `${finding.ruleId} ${finding.file ?? ""} ${finding.message}`;

describe("doctor --fix on the playbook corpus", () => {
  it(
    "plans the diffs on --dry-run, then leaves no fixable finding, adds no diagnostic, drops no code, and the corpus compiles",
    async () => {
      const { dir, cleanup } = await makeTempDir("corpus-fix");
      try {
        const copy = path.join(dir, "corpus");
        await cp(CORPUS, copy, { recursive: true });
        await symlink(path.join(REPO_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
        // In the repo the corpus is ESM through the repo's package.json; the copy says so itself.
        await writeFile(path.join(copy, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
        const tsconfigPath = path.join(copy, "tsconfig.json");
        const files = await tsconfigSourceFiles(tsconfigPath);
        const before = await lintWithPlaybookRules({
          root: CORPUS,
          tsconfigPath: path.join(CORPUS, "tsconfig.json"),
          files: await tsconfigSourceFiles(path.join(CORPUS, "tsconfig.json")),
        });
        const fixable = before.filter((finding) => finding.fixable === true);
        expect(new Set(fixable.map((finding) => finding.ruleId))).toEqual(
          new Set(["perf-backend/fk-needs-index", "perf-backend/cache-ttl-required"]),
        );

        const untouched = await snapshotDir(copy);
        const dry = await applyPlaybookFixes({ root: copy, dryRun: true, reporter: silentReporter, typecheck: false });
        expect(dry.run.written).toEqual([]);
        expect(await snapshotDir(copy)).toEqual(untouched);
        const planned = dry.run.plan.entries.filter((entry) => entry.action === "update");
        expect(planned.map((entry) => entry.path).sort()).toEqual(
          [...new Set(fixable.map((finding) => finding.file))].sort(),
        );
        for (const entry of planned) expect(entry.diff, entry.path).toMatch(/^\+.*(?:index\(|EX)/m);

        const applied = await applyPlaybookFixes({
          root: copy,
          dryRun: false,
          reporter: silentReporter,
          typecheck: false,
        });
        expect(applied.run.written.sort()).toEqual(planned.map((entry) => entry.path).sort());
        for (const fix of applied.fixes) {
          expect(onlyAdds(fix.before, fix.after), `${fix.file}: a fixer removed text`).toBe(true);
          expect(await readFile(path.join(copy, fix.file), "utf8")).toBe(fix.after);
        }

        const after = await lintWithPlaybookRules({ root: copy, tsconfigPath, files });
        expect(after.filter((finding) => finding.fixable === true)).toEqual([]);
        // What is left is exactly what had no fix: nothing new, nothing else gone.
        const expected = before
          .filter((finding) => finding.fixable !== true)
          .map(findingKey)
          .sort();
        expect(after.map(findingKey).sort()).toEqual(expected);

        const tsc = await execa(
          "node",
          [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", tsconfigPath],
          { reject: false },
        );
        expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
        expect(tsc.exitCode).toBe(0);
      } finally {
        await cleanup();
      }
    },
    FIX_TIMEOUT_MS,
  );
});

const MIGRATIONS = path.join(CORPUS, "migrations");
const SQL_MARKER = /-- (expect|ok): (migration\/[a-z-]+)/g;
const MIN_UNSAFE_MIGRATIONS = 10;
const MIN_SAFE_MIGRATIONS = 10;

async function sqlMarkers(): Promise<Marker[]> {
  const markers: Marker[] = [];
  for (const name of (await readdir(MIGRATIONS)).filter((file) => file.endsWith(".sql"))) {
    const lines = (await readFile(path.join(MIGRATIONS, name), "utf8")).split("\n");
    lines.forEach((text, index) => {
      for (const match of text.matchAll(SQL_MARKER)) {
        markers.push({
          kind: match[1] as Marker["kind"],
          rule: match[2] ?? "",
          key: `migrations/${name}:${String(index + 1)}`,
        });
      }
    });
  }
  return markers;
}

describe("migration checks on the corpus's migrations", () => {
  it("reports the locking statements at file:line and leaves their online look-alikes alone", async () => {
    const markers = await sqlMarkers();
    const result = await runMigrationChecks(CORPUS);
    expect(result.folder).toBe("migrations");
    const expected = new Set(
      markers.filter((marker) => marker.kind === "expect").map((marker) => `${marker.rule} ${marker.key}`),
    );
    const reported = new Set(
      result.findings.map((finding) => `${finding.ruleId} ${finding.file ?? ""}:${String(finding.line)}`),
    );
    expect(expected.size).toBeGreaterThanOrEqual(MIN_UNSAFE_MIGRATIONS);
    expect(markers.filter((marker) => marker.kind === "ok").length).toBeGreaterThanOrEqual(MIN_SAFE_MIGRATIONS);
    const truePositives = [...reported].filter((key) => expected.has(key)).length;
    const precision = reported.size === 0 ? 1 : truePositives / reported.size;
    const recall = truePositives / expected.size;
    console.info(
      `migration corpus: ${String(expected.size)} unsafe, ${String(markers.filter((marker) => marker.kind === "ok").length)} safe look-alikes, precision ${percent(precision)}, recall ${percent(recall)}`,
    );
    expect(
      [...reported].filter((key) => !expected.has(key)),
      "false positives",
    ).toEqual([]);
    expect(
      [...expected].filter((key) => !reported.has(key)),
      "missed",
    ).toEqual([]);
    for (const finding of result.findings) {
      expect(MIGRATION_RULES.map((rule) => rule.id)).toContain(finding.ruleId);
      expect(finding.message.length).toBeGreaterThan(0);
    }
  });

  it("mutation: removing CONCURRENTLY from each online index makes it a finding at its line", async () => {
    const { dir, cleanup } = await makeTempDir("migration-mutation");
    try {
      const online = (await readFile(path.join(MIGRATIONS, "0004_online.sql"), "utf8")).split("\n");
      const concurrent = online
        .map((line, index) => ({ line, index }))
        .filter(({ line }) => /^CREATE (?:UNIQUE )?INDEX CONCURRENTLY/.test(line));
      expect(concurrent.length).toBeGreaterThanOrEqual(2);
      for (const { index } of concurrent) {
        const copy = path.join(dir, `mutant-${String(index)}`);
        await cp(CORPUS, copy, {
          recursive: true,
          filter: (source) => !source.endsWith(".ts") || source.endsWith("drizzle.config.ts"),
        });
        const mutated = online.map((line, at) => (at === index ? line.replace("CONCURRENTLY ", "") : line)).join("\n");
        await writeFile(path.join(copy, "migrations", "0004_online.sql"), mutated);
        const result = await runMigrationChecks(copy);
        expect(
          result.findings.map((finding) => `${finding.ruleId} ${finding.file ?? ""}:${String(finding.line)}`),
        ).toContain(`migration/index-without-concurrently migrations/0004_online.sql:${String(index + 1)}`);
      }
    } finally {
      await cleanup();
    }
  });

  it("reads `out` from the drizzle config, and says so when there are no migrations", async () => {
    const { dir, cleanup } = await makeTempDir("migration-config");
    try {
      await writeFile(
        path.join(dir, "drizzle.config.ts"),
        `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "postgresql", out: "./db/migrations" });\n`,
      );
      const none = await runMigrationChecks(dir);
      expect(none.findings).toEqual([]);
      expect(none.notes.join("\n")).toContain("db/migrations/ does not exist");
      await mkdir(path.join(dir, "db", "migrations"), { recursive: true });
      await writeFile(path.join(dir, "db", "migrations", "0000_x.sql"), `CREATE INDEX "a_b_idx" ON "a" ("b");\n`);
      const one = await runMigrationChecks(dir);
      expect(one.findings).toMatchObject([
        {
          ruleId: "migration/index-without-concurrently",
          file: "db/migrations/0000_x.sql",
          line: 1,
          severity: "error",
        },
      ]);
    } finally {
      await cleanup();
    }
  });
});

// A stand-in for the repo's squawk-cli: prints squawk's JSON report (0-based lines) for the corpus's migrations.
const FAKE_SQUAWK = `#!/usr/bin/env node
const violations = [
  { file: "migrations/0000_init.sql", line: 22, column: 0, level: "Warning", message: "index", help: "Use concurrently.", rule_name: "require-concurrent-index-creation" },
  { file: "migrations/0001_unsafe_indexes.sql", line: 0, column: 0, level: "Warning", message: "index", help: "Use concurrently.", rule_name: "require-concurrent-index-creation" },
  { file: "migrations/0002_unsafe_columns.sql", line: 0, column: 20, level: "Warning", message: "robust", help: null, rule_name: "prefer-robust-stmts" },
  { file: "migrations/0004_online.sql", line: 11, column: 20, level: "Warning", message: "Dropping NOT NULL", help: null, rule_name: "ban-drop-not-null" },
  { file: "migrations/0004_online.sql", line: 5, column: 20, level: "Warning", message: "Adding a foreign key takes a lock.", help: "Add it NOT VALID.", rule_name: "adding-foreign-key-constraint" },
];
process.stdout.write(JSON.stringify(violations));
process.exitCode = 1;
`;

describe("squawk on the corpus's migrations (the repo's squawk-cli)", () => {
  it("keeps squawk's lock rules on existing tables, drops new tables, style rules and statements doctor already reported", async () => {
    const { dir, cleanup } = await makeTempDir("squawk");
    try {
      const repo = path.join(dir, "repo");
      await cp(MIGRATIONS, path.join(repo, "migrations"), { recursive: true });
      await cp(path.join(CORPUS, "drizzle.config.ts"), path.join(repo, "drizzle.config.ts"));
      await writeFile(path.join(repo, "package.json"), "{}\n");
      await mkdir(path.join(repo, "node_modules", "squawk-cli", "js"), { recursive: true });
      await writeFile(
        path.join(repo, "node_modules", "squawk-cli", "package.json"),
        JSON.stringify({ name: "squawk-cli", version: "2.66.0", bin: { squawk: "js/squawk" } }),
      );
      await writeFile(path.join(repo, "node_modules", "squawk-cli", "js", "squawk"), FAKE_SQUAWK);

      const migrations = await runMigrationChecks(repo);
      const result = await runSquawk(repo, migrations);
      expect(result.version).toBe("2.66.0");
      expect(result.notes).toEqual([]);
      // 0000 creates its tables (dropped), 0001:1 is doctor's own finding (dropped), the style rules are off.
      expect(result.findings).toEqual([
        {
          ruleId: "squawk/adding-foreign-key-constraint",
          severity: "error",
          message: "Adding a foreign key takes a lock. Add it NOT VALID.",
          file: "migrations/0004_online.sql",
          line: 6,
          column: 21,
        },
      ]);
      expect(result.rules.map((rule) => rule.id)).toEqual(["squawk/adding-foreign-key-constraint"]);

      await cp(path.join(repo, "package.json"), path.join(dir, "package.json"));
      const without = await runSquawk(path.join(dir, "none"), {
        ...migrations,
        statements: new Map([["migrations/x.sql", []]]),
      });
      expect(without.findings).toEqual([]);
      expect(without.notes.join("\n")).toContain("squawk-cli is not installed");
    } finally {
      await cleanup();
    }
  });
});
