import type { Node as MorphNode } from "ts-morph";

import { UsageError } from "../../core/errors.js";

export type DiagnosticCode =
  | "config-not-readable"
  | "schema-path-missing"
  | "import-not-resolved"
  | "table-name-not-readable"
  | "table-not-readable"
  | "column-not-readable"
  | "spread-not-readable"
  | "reference-not-readable"
  | "constraint-not-readable"
  | "relations-not-readable"
  | "duplicate-table-name";

/** Something the model could not read statically: reported with file and line, never dropped silently. */
export interface SchemaDiagnostic {
  code: DiagnosticCode;
  file: string;
  line: number;
  message: string;
  /** Variable name of the table whose declaration it is in, when it is in one. */
  table?: string;
}

export class DiagnosticLog {
  readonly entries: SchemaDiagnostic[] = [];

  add(code: DiagnosticCode, file: string, at: MorphNode | number, message: string): void {
    const line = typeof at === "number" ? at : at.getStartLineNumber();
    if (this.entries.some((entry) => entry.file === file && entry.line === line && entry.message === message)) return;
    this.entries.push({ code, file, line, message });
  }
}

export const formatDiagnostic = (diagnostic: SchemaDiagnostic): string => `${diagnostic.file}:${diagnostic.line}: ${diagnostic.message}`;

/** Drizzle 1.0's `defineRelations` (relational queries v2): generators stop with exit 2 rather than mix v1 and v2. */
export class UnsupportedRelationsError extends UsageError {
  constructor(
    readonly file: string,
    readonly line: number,
  ) {
    super(`${file}:${line} uses defineRelations (Drizzle 1.0, relational queries v2), which is not supported yet.`, [
      "Generated code uses relations() and db.query of drizzle-orm 0.45; mixing the two APIs would not compile.",
    ]);
  }
}
