import { snakeCase } from "change-case";

import { findTable, singularTypeName, UsageError } from "../../src/devkit/index.js";
import type { SchemaColumn, SchemaModel, SchemaTable } from "../../src/devkit/index.js";
import { defaultCall, WORD } from "./column-spec.js";
import type { BigintMode, ColumnSpec, KeyType, PartialIndexSpec } from "./column-spec.js";

/** What a table is made of, whether it is generated whole or extended (--add-columns). */
export interface TableSpec {
  /** Exported table const (camelCase), e.g. `posts`. */
  table: string;
  columns: ColumnSpec[];
  indexes: string[][];
  unique: string[][];
  partialIndexes: PartialIndexSpec[];
  gin: string[];
  /** `--key` of a new table; undefined when extending one (its key is what the schema says). */
  key?: KeyType;
}

export const FK_INDEX_COMMENT =
  "Foreign-key column, then the key: joins and parent deletes do not scan the table, and a parent's rows in key order (the repository's eager read and paging) are one index range.";
/** `parent` is the referenced table (its export name is all that is used); for a self-reference, the table itself. */
export function columnBuilder(
  column: ColumnSpec,
  parent: Pick<SchemaTable, "tableVar"> | undefined,
  selfReference = false,
): string {
  const sqlName = JSON.stringify(snakeCase(column.name));
  const [first, second] = column.params;
  let options = "";
  if (column.type === "varchar" || column.type === "char")
    options = first === undefined ? "" : `{ length: ${String(first)} }`;
  else if (column.type === "numeric")
    options =
      first === undefined
        ? ""
        : `{ precision: ${String(first)}${second === undefined ? "" : `, scale: ${String(second)}`} }`;
  // BigInt end to end: "number" silently loses precision past 2^53.
  else if (column.type === "bigint") options = `{ mode: "${column.mode ?? "bigint"}" }`;
  else if (column.type === "timestamp") options = "{ withTimezone: true }";
  let code = `${column.type}(${sqlName}${options ? `, ${options}` : ""})`;
  if (column.array) code += ".array()";
  if (column.notNull) code += ".notNull()";
  if (column.default !== undefined) {
    const call = defaultCall(column, column.default);
    if ("problem" in call) throw new UsageError(`Column ${column.name}: default=${column.default} ${call.problem}.`);
    code += call.code;
  }
  if (column.onUpdateNow) code += ".$onUpdate(() => sql`now()`)";
  if (column.references && parent) {
    const action = column.references.onDelete ? `, { onDelete: ${JSON.stringify(column.references.onDelete)} }` : "";
    // A self-reference needs the callback's return type spelled out, or the table's type refers to itself.
    const callback = selfReference ? "(): AnyPgColumn =>" : "() =>";
    code += `.references(${callback} ${parent.tableVar}.${column.references.column}${action})`;
  }
  return code;
}

export function relationNameFor(column: ColumnSpec, taken: ReadonlySet<string>): string {
  const stripped = column.name.replace(/Id$/, "");
  const name = stripped === "" || stripped === column.name ? `${column.name}Relation` : stripped;
  return taken.has(name) ? `${name}Relation` : name;
}

export interface IndexLine {
  comment: string;
  expression: string;
}

// Every table `generate schema` writes is keyed by `id` (an identity column), int4 unless --key says otherwise.
const KEY_COLUMN = "id";
const KEY_COLUMN_TYPE: KeyType = "integer";
// PostgreSQL truncates longer identifiers silently, so two long index names can become one.
const MAX_IDENTIFIER_BYTES = 63;

export function assertIdentifier(what: string, name: string, fix: string): void {
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new UsageError(
      `The ${what} "${name}" is ${String(bytes)} bytes; PostgreSQL identifiers are at most ${String(MAX_IDENTIFIER_BYTES)} (longer ones are cut and can collide).`,
      [fix],
    );
  }
}

/** `<table>_<columns>[_partial|_unique|_gin]_idx`. */
export function indexName(sqlTableName: string, columns: readonly string[], suffix: string): string {
  return `${sqlTableName}_${columns.map((column) => snakeCase(column)).join("_")}${suffix}_idx`;
}

export function buildIndexes(options: TableSpec, sqlTableName: string): IndexLine[] {
  const name = (columns: string[], suffix: string): string => JSON.stringify(indexName(sqlTableName, columns, suffix));
  const on = (columns: string[]): string => columns.map((column) => `table.${column}`).join(", ");
  const lines: IndexLine[] = [
    ...options.columns
      .filter((column) => column.references)
      .map((column) => ({
        comment: FK_INDEX_COMMENT,
        expression: `index(${name([column.name], "")}).on(table.${column.name}, table.${KEY_COLUMN})`,
      })),
    ...options.indexes.map((columns) => ({
      comment: "",
      expression: `index(${name(columns, "")}).on(${on(columns)})`,
    })),
    ...options.partialIndexes.map(({ columns, condition }) => {
      const known = new Set(["id", ...options.columns.map((column) => column.name)]);
      // Column names become column references, except inside SQL string literals ('draft', 'it''s').
      const sqlCondition = condition
        .split(/('(?:[^']|'')*')/)
        .map((part, index) =>
          index % 2 === 1 ? part : part.replaceAll(WORD, (word) => (known.has(word) ? `\${table.${word}}` : word)),
        )
        .join("");
      return {
        comment: "",
        expression: `index(${name(columns, "_partial")}).on(${on(columns)}).where(sql\`${sqlCondition}\`)`,
      };
    }),
    ...options.unique.map((columns) => ({
      comment: "",
      expression: `uniqueIndex(${name(columns, "_unique")}).on(${on(columns)})`,
    })),
    ...options.gin.map((column) => ({
      comment: "",
      expression: `index(${name([column], "_gin")}).using("gin", table.${column})`,
    })),
  ];
  // An index asked for twice (e.g. --index authorId next to the automatic FK index) is written once.
  const seen = new Set<string>();
  return lines.filter((line) => {
    const key = /^\w+\("([^"]+)"/.exec(line.expression)?.[1] ?? line.expression;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Column types a foreign key can pair with: PostgreSQL needs the same type on both sides (serial is integer).
const TYPE_FAMILIES: Readonly<Record<string, string>> = {
  serial: "integer",
  smallserial: "smallint",
  bigserial: "bigint",
  varchar: "text",
  char: "text",
};
const familyOf = (type: string): string => TYPE_FAMILIES[type] ?? type;

// Type names TypeScript's lib declares besides the runtime globals (Promise, Map, Response... come from globalThis).
const LIB_TYPE_NAMES = new Set([
  "Record",
  "Partial",
  "Required",
  "Readonly",
  "Pick",
  "Omit",
  "Exclude",
  "Extract",
  "NonNullable",
  "ReturnType",
  "Parameters",
  "InstanceType",
  "Awaited",
  "PropertyKey",
  "Uppercase",
  "Lowercase",
  "Capitalize",
  "Uncapitalize",
  "NoInfer",
  "ThisType",
]);
const isGlobalName = (name: string): boolean =>
  LIB_TYPE_NAMES.has(name) || Object.getOwnPropertyNames(globalThis).includes(name);

/** A table whose exports would shadow a global or clash with another table's (user beside users). */
export function assertNoTwin(table: string, sqlTableName: string, schema: SchemaModel): void {
  const typeName = singularTypeName(table);
  for (const name of [table, typeName, `New${typeName}`]) {
    if (isGlobalName(name)) {
      throw new UsageError(
        `The table name "${table}" would export \`${name}\`, which shadows the global ${name} in every module that imports the schema.`,
        ["Pick another name (e.g. a more specific noun: promises -> pledges, events -> auditEvents)."],
      );
    }
  }
  const exportsOf = (tableVar: string, select?: string, insert?: string): string[] => {
    const type = select ?? singularTypeName(tableVar);
    return [tableVar, `${tableVar}Relations`, type, insert ?? `New${type}`];
  };
  const mine = exportsOf(table);
  for (const other of schema.values()) {
    if (other.tableVar === table) continue;
    const twin =
      other.tableVar.toLowerCase() === table.toLowerCase() ||
      singularTypeName(other.tableVar) === typeName ||
      other.sqlName === sqlTableName;
    if (twin) {
      throw new UsageError(
        `The table name "${table}" is a twin of the existing table ${other.tableVar} (SQL "${other.sqlName}", ${other.file}): both would be the ${typeName} entity or the same SQL table.`,
        [`Use ${other.tableVar}, or pick a distinct name.`],
      );
    }
    const shared = exportsOf(other.tableVar, other.selectType, other.insertType).find((name) => mine.includes(name));
    if (shared !== undefined) {
      throw new UsageError(
        `The table name "${table}" would export \`${shared}\`, which ${other.file} exports for the table ${other.tableVar}: the schema barrel cannot export both (TS2308).`,
        ["Pick a distinct name."],
      );
    }
  }
}

/** A foreign key to the table being generated itself (`parentId -> categories.id`): only its `id` key exists yet. */
export function isSelfReference(options: Pick<TableSpec, "table">, column: ColumnSpec): boolean {
  const table = column.references?.table;
  return table !== undefined && (table === options.table || snakeCase(table) === snakeCase(options.table));
}

/** A bigint foreign key takes the referenced key's values as they are read: BigInts, or numbers (mode "number"). */
const bigintModeOf = (referenced: Pick<SchemaColumn, "tsType">): BigintMode =>
  referenced.tsType === "number" ? "number" : "bigint";

export function resolveParents(options: TableSpec, schema: SchemaModel, schemaDir: string): Map<string, SchemaTable> {
  const parents = new Map<string, SchemaTable>();
  const tables = [...schema.keys()].filter((name) => name !== options.table);
  // The table's own key: --key for a new table, else the one it has (--add-columns).
  const ownKey =
    options.key === undefined ? schema.get(options.table)?.columns.find((column) => column.primaryKey) : undefined;
  const ownKeyType = options.key ?? familyOf(ownKey?.builder ?? KEY_COLUMN_TYPE);
  for (const column of options.columns) {
    if (!column.references) continue;
    const { table, column: target } = column.references;
    if (isSelfReference(options, column)) {
      if (target !== "id" || column.type !== ownKeyType) {
        throw new UsageError(
          `Column ${column.name}: a self-reference must be ${column.name}:${ownKeyType}:references=${options.table}.id (the table's own key).`,
        );
      }
      column.references = { ...column.references, table: options.table, column: "id" };
      if (column.type === "bigint") column.mode = ownKey ? bigintModeOf(ownKey) : "bigint";
      continue;
    }
    // Export or SQL name, any case, plural or singular: `CollegeTable.collegeId`, `colleges.college_id`.
    const lookup = findTable({ tables: schema }, table);
    const parent = lookup.found ? lookup.table : undefined;
    if (!parent) {
      throw new UsageError(
        `Column ${column.name}: references=${table}.${target}, but there is no table "${table}" in ${schemaDir}.`,
        [
          tables.length > 0
            ? `Tables: ${tables.join(", ")}.`
            : "There are no tables yet: generate the parent table first.",
          `Declared in a file the tool did not find? Tell init where: create-perf-backend init --schema <file|folder|glob> (and --db-client <module>#<export>).`,
        ],
      );
    }
    const referenced =
      parent.columns.find((candidate) => candidate.name === target) ??
      parent.columns.find((candidate) => candidate.sqlName === target);
    if (!referenced) {
      throw new UsageError(
        `Column ${column.name}: references=${table}.${target}, but ${table} has no column "${target}".`,
        [`Columns of ${table}: ${parent.columns.map((candidate) => candidate.name).join(", ")}.`],
      );
    }
    if (familyOf(referenced.builder) !== familyOf(column.type)) {
      throw new UsageError(
        `Column ${column.name}: it is ${column.type}, but ${table}.${target} is ${referenced.builder}; a foreign key needs the same type on both sides.`,
        [
          `Declare it as ${column.name}:${familyOf(referenced.builder) === "text" ? "text" : referenced.builder}:...:references=${table}.${target}.`,
        ],
      );
    }
    if (!referenced.primaryKey && !referenced.unique) {
      throw new UsageError(
        `Column ${column.name}: ${table}.${target} is neither the primary key nor unique, so PostgreSQL cannot reference it.`,
        [
          `Reference ${table}'s primary key (${parent.columns.find((candidate) => candidate.primaryKey)?.name ?? "id"}), or make ${target} unique first.`,
        ],
      );
    }
    // From here on the spec names the table and column as the code must: export name and column key.
    column.references = { ...column.references, table: parent.tableVar, column: referenced.name };
    if (column.type === "bigint") column.mode = bigintModeOf(referenced);
    parents.set(parent.tableVar, parent);
  }
  return parents;
}
