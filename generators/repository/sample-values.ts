import { UsageError } from "../../src/devkit/index.js";
import type { SchemaColumn, SchemaTable } from "../../src/devkit/index.js";

/** Where a value goes: a seeded row (`index`), a child seeded per parent, a created row, an update patch. */
export type SampleContext = "seed" | "child" | "create" | "update";

/**
 * What a column accepts, as data: its kind and the limits its type and constraints put on a value
 * (length, precision and scale, check bounds, uniqueness). `sampleExpression` writes one value of it.
 */
export type SampleSpec =
  | { kind: "array" }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "text"; label: string; unique: boolean; maxLength?: number }
  | {
      kind: "number";
      type: "number" | "bigint" | "string";
      low: number;
      high: number;
      scale: number;
      unique: boolean;
      label: string;
    }
  | { kind: "boolean" }
  | { kind: "timestamp"; asString: boolean }
  | { kind: "date"; asDate: boolean }
  | { kind: "uuid" }
  | { kind: "json"; list: boolean }
  | { kind: "literal"; value: unknown }
  | { kind: "unknown" };

const TEXT_BUILDERS = new Set(["text", "varchar", "char", "citext"]);
// Ranges of the integer types; bigint and unbounded numerics stay inside what a double holds exactly.
const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  smallint: [-32_768, 32_767],
  smallserial: [1, 32_767],
  integer: [-2_147_483_648, 2_147_483_647],
  serial: [1, 2_147_483_647],
};
const SAFE_RANGE: readonly [number, number] = [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
// `char` without a length is char(1) in PostgreSQL.
const DEFAULT_CHAR_LENGTH = 1;
// Fixed values PostgreSQL parses for types a counter cannot fill.
const LITERALS: Readonly<Record<string, unknown>> = {
  time: "12:00:00",
  interval: "1 day",
  inet: "127.0.0.1",
  cidr: "10.0.0.0/8",
  macaddr: "08:00:2b:01:02:03",
  macaddr8: "08:00:2b:01:02:03:04:05",
};
// Longest texts a placeholder of a sample stands for: RUN_ID (13 + 1 + up to 12), a parent key (a uuid), a row index.
const RUN_ID_LENGTH = 26;
const KEY_LENGTH = 36;
const INDEX_LENGTH = 6;
// Created and updated values of a unique number are drawn past the seeded ones, at most this far up the range.
const SEEDED_SPAN = 10_000;
// Rows a test seeds in one table at most: SEED_ROWS (MAX_PAGE_SIZE + 1 = 101) parents, their children two per
// parent, grandchildren two per child, with margin. Seeded unique values take the first this many of the range.
const SEEDED_ROWS_AT_MOST = 1_000;
// Values a created unique number is drawn from at least: two creates in one test repeat one in 1 / this at worst.
const CREATED_SPAN_AT_LEAST = 1_000;
const RANDOM_SPAN = 1_000_000_000;
// A counter over a range this large never wraps in a test.
const UNWRAPPED = 1_000_000;

function numberSpec(column: SchemaColumn): SampleSpec | undefined {
  const { builder } = column;
  const decimal = builder === "numeric" || builder === "decimal";
  const integerRange = INTEGER_RANGES[builder];
  const isBigint = builder === "bigint" || builder === "bigserial";
  const isFloat = builder === "real" || builder === "doublePrecision";
  if (!decimal && !integerRange && !isBigint && !isFloat) return undefined;
  const scale = decimal ? (column.scale ?? 0) : 0;
  const step = 10 ** -scale;
  let [low, high] = integerRange ?? SAFE_RANGE;
  if (decimal && column.precision !== undefined) {
    // numeric(10, 2): |value| < 10^8.
    const limit = 10 ** (column.precision - scale) - step;
    [low, high] = [-limit, limit];
  }
  // Values on the step grid inside the check bounds: `> 0` on numeric(10, 2) starts at 0.01.
  if (column.min) {
    const first = Math.ceil(column.min.value / step) * step;
    low = Math.max(low, !column.min.inclusive && first <= column.min.value ? first + step : first);
  }
  if (column.max) {
    const last = Math.floor(column.max.value / step) * step;
    high = Math.min(high, !column.max.inclusive && last >= column.max.value ? last - step : last);
  }
  // Zero when the range holds it (the values read best), else its lower end.
  const start = low <= 0 && high >= 0 ? 0 : low;
  const type = column.tsType === "bigint" ? "bigint" : column.tsType === "string" ? "string" : "number";
  return {
    kind: "number",
    type,
    low: start,
    high,
    scale,
    unique: column.unique || column.primaryKey,
    label: column.name,
  };
}

/** The sample spec of a column, from its builder, mode, sizes, check bounds and uniqueness. */
export function sampleSpecOf(column: SchemaColumn): SampleSpec {
  if (column.array) return { kind: "array" };
  // A pgEnum, or text({ enum: [...] }): one of its values (any other text fails the column's type).
  if (column.enumValues && column.enumValues.length > 0) return { kind: "enum", values: column.enumValues };
  if (TEXT_BUILDERS.has(column.builder)) {
    const maxLength = column.length ?? (column.builder === "char" ? DEFAULT_CHAR_LENGTH : undefined);
    return {
      kind: "text",
      label: column.name,
      unique: column.unique || column.primaryKey,
      ...(maxLength === undefined ? {} : { maxLength }),
    };
  }
  const number = numberSpec(column);
  if (number) return number;
  if (column.builder === "boolean") return { kind: "boolean" };
  if (column.builder === "timestamp") return { kind: "timestamp", asString: column.mode === "string" };
  if (column.builder === "date") return { kind: "date", asDate: column.mode === "date" };
  if (column.builder === "uuid") return { kind: "uuid" };
  if (column.builder === "json" || column.builder === "jsonb")
    return { kind: "json", list: /\[\]$|^Array</.test(column.customType ?? "") };
  if (column.builder in LITERALS) return { kind: "literal", value: LITERALS[column.builder] };
  return { kind: "unknown" };
}

const quoted = (text: string): string => (text.includes("${") ? `\`${text}\`` : JSON.stringify(text));

function textExpression(
  spec: Extract<SampleSpec, { kind: "text" }>,
  context: SampleContext,
  parentKey: string,
): string {
  const suffix = { seed: "${index}", child: `\${parent.${parentKey}}-\${index}`, create: "created", update: "updated" }[
    context
  ];
  const text = spec.unique ? `${spec.label}-\${RUN_ID}-${suffix}` : `${spec.label}-${suffix}`;
  const { maxLength } = spec;
  if (maxLength === undefined) return quoted(text);
  if (!text.includes("${")) return JSON.stringify(text.slice(0, maxLength));
  const placeholders =
    (spec.unique ? RUN_ID_LENGTH : 0) +
    (context === "child" ? KEY_LENGTH : 0) +
    (context === "seed" || context === "child" ? INDEX_LENGTH : 0);
  if (text.replaceAll(/\$\{[^}]*\}/g, "").length + placeholders <= maxLength) return quoted(text);
  if (!spec.unique) return `${quoted(text)}.slice(0, ${String(maxLength)})`;
  // A short unique column keeps the end: the run's random part and the row tell seeded values apart; a created one is random.
  return context === "create" || context === "update"
    ? `\`${spec.label}-\${crypto.randomUUID()}\`.slice(-${String(maxLength)})`
    : `${quoted(text)}.slice(-${String(maxLength)})`;
}

/** A number literal of the spec's type: `5`, `"0.01"`, `BigInt(5)`. */
function numberLiteral(spec: Extract<SampleSpec, { kind: "number" }>, value: number): string {
  if (spec.type === "bigint") return `BigInt(${String(value)})`;
  if (spec.type === "string") return JSON.stringify(spec.scale > 0 ? value.toFixed(spec.scale) : String(value));
  return plainNumber(value, spec.scale);
}

/** `0.1 + 0.2` at `scale` 1 as `0.3`, with no trailing zeros a formatter would strip. */
const plainNumber = (value: number, scale: number): string => String(Number(value.toFixed(scale)));

function numberExpression(spec: Extract<SampleSpec, { kind: "number" }>, context: SampleContext): string {
  const step = 10 ** -spec.scale;
  const count = Math.floor(Math.round((spec.high - spec.low) / step)) + 1;
  if (spec.unique) return uniqueNumberExpression(spec, context, count);
  if (context === "create" || context === "update")
    return numberLiteral(spec, spec.low + (context === "update" && count > 1 ? step : 0));
  // Seeded rows count up from the low end, wrapping inside a narrow range (numeric(3, 2), a check's `between`).
  const counter = count >= UNWRAPPED ? "index" : `(index % ${grouped(count)})`;
  return wrap(
    spec,
    `${offset(spec.low, spec.scale)}${counter}${spec.scale > 0 && count < UNWRAPPED ? ` * ${step.toFixed(spec.scale)}` : ""}`,
  );
}

/**
 * A unique number never repeats in a test: seeded rows take the range's first values in row order (children by their
 * parent's row and their own), created ones are drawn past every seeded value. A range too narrow for both is refused
 * (exit 2): any values written into it would hit the unique key.
 */
function uniqueNumberExpression(
  spec: Extract<SampleSpec, { kind: "number" }>,
  context: SampleContext,
  count: number,
): string {
  if (count < SEEDED_ROWS_AT_MOST + CREATED_SPAN_AT_LEAST) {
    throw new UsageError(
      `${spec.label} is unique with ${String(count)} possible values (its type, precision and checks): the generated test seeds up to ${String(SEEDED_ROWS_AT_MOST)} rows and creates more, which needs at least ${String(SEEDED_ROWS_AT_MOST + CREATED_SPAN_AT_LEAST)} distinct values, or its inserts would repeat one (duplicate key).`,
      [
        `Widen ${spec.label}'s range (a larger type, precision or check), or keep it out of the unique key; then run again.`,
      ],
    );
  }
  const step = 10 ** -spec.scale;
  const scaled = (expression: string): string =>
    `${offset(spec.low, spec.scale)}${spec.scale > 0 ? `(${expression}) * ${step.toFixed(spec.scale)}` : expression}`;
  if (context === "seed") return wrap(spec, scaled("index"));
  // Children restart `index` under each parent: their row is the parent's row times CHILDREN_PER_PARENT plus theirs.
  if (context === "child") return wrap(spec, scaled("parentIndex * CHILDREN_PER_PARENT + index"));
  // The upper half (never below the seeded rows, which the check above keeps inside the lower half).
  return randomUnique(spec, count, Math.min(SEEDED_SPAN, Math.floor(count / 2)));
}

/** A unique value no seeded row holds, new on every evaluation (a test may create twice). */
function randomUnique(spec: Extract<SampleSpec, { kind: "number" }>, count: number, from: number): string {
  const step = 10 ** -spec.scale;
  const span = Math.min(count - from, RANDOM_SPAN);
  return wrap(
    spec,
    `${offset(spec.low + from * step, spec.scale)}Math.floor(Math.random() * ${grouped(span)})${spec.scale > 0 ? ` * ${step.toFixed(spec.scale)}` : ""}`,
  );
}

/** `1000000` as `1_000_000`: readable in generated code. */
const grouped = (value: number): string => String(value).replace(/\B(?=(\d{3})+$)/g, "_");

const offset = (value: number, scale: number): string =>
  value === 0 ? "" : `${scale > 0 ? plainNumber(value, scale) : grouped(value)} + `;

/** The counter expression in the spec's type. */
function wrap(spec: Extract<SampleSpec, { kind: "number" }>, expression: string): string {
  if (spec.type === "bigint") return `BigInt(${expression})`;
  const fixed = `${/^\w+$/.test(expression) ? expression : `(${expression})`}.toFixed(${String(spec.scale)})`;
  if (spec.type === "string") return spec.scale > 0 ? fixed : `String(${expression})`;
  return spec.scale > 0 ? `Number(${fixed})` : expression;
}

/** One value of the spec for generated test data (the test's `index`, `parent`, `RUN_ID` in scope where used). */
export function sampleExpression(spec: SampleSpec, context: SampleContext, parentKey = "id"): string {
  switch (spec.kind) {
    case "array":
      return "[]";
    case "text":
      return textExpression(spec, context, parentKey);
    // `as const`: `const patch = { status: "paid" }` would widen to string. An update takes another value where there is one.
    case "enum":
      return `${JSON.stringify(context === "update" ? (spec.values.at(-1) ?? spec.values[0]) : spec.values[0])} as const`;
    case "number":
      return numberExpression(spec, context);
    case "boolean":
      return context === "update" ? "true" : "false";
    case "timestamp":
      return spec.asString ? "new Date().toISOString()" : "new Date()";
    case "date":
      return spec.asDate ? 'new Date("2024-01-01")' : '"2024-01-01"';
    case "uuid":
      return "crypto.randomUUID()";
    case "json":
      return spec.list ? "[]" : "{}";
    case "literal":
      return JSON.stringify(spec.value);
    case "unknown":
      return "{}";
  }
}

/** Column sets whose values must be distinct together: a composite primary key and multi-column unique indexes. */
export function compositeUniqueGroups(table: SchemaTable): string[][] {
  const groups = table.indexes
    .filter((index) => index.unique && index.columns.length > 1)
    .map((index) => index.columns);
  if (table.primaryKey?.composite) groups.push(table.primaryKey.columns);
  return groups;
}

/** Whether two columns of the table are in one composite unique group. */
export const uniqueTogether = (table: SchemaTable, first: string, second: string): boolean =>
  compositeUniqueGroups(table).some((group) => group.includes(first) && group.includes(second));
