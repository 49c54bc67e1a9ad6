import { camelCase } from "change-case";

import { singularOf } from "./english-number.js";
import type { DrizzleSchemaModel, SchemaTable } from "./model.js";

// Decorations around the entity in real variable names: `UserTable`, `tbl_users`, `usersSchema`.
const PREFIXES = /^(?:tbl|tb|t)_(?=.)/i;
const SUFFIXES = /(?<=.)(?:_?(?:table|tbl|schema|model|entity))$/i;

/** The entity a table stands for, singular camelCase: `CollegeTable` -> `college`, `tbl_users` -> `user`, `refresh_tokens` -> `refreshToken`. */
export function entityName(table: Pick<SchemaTable, "tableVar">): string {
  const bare = table.tableVar.replace(PREFIXES, "").replace(SUFFIXES, "");
  return singularOf(camelCase(bare));
}

/** Compares names the way a user types them: case, `_`/`-` and singular/plural do not matter. */
const squash = (name: string): string => name.toLowerCase().replaceAll(/[^a-z\d]/g, "");
const singularSquash = (name: string): string =>
  squash(singularOf(camelCase(name.replace(PREFIXES, "").replace(SUFFIXES, ""))));

/** Every name a table answers to: its variable, its SQL name (with and without schema/prefix), its entity. */
export function namesOf(table: SchemaTable): string[] {
  const names = [table.tableVar, table.sqlName, table.declaredName, entityName(table)];
  if (table.pgSchema) names.push(`${table.pgSchema}.${table.sqlName}`);
  return [...new Set(names)];
}

export type TableLookup =
  | { found: true; table: SchemaTable }
  | { found: false; reason: "missing" | "ambiguous"; name: string; candidates: string[]; available: string[] };

const label = (table: SchemaTable): string =>
  table.sqlName === table.tableVar
    ? table.tableVar
    : `${table.tableVar} (${table.pgSchema ? `${table.pgSchema}.` : ""}${table.sqlName})`;

/**
 * A table by export name or SQL name, case-insensitively, plural or singular (`posts`, `Post`, `PostTable`,
 * `acme_post`). Exact matches win over looser ones; a miss lists what exists.
 */
export function findTable(model: Pick<DrizzleSchemaModel, "tables">, name: string): TableLookup {
  const tables = [...model.tables.values()];
  const available = tables.map(label);
  const tiers: ((table: SchemaTable) => boolean)[] = [
    (table) => table.tableVar === name || table.sqlName === name,
    (table) => namesOf(table).some((candidate) => squash(candidate) === squash(name)),
    (table) => namesOf(table).some((candidate) => singularSquash(candidate) === singularSquash(name)),
  ];
  for (const matches of tiers) {
    const hits = tables.filter(matches);
    if (hits.length === 1 && hits[0]) return { found: true, table: hits[0] };
    if (hits.length > 1) return { found: false, reason: "ambiguous", name, candidates: hits.map(label), available };
  }
  return { found: false, reason: "missing", name, candidates: [], available };
}
