import { createColors } from "picocolors";

import { countBySeverity } from "./finding.js";
import type { DoctorReport, Finding, Severity } from "./finding.js";

function where(finding: Finding): string {
  if (finding.file !== undefined) return `${finding.file}:${String(finding.line ?? 1)}:${String(finding.column ?? 1)}`;
  return finding.object ?? "";
}

/**
 * Findings grouped by rule: the playbook rule it breaks and the fix once, then every place. Colors only for a
 * terminal (`CI=true` alone would turn picocolors on for a log or a pipe).
 */
export function formatTextReport(report: DoctorReport, colors: boolean): string {
  const pc = createColors(colors);
  const severityLabel: Record<Severity, (text: string) => string> = {
    error: pc.red,
    warning: pc.yellow,
    note: pc.cyan,
  };
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) groups.set(finding.ruleId, [...(groups.get(finding.ruleId) ?? []), finding]);
  const rules = new Map(report.rules.map((rule) => [rule.id, rule]));
  for (const [ruleId, findings] of groups) {
    const rule = rules.get(ruleId);
    lines.push(`${pc.bold(ruleId)} ${pc.dim(`(${String(findings.length)})`)}`);
    if (rule) {
      lines.push(`  ${pc.dim("playbook:")} ${rule.playbook}`);
      lines.push(`  ${pc.dim("fix:")}      ${rule.fix}`);
    }
    for (const finding of findings)
      lines.push(
        `  ${severityLabel[finding.severity](finding.severity.padEnd("warning".length))} ${where(finding)}  ${finding.message}${finding.fixable ? pc.dim(" (doctor --fix)") : ""}`,
      );
    lines.push("");
  }
  for (const note of report.notes) lines.push(pc.dim(`note: ${note}`));
  const counts = countBySeverity(report.findings);
  // Notes are the note-level findings plus what could not be checked (printed just above): both are counted.
  const database = report.databaseChecked ? " and the database" : "";
  const migrations =
    report.migrationsChecked > 0
      ? `, ${String(report.migrationsChecked)} ${report.migrationsChecked === 1 ? "migration" : "migrations"} in ${report.migrationsFolder ?? "?"}/`
      : "";
  lines.push(
    `doctor: ${String(report.filesChecked)} ${report.filesChecked === 1 ? "file" : "files"} from ${report.tsconfig}${migrations}${database}: ${String(counts.error)} error(s), ${String(counts.warning)} warning(s), ${String(counts.note + report.notes.length)} note(s)`,
  );
  return `${lines.join("\n")}\n`;
}
