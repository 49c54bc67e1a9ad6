import { constantCase } from "change-case";

import type { SchemaColumn } from "../schema-model/index.js";

/**
 * How the generated repository tells an id its key column can hold from one PostgreSQL would refuse. A refused
 * parameter (22003 out of range, 22P02 bad text, 22021 a NUL byte) fails the whole statement: a 500 instead of
 * "not found", and every other load of the same DataLoader batch with it. The check answers those ids with null
 * before any SQL, and rejects them as cursors.
 */
export interface KeyCheck {
  /** The key column's type, for the generated comment: `integer (int4)`, `bigint (int8, read as a BigInt)`. */
  type: string;
  /** Named constants the condition uses. */
  constants: Array<{ name: string; value: string; comment?: string }>;
  /** TypeScript condition over `id: unknown` (untyped callers pass anything). */
  condition: string;
  /** Test ids of the key's TypeScript type the column cannot hold (each would be a statement error). */
  invalidIds: string[];
  /** Expression over `text: string` giving the candidate id that `parse<Entity>Id` then checks. */
  fromText: string;
  /**
   * Where the column accepts several spellings of one key and returns one (uuid case and braces, int8 text with a
   * sign or leading zeros): an expression over a storable `id` giving one form per key value, by which the DataLoader
   * matches its rows to the loads.
   */
  loaderKey?: string;
  /**
   * Where the column accepts several spellings: an expression over a storable `id` giving the one PostgreSQL returns
   * (lower-case hyphenated uuid, int8 digits without sign or leading zeros). `parse<Entity>Id` answers with it, so a
   * cache keyed by parsed ids holds one entry per row, the entry the repository's write notifications drop.
   */
  canonical?: string;
  /** Expression over `id` (a key as read back) giving another spelling of it the column accepts, for the generated test. */
  otherSpelling?: string;
  /** With `canonical`: a key in that spelling no generated row has (with letters or a sign for otherSpelling to change). */
  sampleId?: string;
}

// PostgreSQL's integer ranges, as TypeScript literals.
const INT2 = { min: "-32_768", max: "32_767", below: "-32_769", above: "32_768" };
const INT4 = { min: "-2_147_483_648", max: "2_147_483_647", below: "-2_147_483_649", above: "2_147_483_648" };
const INT8_BIGINT = {
  min: "-9_223_372_036_854_775_808n",
  max: "9_223_372_036_854_775_807n",
  below: "-9_223_372_036_854_775_809n",
  above: "9_223_372_036_854_775_808n",
};
const INT8_TEXT = { above: '"9223372036854775808"', below: '"-9223372036854775809"' };

const INTEGER_BUILDERS: Readonly<Record<string, "int2" | "int4" | "int8">> = {
  smallint: "int2",
  smallserial: "int2",
  integer: "int4",
  serial: "int4",
  bigint: "int8",
  bigserial: "int8",
};
const TEXT_BUILDERS = new Set(["text", "varchar", "char"]);
// Canonical digits; PostgreSQL accepts more spellings (spaces, `0x`, `1_000`), which no row's key comes back as.
const INTEGER_TEXT_PATTERN = String.raw`/^[+-]?\d+$/`;
const DECIMAL_TEXT_PATTERN = String.raw`/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/`;
// The spellings PostgreSQL's uuid input accepts: hyphens after any group of four hex digits, optional braces.
const UUID_PATTERN = "/^(?:\\{[\\da-f]{4}(?:-?[\\da-f]{4}){7}\\}|[\\da-f]{4}(?:-?[\\da-f]{4}){7})$/i";

// Number("") is 0 and Number("0x1f") 31: only canonical digits become a number key.
const numberFromText = (pattern: string): string => `${pattern}.test(text) ? Number(text) : Number.NaN`;

/** The check for `key`, or undefined where any value of its TypeScript type is a valid parameter (or none is known). */
export function keyCheckOf(key: Pick<SchemaColumn, "name" | "tsType" | "builder">): KeyCheck | undefined {
  const constant = `${constantCase(key.name)}_KEY`;
  const min = `MIN_${constant}`;
  const max = `MAX_${constant}`;
  const pattern = `${constant}_PATTERN`;
  const size = INTEGER_BUILDERS[key.builder];
  if (key.tsType === "number" && size !== undefined) {
    if (size === "int8") {
      // mode "number": past 2^53 a JavaScript number is no longer the id it was read as.
      return {
        type: "bigint (int8) read as a number",
        constants: [{ name: pattern, value: INTEGER_TEXT_PATTERN }],
        condition: 'typeof id === "number" && Number.isSafeInteger(id)',
        invalidIds: ["Number.MAX_SAFE_INTEGER + 2", "Number.NaN", "1.5"],
        fromText: numberFromText(pattern),
      };
    }
    const range = size === "int2" ? INT2 : INT4;
    return {
      type: size === "int2" ? "smallint (int2)" : "integer (int4)",
      constants: [
        { name: min, value: range.min },
        { name: max, value: range.max },
        { name: pattern, value: INTEGER_TEXT_PATTERN },
      ],
      condition: `typeof id === "number" && Number.isSafeInteger(id) && id >= ${min} && id <= ${max}`,
      invalidIds: [range.above, range.below, "Number.NaN", "1.5"],
      fromText: numberFromText(pattern),
    };
  }
  if (key.tsType === "bigint" && size === "int8") {
    return {
      type: "bigint (int8, read as a BigInt)",
      constants: [
        { name: min, value: INT8_BIGINT.min },
        { name: max, value: INT8_BIGINT.max },
        { name: pattern, value: INTEGER_TEXT_PATTERN },
      ],
      condition: `typeof id === "bigint" && id >= ${min} && id <= ${max}`,
      invalidIds: [INT8_BIGINT.above, INT8_BIGINT.below],
      // BigInt("abc") throws: only digits reach it.
      fromText: `${pattern}.test(text) ? BigInt(text) : undefined`,
    };
  }
  if (key.tsType !== "string") return undefined;
  if (size === "int8") {
    return {
      type: "bigint (int8, read as a string)",
      constants: [
        { name: min, value: INT8_BIGINT.min },
        { name: max, value: INT8_BIGINT.max },
        { name: pattern, value: INTEGER_TEXT_PATTERN },
      ],
      condition: `typeof id === "string" && ${pattern}.test(id) && BigInt(id) >= ${min} && BigInt(id) <= ${max}`,
      invalidIds: [INT8_TEXT.above, INT8_TEXT.below, '"12abc"'],
      fromText: "text",
      loaderKey: "BigInt(id).toString()",
      canonical: "BigInt(id).toString()",
      otherSpelling: 'id.replace(/^(-?)/, "$10")',
      sampleId: '"-1"',
    };
  }
  if (key.builder === "numeric" || key.builder === "decimal") {
    return {
      type: "numeric (a decimal string)",
      constants: [{ name: pattern, value: DECIMAL_TEXT_PATTERN }],
      condition: `typeof id === "string" && ${pattern}.test(id)`,
      invalidIds: ['"12abc"', '""'],
      fromText: "text",
    };
  }
  if (key.builder === "uuid") {
    return {
      type: "uuid",
      constants: [{ name: pattern, value: UUID_PATTERN }],
      condition: `typeof id === "string" && ${pattern}.test(id)`,
      invalidIds: ['"not-a-uuid"', '"{00000000-0000-0000-0000-000000000000"'],
      fromText: "text",
      // PostgreSQL returns lower case with hyphens; the pattern above allows only hex digits, hyphens and braces.
      loaderKey: 'id.toLowerCase().replaceAll(/[{}-]/g, "")',
      canonical: 'id.toLowerCase().replaceAll(/[{}-]/g, "").replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-")',
      otherSpelling: "`{${id.toUpperCase()}}`",
      sampleId: '"0000000a-0000-4000-8000-00000000000b"',
    };
  }
  if (TEXT_BUILDERS.has(key.builder)) {
    // PostgreSQL text cannot hold a NUL character (a `%00` in a URL): the parameter itself is refused.
    return {
      type: `${key.builder} (text without NUL characters)`,
      constants: [],
      condition: 'typeof id === "string" && !id.includes("\\u0000")',
      invalidIds: ['"nul\\u0000byte"'],
      fromText: "text",
    };
  }
  return undefined;
}
