/** How bad a finding is; the names (and order) are SARIF's levels. */
export const SEVERITIES = ["note", "warning", "error"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

/** What a rule is about, printed once per group. */
export interface RuleInfo {
  id: string;
  description: string;
  /** The playbook rule it enforces. */
  playbook: string;
  fix: string;
  /** Where the rule is documented (a file URL inside this package for the lint rules). */
  helpUri?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Source findings: a path relative to the repo root, 1-based line and column. */
  file?: string;
  line?: number;
  column?: number;
  /** `doctor --fix` applies a safe fix for it (the rule's fixer); other findings may offer editor suggestions. */
  fixable?: boolean;
  /** Database findings: the object concerned, e.g. `public.posts` or `public.posts_author_id_idx`. */
  object?: string;
}

export interface DoctorReport {
  root: string;
  tsconfig: string;
  filesChecked: number;
  /** SQL migrations read from the drizzle config's `out` folder. */
  migrationsChecked: number;
  migrationsFolder?: string;
  databaseChecked: boolean;
  rules: RuleInfo[];
  findings: Finding[];
  /** What could not be checked, and why. */
  notes: string[];
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { note: 0, warning: 0, error: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
