import type { Node as MorphNode } from "ts-morph";

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

export const formatDiagnostic = (diagnostic: SchemaDiagnostic): string =>
  `${diagnostic.file}:${diagnostic.line}: ${diagnostic.message}`;
