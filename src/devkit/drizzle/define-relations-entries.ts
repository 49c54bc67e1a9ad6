import { UsageError } from "../../core/output/errors.js";
import type { DrizzleSchemaModel } from "../../schema-model/index.js";
import type { DefineRelationsEntry } from "./define-relations-edit.js";

/**
 * Drizzle 1.0 forms of the relations the schema generator writes: entries of the project's one
 * `defineRelations(schema, (r) => ({ ... }))`, never a v0 `relations()` beside the table.
 */

const aliasOption = (alias: string | undefined): string => (alias ? `, alias: ${JSON.stringify(alias)}` : "");

/** `posts.author`: `r.one.users({ from: r.posts.authorId, to: r.users.id })`, with the alias both sides share. */
export function oneEntry(
  table: string,
  name: string,
  column: string,
  target: string,
  targetColumn: string,
  alias?: string,
): DefineRelationsEntry {
  return {
    table,
    name,
    expression: (r) =>
      `${r}.one.${target}({ from: ${r}.${table}.${column}, to: ${r}.${target}.${targetColumn}${aliasOption(alias)} })`,
  };
}

/** `users.posts`: `r.many.posts()`, its keys read from the other side's r.one (same alias). */
export function manyEntry(table: string, name: string, target: string, alias?: string): DefineRelationsEntry {
  return {
    table,
    name,
    expression: (r) => `${r}.many.${target}(${alias ? `{ alias: ${JSON.stringify(alias)} }` : ""})`,
  };
}

/** The file holding the project's `defineRelations` (a project `create --drizzle 1` made has src/db/schema/relations.ts). */
export function defineRelationsFile(model: DrizzleSchemaModel): string {
  if (model.defineRelations) return model.defineRelations.file;
  throw new UsageError(
    "This project is on drizzle-orm 1.0, but no defineRelations(schema, (r) => ({ ... })) was found in its schema files or the client's relations.",
    [
      "Add `export const relations = defineRelations(schema, () => ({}));` (drizzle-orm) in a schema file, pass it to drizzle({ client, relations }), and run again.",
    ],
  );
}
