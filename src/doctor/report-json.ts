import { countBySeverity } from "./finding.js";
import type { DoctorReport, Severity } from "./finding.js";

/** The machine-readable report (`--json`): the counts, every finding, and the rules they refer to. */
export function toJsonReport(report: DoctorReport, failOn: Severity, failed: boolean): Record<string, unknown> {
  return {
    ok: !failed,
    command: "doctor",
    root: report.root,
    tsconfig: report.tsconfig,
    filesChecked: report.filesChecked,
    migrationsChecked: report.migrationsChecked,
    ...(report.migrationsFolder === undefined ? {} : { migrationsFolder: report.migrationsFolder }),
    databaseChecked: report.databaseChecked,
    failOn,
    summary: countBySeverity(report.findings),
    findings: report.findings,
    rules: report.rules,
    notes: report.notes,
  };
}
