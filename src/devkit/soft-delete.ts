import type { SchemaTable } from "../schema-model/index.js";

/** The column `generate schema --soft-delete` adds: a row with it set is deleted for every generated read. */
export const SOFT_DELETE_COLUMN = "deletedAt";

export function isSoftDeletable(table: SchemaTable): boolean {
  return table.columns.some((column) => column.name === SOFT_DELETE_COLUMN);
}
