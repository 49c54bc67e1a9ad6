import { UsageError } from "../core/output/errors.js";
import type { DiagnosticCode, DrizzleSchemaModel } from "../schema-model/index.js";
import { formatDiagnostic } from "../schema-model/index.js";

// Unread columns or a table whose columns could not be read make generated code wrong (missing required columns in
// inserts, types that do not exist): generators stop for those tables. Everything else is reported and they go on.
const BLOCKING = new Set<DiagnosticCode>(["table-not-readable", "column-not-readable", "spread-not-readable"]);

/** One note per thing the schema reader could not read statically, with its file and line (shown with the plan). */
export function schemaDiagnosticNotes(model: Pick<DrizzleSchemaModel, "diagnostics">): string[] {
  return model.diagnostics.map(
    (diagnostic) =>
      `Schema not read statically: ${formatDiagnostic(diagnostic)}${diagnostic.table ? ` (table ${diagnostic.table})` : ""}`,
  );
}

/** Stops (exit 2) when a table the generated code relies on was not read in full, saying where and what to change. */
export function assertTablesReadable(model: Pick<DrizzleSchemaModel, "diagnostics">, tables: Iterable<string>): void {
  const wanted = new Set(tables);
  const blocking = model.diagnostics.filter(
    (diagnostic) => diagnostic.table !== undefined && wanted.has(diagnostic.table) && BLOCKING.has(diagnostic.code),
  );
  if (blocking.length === 0) return;
  const lines = blocking.map((diagnostic) => `  ${formatDiagnostic(diagnostic)}`);
  throw new UsageError(`The schema reader could not read columns the generated code would use:\n${lines.join("\n")}`, [
    "Write those columns as pg-core builder chains in the table's object (or a callback returning one); a spread must be a const object literal in a schema file.",
    "Nothing was written; the other tables of the schema were read in full.",
  ]);
}
