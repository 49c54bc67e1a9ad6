import { snakeCase } from "change-case";

import { UsageError } from "../../src/devkit/declare.js";
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
  references?: { table: string; column: string; onDelete?: ForeignKeyAction };
  /** Set to the statement's time by every UPDATE (`updatedAt`). */
  onUpdateNow?: boolean;
  /**
   * A bigint column's mode: "bigint" (exact past 2^53) unless it references a key read as a number, whose values it
   * must take as they are (set by resolveParents).
   */
  mode?: BigintMode;
}

export type BigintMode = "bigint" | "number";

/** The primary key `generate schema` gives a new table (`--key`): int4, or int8 read as a BigInt. */
export const KEY_TYPES = ["integer", "bigint"] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export const FOREIGN_KEY_ACTIONS = ["cascade", "restrict", "no action", "set null"] as const;
export type ForeignKeyAction = (typeof FOREIGN_KEY_ACTIONS)[number];

export interface PartialIndexSpec {
  columns: string[];
  /** Condition as written, e.g. `deletedAt is null`. */
  condition: string;
}

export const COLUMN_GRAMMAR =
  "name:type[:modifier...] separated by commas; types: text, varchar(n), char(n), integer, smallint, bigint, boolean, timestamp, date, " +
  "numeric(p,s), real, doublePrecision, uuid, json, jsonb (append [] for an array); modifiers: notNull, unique, array, default=<value>, references=<table>.<column>, onDelete=cascade|restrict|no action|set null";

// `constructor`, `toString`, `valueOf`...: a column key that every object already has.
const OBJECT_MEMBERS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;
// A referenced table or column as the repo writes it: `users`, `UserTable`, `tbl_users`, `college_id`.
const REFERENCE_PART = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_PATTERN = /^([A-Za-z]+)(?:\(([^)]*)\))?(\[\])?$/;
const TYPES_WITH_PARAMS: Record<string, { min: number; max: number }> = {
  varchar: { min: 0, max: 1 },
  char: { min: 0, max: 1 },
  numeric: { min: 0, max: 2 },
};
// PostgreSQL's own limits: varchar(n)/char(n) up to 10485760, numeric precision up to 1000.
const MAX_CHARACTER_LENGTH = 10_485_760;
const MAX_NUMERIC_PRECISION = 1000;
/** Identifiers in a partial-index condition; the ones naming columns become `${table.column}`. */
export const WORD = /\b[A-Za-z_]\w*\b/g;
/** Characters that would break out of the generated code. */
const UNSAFE_VALUE = /[`$\\]/;

function usage(message: string): UsageError {
  return new UsageError(message, [
    `--columns grammar: ${COLUMN_GRAMMAR}.`,
    'Example: --columns "title:varchar(255):notNull,authorId:integer:notNull:references=users.id"',
  ]);
}

const OPENERS: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

/**
 * Splits on `separator` outside parentheses, brackets, braces and quotes: `numeric(10,2)`, a json default
 * `default={"a":1,"b":2}` and a quoted text default `default='a, b'` stay one part. A quote opens only where a value
 * starts (after `=`): the apostrophe of `default=it's` is a letter.
 */
export function splitTopLevel(spec: string, separator = ","): string[] {
  const parts: string[] = [];
  const closers: string[] = [];
  let quote = "";
  let current = "";
  for (const char of spec) {
    if (quote !== "") {
      if (char === quote) quote = "";
    } else if ((char === "'" || char === '"') && (current.trim() === "" || current.endsWith("="))) quote = char;
    else if (OPENERS[char] !== undefined) closers.push(OPENERS[char]);
    else if (char === closers.at(-1)) closers.pop();
    else if (char === separator && closers.length === 0) {
      parts.push(current);
      current = "";
      continue;
    }
    current += char;
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
    throw usage(
      `Column "${entry}": unknown type "${raw}". Types: text, varchar(n), char(n), integer, smallint, bigint, boolean, timestamp, date, numeric(p,s), real, doublePrecision, uuid, json, jsonb.`,
    );
  }
  const limits = TYPES_WITH_PARAMS[type];
  const params = match[2] === undefined ? [] : match[2].split(",").map((value) => value.trim());
  if (params.length > 0 && !limits) throw usage(`Column "${entry}": type ${type} takes no parameters ("${raw}").`);
  if (limits && (params.length > limits.max || params.some((value) => !/^\d+$/.test(value) || Number(value) === 0))) {
    throw usage(`Column "${entry}": bad parameters in "${raw}" (positive integers, at most ${String(limits.max)}).`);
  }
  const [precision, scale] = params.map(Number);
  if ((type === "varchar" || type === "char") && precision !== undefined && precision > MAX_CHARACTER_LENGTH) {
    throw usage(
      `Column "${entry}": ${type}(${String(precision)}) is longer than PostgreSQL allows (${String(MAX_CHARACTER_LENGTH)}); use text.`,
    );
  }
  if (type === "numeric" && precision !== undefined && precision > MAX_NUMERIC_PRECISION) {
    throw usage(
      `Column "${entry}": numeric precision ${String(precision)} is above PostgreSQL's limit of ${String(MAX_NUMERIC_PRECISION)}.`,
    );
  }
  if (precision !== undefined && scale !== undefined && scale > precision) {
    throw usage(
      `Column "${entry}": in "${raw}" the scale (${String(scale)}) is larger than the precision (${String(precision)}).`,
    );
  }
  return { type: type as ColumnType, params: params.map(Number), array: match[3] !== undefined };
}

// PostgreSQL's integer ranges: a default outside them migrates, then every insert fails.
const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};
// No leading zeros: `0123` and `00.5` are octal-like literals TypeScript rejects in modules.
const PLAIN_INTEGER = /^-?(?:0|[1-9]\d*)$/;
const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** `char` without a length is char(1) in PostgreSQL. */
const DEFAULT_CHAR_LENGTH = 1;
const QUOTED = /^(['"])(.*)\1$/s;

/**
 * The builder call for `default=<value>` on `column` (`.default(5)`, `.default(5n)`, `.defaultNow()`), or the
 * reason the value does not fit the column's type (a sentence ending without a period).
 */
export function defaultCall(
  column: Pick<ColumnSpec, "type" | "params" | "array" | "mode">,
  value: string,
): { code: string } | { problem: string } {
  const problem = (why: string) => ({ problem: why });
  if (value === "") return problem("is empty");
  if (UNSAFE_VALUE.test(value)) return problem("contains ` $ or \\");
  if (column.array) return problem("is not supported on arrays");
  const [first, second] = column.params;
  switch (column.type) {
    case "smallint":
    case "integer":
    case "bigint": {
      if (!PLAIN_INTEGER.test(value))
        return problem(`is not a number for type ${column.type} (an integer without leading zeros)`);
      const [min, max] = INTEGER_RANGES[column.type] ?? [0n, 0n];
      const parsed = BigInt(value);
      if (parsed < min || parsed > max)
        return problem(`is out of range for ${column.type} (${String(min)} to ${String(max)})`);
      // bigint columns are generated in bigint mode (unless they reference a number key): the default is a bigint too.
      return { code: `.default(${value}${column.type === "bigint" && column.mode !== "number" ? "n" : ""})` };
    }
    case "real":
    case "doublePrecision":
      if (!PLAIN_DECIMAL.test(value))
        return problem(`is not a number for type ${column.type} (digits and an optional .fraction, no leading zeros)`);
      return { code: `.default(${value})` };
    case "numeric": {
      if (!PLAIN_DECIMAL.test(value))
        return problem("is not a decimal number (digits and an optional .fraction, no leading zeros)");
      if (first !== undefined) {
        const scale = second ?? 0;
        const [whole = "", fraction = ""] = value.replace(/^-/, "").split(".");
        const wholeDigits = whole === "0" ? 0 : whole.length;
        if (wholeDigits > first - scale || fraction.length > scale) {
          return problem(
            `does not fit numeric(${String(first)},${String(scale)}) (at most ${String(first - scale)} digits before the point and ${String(scale)} after)`,
          );
        }
      }
      return { code: `.default(${JSON.stringify(value)})` };
    }
    case "boolean":
      return value === "true" || value === "false" ? { code: `.default(${value})` } : problem("must be true or false");
    case "timestamp":
    case "date":
      return value === "now" ? { code: ".defaultNow()" } : problem(`must be "now" for type ${column.type}`);
    case "uuid":
      return value === "random" ? { code: ".defaultRandom()" } : problem('must be "random" for type uuid');
    case "json":
    case "jsonb":
      try {
        return { code: `.default(${JSON.stringify(JSON.parse(value))})` };
      } catch {
        return problem(`is not JSON for type ${column.type} (e.g. default={"a":1} or default=[])`);
      }
    case "text":
    case "varchar":
    case "char": {
      if (/^['"]/.test(value) && !QUOTED.test(value)) return problem("opens a quote it does not close");
      const text = QUOTED.exec(value)?.[2] ?? value;
      const length = column.type === "char" ? (first ?? DEFAULT_CHAR_LENGTH) : first;
      const characters = [...text].length;
      if (length !== undefined && characters > length)
        return problem(`is ${String(characters)} characters, longer than ${column.type}(${String(length)})`);
      return { code: `.default(${JSON.stringify(text)})` };
    }
  }
}

function checkDefault(entry: string, column: ColumnSpec, value: string): void {
  const result = defaultCall(column, value);
  if ("problem" in result) throw usage(`Column "${entry}": default=${value} ${result.problem}.`);
}

function parseColumn(entry: string, position: number): ColumnSpec {
  if (entry === "")
    throw usage(`--columns: entry ${String(position)} is empty (two commas in a row, or a trailing comma?).`);
  const [name = "", rawType, ...modifiers] = splitTopLevel(entry, ":");
  if (!isIdentifier(name))
    throw usage(`Column "${entry}": bad name "${name}" (camelCase: a lowercase letter, then letters and digits).`);
  if (name === "id") throw usage(`Column "${entry}": "id" is the primary key and is added automatically.`);
  if (OBJECT_MEMBERS.has(name))
    throw usage(
      `Column "${entry}": "${name}" is a member of every object (Object.prototype), so rows and generated tests would read the wrong thing.`,
    );
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
      column.references = { ...column.references, table, column: target };
    } else if (key === "onDelete" && rest.length > 0) {
      if (!(FOREIGN_KEY_ACTIONS as readonly string[]).includes(value)) {
        throw usage(`Column "${entry}": onDelete=${value} must be one of ${FOREIGN_KEY_ACTIONS.join(", ")}.`);
      }
      column.references = {
        table: column.references?.table ?? "",
        column: column.references?.column ?? "",
        onDelete: value as ForeignKeyAction,
      };
    } else {
      throw usage(
        `Column "${entry}": unknown modifier "${modifier}". Modifiers: notNull, unique, array, default=<value>, references=<table>.<column>, onDelete=<action>.`,
      );
    }
  }
  if (column.references && (column.references.table === "" || column.references.column === "")) {
    throw usage(`Column "${entry}": onDelete needs references=<table>.<column> on the same column.`);
  }
  if (column.references?.onDelete === "set null" && column.notNull)
    throw usage(`Column "${entry}": onDelete=set null on a notNull column.`);
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
  assertDistinctSqlNames(columns, []);
  return columns;
}

/**
 * Every column's SQL name (snake_case of its key, as the generated code spells it) is free: `userId` and `userID`
 * are both `user_id`, a duplicate column the migration would fail on. `existing`: SQL names already taken.
 */
export function assertDistinctSqlNames(
  columns: readonly Pick<ColumnSpec, "name">[],
  existing: ReadonlyArray<{ name: string; sqlName: string }>,
): void {
  const owners = new Map<string, string>([
    ["id", "id"],
    ...existing.map((column) => [column.sqlName, column.name] as const),
  ]);
  for (const column of columns) {
    const sqlName = snakeCase(column.name);
    const owner = owners.get(sqlName);
    if (owner !== undefined && owner !== column.name) {
      throw new UsageError(`Columns "${owner}" and "${column.name}" would both be the SQL column "${sqlName}".`, [
        "Rename one of them (SQL names are the snake_case of the names).",
      ]);
    }
    owners.set(sqlName, column.name);
  }
}

/** `a,b` -> ["a", "b"], every name checked against the known columns. */
export function parseColumnList(flag: string, value: string, known: readonly string[]): string[] {
  const names = value.split(",").map((part) => part.trim());
  for (const name of names) {
    if (name === "") throw new UsageError(`${flag} "${value}": empty column name.`, [`Columns: ${known.join(", ")}.`]);
    if (!known.includes(name))
      throw new UsageError(`${flag} "${value}": unknown column "${name}".`, [`Columns: ${known.join(", ")}.`]);
  }
  if (new Set(names).size !== names.length) throw new UsageError(`${flag} "${value}": a column is listed twice.`);
  return names;
}

/** `createdAt where deletedAt is null`: columns, then a condition that names at least one column. */
export function parsePartialIndex(
  value: string,
  known: readonly string[],
  types?: ReadonlyMap<string, string>,
): PartialIndexSpec {
  const match = /^(.+?)\s+where\s+(.+)$/i.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw new UsageError(`--partial-index "${value}": expected "<columns> where <condition>".`, [
      'Example: --partial-index "createdAt where deletedAt is null"',
    ]);
  }
  const columns = parseColumnList("--partial-index", match[1], known);
  const condition = match[2].trim();
  checkIndexCondition(value, condition, known, types);
  return { columns, condition };
}
