import { createRequire } from "node:module";
import path from "node:path";

import type { Finding, RuleInfo } from "./finding.js";
import type { MigrationCheckResult, StatementFacts } from "./migration-checks.js";

// squawk's rules about locks and rewrites (its style rules, such as prefer-robust-stmts or prefer-bigint-over-int,
// are the repo's business, not the playbook's).
export const SQUAWK_LOCK_RULES = [
  "require-concurrent-index-creation",
  "adding-required-field",
  "adding-field-with-default",
  "changing-column-type",
  "constraint-missing-not-valid",
  "adding-foreign-key-constraint",
  "adding-not-nullable-field",
  "disallowed-unique-constraint",
  "adding-serial-primary-key-field",
  "adding-exclusion-constraint",
  "require-concurrent-index-deletion",
] as const;

const SQUAWK_PACKAGE = "squawk-cli";

export interface SquawkResult {
  findings: Finding[];
  rules: RuleInfo[];
  notes: string[];
  version?: string;
}

interface SquawkViolation {
  file: string;
  line: number;
  column: number;
  message: string;
  help: string | null;
  rule_name: string;
}

/** The repo's own squawk (`npm i -D squawk-cli`): its JS entry, or undefined when it is not installed. */
function resolveSquawk(root: string): { bin: string; version: string } | undefined {
  try {
    const require = createRequire(path.join(root, "package.json"));
    const manifestPath = require.resolve(`${SQUAWK_PACKAGE}/package.json`);
    const manifest = require(manifestPath) as { version?: string; bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.["squawk"];
    return bin ? { bin: path.join(path.dirname(manifestPath), bin), version: manifest.version ?? "?" } : undefined;
  } catch {
    return undefined;
  }
}

/** The statement a squawk line (1-based) falls in: the last one starting at or before it. */
function statementAt(facts: readonly StatementFacts[], line: number): StatementFacts | undefined {
  let found: StatementFacts | undefined;
  for (const fact of facts) if (fact.line <= line) found = fact;
  return found;
}

/**
 * squawk's lock rules on the same migrations, when the repo has squawk-cli installed. Its findings on a table created
 * earlier in the same migration (no rows yet: drizzle-kit's first migration creates tables, then their indexes and
 * foreign keys) are dropped, and so are those on a statement doctor's own checks already reported.
 */
export async function runSquawk(root: string, migrations: MigrationCheckResult): Promise<SquawkResult> {
  const files = [...migrations.statements.keys()];
  if (files.length === 0) return { findings: [], rules: [], notes: [] };
  const squawk = resolveSquawk(root);
  if (!squawk)
    return {
      findings: [],
      rules: [],
      notes: [
        `squawk-cli is not installed in this repo: only doctor's own lock checks read the migrations (npm i -D ${SQUAWK_PACKAGE} adds squawk's).`,
      ],
    };
  const { execa } = await import("execa");
  const result = await execa(process.execPath, [squawk.bin, "--reporter", "json", ...files], {
    cwd: root,
    reject: false,
  });
  let violations: SquawkViolation[];
  try {
    violations = JSON.parse(result.stdout) as SquawkViolation[];
  } catch {
    return {
      findings: [],
      rules: [],
      notes: [
        `squawk ${squawk.version} did not report JSON (exit ${String(result.exitCode)}): ${result.stderr.trim().slice(0, 200)}`,
      ],
      version: squawk.version,
    };
  }
  const ownLines = new Set(migrations.findings.map((finding) => `${finding.file ?? ""}:${String(finding.line)}`));
  const lockRules = new Set<string>(SQUAWK_LOCK_RULES);
  const findings: Finding[] = [];
  const help = new Map<string, string>();
  for (const violation of violations) {
    if (!lockRules.has(violation.rule_name)) continue;
    const file = path.relative(root, path.resolve(root, violation.file)).split(path.sep).join("/");
    // squawk counts lines and columns from 0.
    const line = violation.line + 1;
    const statement = statementAt(migrations.statements.get(file) ?? [], line);
    if (statement?.newTable || (statement && ownLines.has(`${file}:${String(statement.line)}`))) continue;
    findings.push({
      ruleId: `squawk/${violation.rule_name}`,
      severity: "error",
      message: violation.help ? `${violation.message} ${violation.help}` : violation.message,
      file,
      line,
      column: violation.column + 1,
    });
    if (!help.has(violation.rule_name))
      help.set(violation.rule_name, violation.help ?? "See squawk's documentation of the rule.");
  }
  const rules = [...help].map(([rule, fix]) => ({
    id: `squawk/${rule}`,
    description: `squawk ${squawk.version}: ${rule}`,
    playbook:
      "Schema changes to a table that has rows must not take locks that stop reads or writes for the length of a scan, index build or rewrite.",
    fix,
    helpUri: `https://squawkhq.com/docs/${rule}`,
  }));
  return { findings, rules, notes: [], version: squawk.version };
}
