import { UsageError } from "../../src/devkit/index.js";
import { checkIndexCondition } from "./index-condition.js";

/** pg-core column types the compact spec accepts; `(n)` parameters where the type takes them. */
export const COLUMN_TYPES = [
  "text",
  "varchar",
  "char",
  "integer",
  "smallint",
  "bigint",
  "boolean",
  "timestamp",
  "date",
  "numeric",
  "real",
  "doublePrecision",
  "uuid",
  "json",
  "jsonb",
] as const;

export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ColumnSpec {
  /** TypeScript property name (camelCase); the SQL name is its snake_case. */
  name: string;
  type: ColumnType;
  /** `varchar(255)` -> [255], `numeric(10,2)` -> [10, 2]. */
  params: number[];
  array: boolean;
  notNull: boolean;
  unique: boolean;
  /** Raw default value as written after `default=`. */
  default?: string;
  references?: { table: string; column: string };
}

export interface PartialIndexSpec {
  columns: string[];
  /** Condition as written, e.g. `deletedAt is null`. */
  condition: string;
}

export const COLUMN_GRAMMAR =
  "name:type[:modifier...] separated by commas; types: text, varchar(n), char(n), integer, smallint, bigint, boolean, timestamp, date, " +
  "numeric(p,s), real, doublePrecision, uuid, json, jsonb (append [] for an array); modifiers: notNull, unique, array, default=<value>, references=<table>.<column>";

const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;
// A referenced table or column as the repo writes it: `users`, `UserTable`, `tbl_users`, `college_id`.
const REFERENCE_PART = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_PATTERN = /^([A-Za-z]+)(?:\(([^)]*)\))?(\[\])?$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const TYPES_WITH_PARAMS: Record<string, { min: number; max: number }> = {
  varchar: { min: 0, max: 1 },
  char: { min: 0, max: 1 },
  numeric: { min: 0, max: 2 },
};
// PostgreSQL's own limits: varchar(n)/char(n) up to 10485760, numeric precision up to 1000.
const MAX_CHARACTER_LENGTH = 10_485_760;
const MAX_NUMERIC_PRECISION = 1000;
const NUMBER_TYPES: ReadonlySet<ColumnType> = new Set(["integer", "smallint", "bigint", "real", "doublePrecision"]);
/** Identifiers in a partial-index condition; the ones naming columns become `${table.column}`. */
export const WORD = /\b[A-Za-z_]\w*\b/g;
/** Characters that would break out of the generated code. */
const UNSAFE_VALUE = /[`$\\]/;

function usage(message: string): UsageError {
  return new UsageError(message, [`--columns grammar: ${COLUMN_GRAMMAR}.`, 'Example: --columns "title:varchar(255):notNull,authorId:integer:notNull:references=users.id"']);
}

/** Splits on commas that are not inside parentheses (numeric(10,2)). */
function splitTopLevel(spec: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of spec) {
    if (char === "(") depth += 1;
    if (char === ")") depth -= 1;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

function parseType(entry: string, raw: string): Pick<ColumnSpec, "type" | "params" | "array"> {
  const match = TYPE_PATTERN.exec(raw);
  const type = match?.[1];
  if (!match || !type || !(COLUMN_TYPES as readonly string[]).includes(type)) {
    throw usage(`Column "${entry}": unknown type "${raw}". Types: text, varchar(n), char(n), integer, smallint, bigint, boolean, timestamp, date, numeric(p,s), real, doublePrecision, uuid, json, jsonb.`);
  }
  const limits = TYPES_WITH_PARAMS[type];
  const params = match[2] === undefined ? [] : match[2].split(",").map((value) => value.trim());
  if (params.length > 0 && !limits) throw usage(`Column "${entry}": type ${type} takes no parameters ("${raw}").`);
  if (limits && (params.length > limits.max || params.some((value) => !/^\d+$/.test(value) || Number(value) === 0))) {
    throw usage(`Column "${entry}": bad parameters in "${raw}" (positive integers, at most ${String(limits.max)}).`);
  }
  const [precision, scale] = params.map(Number);
  if ((type === "varchar" || type === "char") && precision !== undefined && precision > MAX_CHARACTER_LENGTH) {
    throw usage(`Column "${entry}": ${type}(${String(precision)}) is longer than PostgreSQL allows (${String(MAX_CHARACTER_LENGTH)}); use text.`);
  }
  if (type === "numeric" && precision !== undefined && precision > MAX_NUMERIC_PRECISION) {
    throw usage(`Column "${entry}": numeric precision ${String(precision)} is above PostgreSQL's limit of ${String(MAX_NUMERIC_PRECISION)}.`);
  }
  if (precision !== undefined && scale !== undefined && scale > precision) {
    throw usage(`Column "${entry}": in "${raw}" the scale (${String(scale)}) is larger than the precision (${String(precision)}).`);
  }
  return { type: type as ColumnType, params: params.map(Number), array: match[3] !== undefined };
}

function checkDefault(entry: string, column: ColumnSpec, value: string): void {
  const fail = (why: string): never => {
    throw usage(`Column "${entry}": default=${value} ${why}.`);
  };
  if (value === "") fail("is empty");
  if (UNSAFE_VALUE.test(value)) fail("contains ` $ or \\");
  if (column.array) fail("is not supported on arrays");
  if (NUMBER_TYPES.has(column.type) && !(column.type === "real" || column.type === "doublePrecision" ? DECIMAL : INTEGER).test(value)) {
    fail(`is not a number for type ${column.type}`);
  }
  if (column.type === "numeric" && !DECIMAL.test(value)) fail("is not a decimal number");
  if (column.type === "boolean" && value !== "true" && value !== "false") fail("must be true or false");
  if ((column.type === "timestamp" || column.type === "date") && value !== "now") fail(`must be "now" for type ${column.type}`);
  if (column.type === "uuid" && value !== "random") fail('must be "random" for type uuid');
  if (column.type === "json" || column.type === "jsonb") fail(`is not supported for type ${column.type}`);
}

function parseColumn(entry: string, position: number): ColumnSpec {
  if (entry === "") throw usage(`--columns: entry ${String(position)} is empty (two commas in a row, or a trailing comma?).`);
  const [name = "", rawType, ...modifiers] = entry.split(":").map((part) => part.trim());
  if (!isIdentifier(name)) throw usage(`Column "${entry}": bad name "${name}" (camelCase: a lowercase letter, then letters and digits).`);
  if (name === "id") throw usage(`Column "${entry}": "id" is the primary key and is added automatically.`);
  if (rawType === undefined || rawType === "") throw usage(`Column "${entry}": missing type (write ${name}:text).`);
  const column: ColumnSpec = { name, ...parseType(entry, rawType), notNull: false, unique: false };
  for (const modifier of modifiers) {
    const [key = "", ...rest] = modifier.split("=");
    const value = rest.join("=").trim();
    if (key === "notNull" && rest.length === 0) column.notNull = true;
    else if (key === "unique" && rest.length === 0) column.unique = true;
    else if (key === "array" && rest.length === 0) column.array = true;
    else if (key === "default" && rest.length > 0) column.default = value;
    else if (key === "references" && rest.length > 0) {
      const [table = "", target = "", extra] = value.split(".");
      if (!REFERENCE_PART.test(table) || !REFERENCE_PART.test(target) || extra !== undefined) {
        throw usage(`Column "${entry}": references=${value} must be <table>.<column>, e.g. references=users.id.`);
      }
      column.references = { table, column: target };
    } else {
      throw usage(`Column "${entry}": unknown modifier "${modifier}". Modifiers: notNull, unique, array, default=<value>, references=<table>.<column>.`);
    }
  }
  if (column.default !== undefined) checkDefault(entry, column, column.default);
  if (column.references && (column.array || column.type === "json" || column.type === "jsonb")) {
    throw usage(`Column "${entry}": a foreign key cannot be an array or json column.`);
  }
  return column;
}

/** Parses the compact `--columns` spec; every error names the entry and the part that is wrong. */
export function parseColumnSpec(spec: string): ColumnSpec[] {
  if (spec.trim() === "") return [];
  const columns = splitTopLevel(spec).map((entry, index) => parseColumn(entry, index + 1));
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) throw usage(`--columns: column "${column.name}" is defined twice.`);
    seen.add(column.name);
  }
  return columns;
}

/** `a,b` -> ["a", "b"], every name checked against the known columns. */
export function parseColumnList(flag: string, value: string, known: readonly string[]): string[] {
  const names = value.split(",").map((part) => part.trim());
  for (const name of names) {
    if (name === "") throw new UsageError(`${flag} "${value}": empty column name.`, [`Columns: ${known.join(", ")}.`]);
    if (!known.includes(name)) throw new UsageError(`${flag} "${value}": unknown column "${name}".`, [`Columns: ${known.join(", ")}.`]);
  }
  if (new Set(names).size !== names.length) throw new UsageError(`${flag} "${value}": a column is listed twice.`);
  return names;
}

/** `createdAt where deletedAt is null`: columns, then a condition that names at least one column. */
export function parsePartialIndex(value: string, known: readonly string[]): PartialIndexSpec {
  const match = /^(.+?)\s+where\s+(.+)$/i.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw new UsageError(`--partial-index "${value}": expected "<columns> where <condition>".`, ['Example: --partial-index "createdAt where deletedAt is null"']);
  }
  const columns = parseColumnList("--partial-index", match[1], known);
  const condition = match[2].trim();
  checkIndexCondition(value, condition, known);
  return { columns, condition };
}
