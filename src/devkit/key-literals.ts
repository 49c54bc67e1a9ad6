import type { SchemaColumn } from "../schema-model/index.js";

/** Test values of a primary key's own type: generated tests work with number, bigint, uuid and text keys alike. */
export interface KeyLiterals {
  /** A key no row has. */
  missingIdExpression: string;
  /** A missing key per `index` (in a loop that has one). */
  missingIdAt: string;
  /** Number keys: a NaN cursor is rejected before the database. */
  numericKey: boolean;
  /** A cursor just before `target` (strings page from the start). */
  cursorBeforeTarget: string;
}

export function keyLiterals(key: Pick<SchemaColumn, "name" | "tsType" | "builder">): KeyLiterals {
  // A BigInt key has no NaN: its invalid cursors are out of the int8 range (the repository test's key check).
  if (key.tsType === "bigint")
    return {
      missingIdExpression: "-1n",
      missingIdAt: "BigInt(-index)",
      numericKey: false,
      cursorBeforeTarget: `target.${key.name} - 1n`,
    };
  if (key.tsType === "number")
    return {
      missingIdExpression: "-1",
      missingIdAt: "-index",
      numericKey: true,
      cursorBeforeTarget: `target.${key.name} - 1`,
    };
  if (key.builder === "uuid") {
    return {
      missingIdExpression: '"00000000-0000-0000-0000-000000000000"',
      missingIdAt: '`00000000-0000-0000-0000-${String(index).padStart(12, "0")}`',
      numericKey: false,
      cursorBeforeTarget: "null",
    };
  }
  return {
    missingIdExpression: '"missing-id"',
    missingIdAt: "`missing-${String(index)}`",
    numericKey: false,
    cursorBeforeTarget: "null",
  };
}
