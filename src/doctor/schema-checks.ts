import { createDiskHost } from "../core/host.js";
import { Tree } from "../core/tree.js";
import { formatDiagnostic, readDrizzleSchema } from "../schema-model/index.js";
import type { SchemaColumn, SchemaTable } from "../schema-model/index.js";
import type { Finding, RuleInfo } from "./finding.js";

export const NO_PRIMARY_KEY_RULE = "schema/no-primary-key";
export const SOFT_DELETE_INDEX_RULE = "schema/soft-delete-without-partial-index";

// Columns that mark a row as deleted while it stays in the table (by key or SQL name).
const SOFT_DELETE_COLUMN = /^(?:deleted_?at|deleted_?on|is_?deleted|deleted)$/i;

export const SCHEMA_RULES: RuleInfo[] = [
  {
    id: NO_PRIMARY_KEY_RULE,
    description:
      "A Drizzle table without a primary key (neither .primaryKey() on a column nor primaryKey() in its extras)",
    playbook:
      "Index columns used in WHERE, JOIN and ORDER BY clauses: rows are found, joined, paged and batched by their key.",
    fix: "Add a key: id: integer().primaryKey().generatedAlwaysAsIdentity() (or uuid().primaryKey().defaultRandom()), or primaryKey({ columns: [t.a, t.b] }) for a join table.",
  },
  {
    id: SOFT_DELETE_INDEX_RULE,
    description: "A soft-delete column (deletedAt, deleted_at, isDeleted...) with no partial index filtering on it",
    playbook:
      "Partial index: most queries filter on active/non-deleted rows; an index of only those stays small and is the one reads use.",
    fix: 'index("<table>_live_idx").on(t.<read column>).where(isNull(t.deletedAt)) (or .where(eq(t.isDeleted, false))), on the columns the reads filter or order by.',
  },
];

export interface SchemaCheckResult {
  findings: Finding[];
  notes: string[];
}

const isSoftDeleteColumn = (column: SchemaColumn): boolean =>
  SOFT_DELETE_COLUMN.test(column.name) || SOFT_DELETE_COLUMN.test(column.sqlName);

/** A partial index names the column in its `.where(...)` (by key: `t.deletedAt`, or SQL name: `deleted_at`). */
function hasPartialIndexOn(table: SchemaTable, column: SchemaColumn): boolean {
  const mentions = new RegExp(String.raw`\b(?:${column.name}|${column.sqlName})\b`);
  return table.indexes.some((index) => index.where !== undefined && mentions.test(index.where));
}

/** Checks of the repo's Drizzle schema (the model read statically, no database needed), each at the table's or column's file:line. */
export async function runSchemaChecks(root: string): Promise<SchemaCheckResult> {
  const model = await readDrizzleSchema(new Tree(createDiskHost(root)));
  const notes = model.diagnostics.map((diagnostic) => `schema not read statically: ${formatDiagnostic(diagnostic)}`);
  if (model.tables.size === 0) {
    return {
      findings: [],
      notes: [
        ...notes,
        "No Drizzle tables found (no drizzle.config schema, no drizzle(..., { schema }) client): the schema checks did not run.",
      ],
    };
  }
  const findings: Finding[] = [];
  for (const table of model.tables.values()) {
    if (!table.primaryKey) {
      findings.push({
        ruleId: NO_PRIMARY_KEY_RULE,
        severity: "warning",
        message: `Table ${table.sqlName} (${table.tableVar}) has no primary key: rows cannot be found, updated or paged by key, and logical replication cannot update or delete them.`,
        file: table.file,
        line: table.line,
        column: 1,
      });
    }
    for (const column of table.columns.filter(isSoftDeleteColumn)) {
      if (hasPartialIndexOn(table, column)) continue;
      findings.push({
        ruleId: SOFT_DELETE_INDEX_RULE,
        severity: "warning",
        message: `${table.tableVar}.${column.name} (${column.sqlName}) marks soft-deleted rows, but no index of ${table.sqlName} has a .where(...) on it: reads that skip deleted rows still index and scan them.`,
        file: column.file,
        line: column.line,
        column: 1,
      });
    }
  }
  return { findings, notes };
}
