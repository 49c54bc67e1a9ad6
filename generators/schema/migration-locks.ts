import { snakeCase } from "change-case";

import type { ProjectLayout, SchemaTable, Tree } from "../../src/devkit/index.js";
import type { ColumnSpec } from "./column-spec.js";
import { indexName } from "./table-code.js";

// The generated db:generate that moves what locks a table into a migration run outside a transaction (templates/app/base).
const ONLINE_GENERATE = /\bsrc\/db\/migrate\.ts generate\b/;

/** The project generates its migrations through src/db/migrate.ts (a project `create` made), not drizzle-kit alone. */
export function generatesOnlineMigrations(tree: Tree): boolean {
  try {
    const manifest = JSON.parse(tree.read("package.json") ?? "{}") as { scripts?: Record<string, unknown> };
    const script = manifest.scripts?.["db:generate"];
    return typeof script === "string" && ONLINE_GENERATE.test(script);
  } catch {
    return false;
  }
}

/**
 * What the migration of `--add-columns` will lock on a table that may hold rows, and how it ships online: plan notes
 * (text and --json). Indexes and foreign keys are what would block writes for a whole build or scan.
 */
export function migrationLockNotes(
  table: SchemaTable,
  columns: readonly ColumnSpec[],
  online: boolean,
  layout: ProjectLayout,
): string[] {
  const sqlTable = table.sqlName;
  const notes = [
    `Migration of ${sqlTable} (an existing table, which may hold rows): ADD COLUMN ${columns.map((column) => snakeCase(column.name)).join(", ")} takes an ACCESS EXCLUSIVE lock for an instant (no rewrite: ${columns.some((column) => column.default !== undefined) ? "constant defaults" : "nullable"}), but it queues behind running transactions and everything queues behind it: run it with a short lock_timeout and retry.`,
  ];
  const rewrites = columns.filter((column) => column.default === "random");
  if (rewrites.length > 0) {
    notes.push(
      `ADD COLUMN ${rewrites.map((column) => snakeCase(column.name)).join(", ")} DEFAULT gen_random_uuid(): a per-row default rewrites ${sqlTable} under that lock. Add the column without the default, backfill in batches, then set the default.`,
    );
  }
  const indexed = columns
    .filter((column) => column.references)
    .map((column) => ({ column, index: indexName(table.sqlName, [column.name], "") }));
  if (indexed.length === 0) return notes;
  const what = indexed
    .map(({ column, index }) => `FOREIGN KEY (${snakeCase(column.name)}) and index ${index}`)
    .join(", ");
  const locks = `A plain CREATE INDEX holds a SHARE lock on ${sqlTable} (every write waits for the whole build) and a validating FOREIGN KEY a SHARE ROW EXCLUSIVE lock while it scans the table.`;
  if (online) {
    notes.push(
      `${what}: ${locks} db:generate (${layout.db.migrationsDir}/) moves them to a migration of their own marked "-- perf-backend:no-transaction": CREATE INDEX CONCURRENTLY IF NOT EXISTS and VALIDATE CONSTRAINT (the key is added NOT VALID, an instant), which db:migrate runs outside a transaction while reads and writes go on (see the README, "Migrations").`,
    );
  } else {
    notes.push(
      `${what}: ${locks} drizzle-kit writes them that way and runs each migration in a transaction, where CONCURRENTLY fails. Before applying, move them to a migration of their own: CREATE INDEX CONCURRENTLY IF NOT EXISTS, ADD CONSTRAINT ... NOT VALID then VALIDATE CONSTRAINT, run outside a transaction (psql); \`create-perf-backend doctor\` reports what is left.`,
    );
  }
  return notes;
}

// An index call in Drizzle's table extras: `index("x").on(...)`, `uniqueIndex(...)`.
const INDEX_CALL = /\b(?:unique)?[iI]ndex\(/g;

/** Files whose new text declares more indexes than before (a fixer added them to existing tables). */
export function filesGainingIndexes(changes: ReadonlyArray<{ file: string; before: string; after: string }>): string[] {
  const count = (text: string): number => text.match(INDEX_CALL)?.length ?? 0;
  return changes.filter((change) => count(change.after) > count(change.before)).map((change) => change.file);
}

/** The plan note of a change that adds indexes to tables that may already hold rows (doctor --fix fk-needs-index). */
export function addedIndexLockNote(files: readonly string[], online: boolean): string {
  const where = files.join(", ");
  const locks =
    "the migration drizzle-kit writes for them is a plain CREATE INDEX, which holds a SHARE lock on its table: every write waits for the whole build";
  return online
    ? `New indexes in ${where}: ${locks}. db:generate moves them to a migration of their own marked "-- perf-backend:no-transaction" (CREATE INDEX CONCURRENTLY IF NOT EXISTS), which db:migrate runs outside a transaction while writes go on.`
    : `New indexes in ${where}: ${locks}, and drizzle-kit runs each migration in a transaction, where CONCURRENTLY fails. Before applying, move them to a migration of their own as CREATE INDEX CONCURRENTLY IF NOT EXISTS, run outside a transaction (psql); doctor reports what is left.`;
}
