import path from "node:path";

import type { DoctorReport } from "./finding.js";
import { lintWithPlaybookRules, playbookRuleInfo } from "./lint-rules.js";
import { LIVE_RULES, runLiveChecks } from "./live-checks.js";
import { MIGRATION_RULES, runMigrationChecks } from "./migration-checks.js";
import { runSchemaChecks, SCHEMA_RULES } from "./schema-checks.js";
import { runSquawk } from "./squawk.js";
import { tsconfigSourceFiles } from "./tsconfig-files.js";

export interface DoctorOptions {
  root: string;
  /** The repo's tsconfig (default: <root>/tsconfig.json). */
  tsconfigPath?: string;
  databaseUrl?: string;
  poolSize: number;
  instances: number;
  onProgress?: (done: number, total: number) => void;
}

/** Lints the repo's files (from its own tsconfig) with the playbook rules and, given a database, reads its catalogs. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const tsconfigPath = path.resolve(options.root, options.tsconfigPath ?? "tsconfig.json");
  const files = await tsconfigSourceFiles(tsconfigPath);
  const lintFindings = await lintWithPlaybookRules({
    root: options.root,
    tsconfigPath,
    files,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const schema = await runSchemaChecks(options.root);
  const migrations = await runMigrationChecks(options.root);
  const squawk = await runSquawk(options.root, migrations);
  const live = options.databaseUrl
    ? await runLiveChecks({
        databaseUrl: options.databaseUrl,
        poolSize: options.poolSize,
        instances: options.instances,
      })
    : { findings: [], notes: ["No --database-url: the live checks against PostgreSQL's catalogs did not run."] };
  return {
    root: options.root,
    tsconfig: path.relative(options.root, tsconfigPath).split(path.sep).join("/"),
    filesChecked: files.length,
    migrationsChecked: migrations.filesChecked,
    ...(migrations.folder === undefined ? {} : { migrationsFolder: migrations.folder }),
    databaseChecked: options.databaseUrl !== undefined,
    rules: [
      ...(await playbookRuleInfo()),
      ...SCHEMA_RULES,
      ...MIGRATION_RULES,
      ...squawk.rules,
      ...(options.databaseUrl ? LIVE_RULES : []),
    ],
    findings: [...lintFindings, ...schema.findings, ...migrations.findings, ...squawk.findings, ...live.findings],
    notes: [...schema.notes, ...migrations.notes, ...squawk.notes, ...live.notes],
  };
}
