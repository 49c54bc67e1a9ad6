import { camelCase, pascalCase } from "change-case";

import { pluralOf } from "./english-number.js";
import type { DrizzleSchemaModel, ForeignKey, SchemaRelation, SchemaTable } from "./model.js";
import { entityName } from "./naming.js";

/** Every foreign key pointing at `table` (its own self-references included): what a delete must deal with. */
export function inboundReferences(
  model: Pick<DrizzleSchemaModel, "tables">,
  table: SchemaTable | string,
): ForeignKey[] {
  const target = typeof table === "string" ? table : table.tableVar;
  return [...model.tables.values()].flatMap((candidate) =>
    candidate.foreignKeys.filter((key) => key.foreignTable === target),
  );
}

/** A `one()` or `many()` the schema lacks for a foreign key, and the table whose `relations()` should hold it. */
export interface ProposedRelation {
  /** Variable name of the table whose relations() gets the entry. */
  table: string;
  relation: Omit<SchemaRelation, "file" | "line">;
  /** The foreign key it comes from. */
  foreignKey: ForeignKey;
}

/** `authorId` -> `author`, `created_by_id` -> `createdBy`; null when the column name says nothing beyond the key. */
function nameFromColumn(column: string): string | null {
  const stem = camelCase(column).replace(/Id$|ID$/, "");
  return stem && stem !== camelCase(column) ? stem : null;
}

function freeName(taken: Set<string>, wanted: string): string {
  let name = wanted;
  for (let suffix = 2; taken.has(name); suffix += 1) name = `${wanted}${suffix}`;
  taken.add(name);
  return name;
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, index) => value === b[index]);

/**
 * The `one()`/`many()` pairs to add for foreign keys that have no relation, so `db.query ... with` works.
 * Several keys to one table, or a key to the table itself, get a `relationName` shared by both sides.
 */
export function proposeRelations(model: Pick<DrizzleSchemaModel, "tables">): ProposedRelation[] {
  const proposals: ProposedRelation[] = [];
  const taken = new Map<string, Set<string>>();
  const namesTaken = (table: SchemaTable): Set<string> => {
    let names = taken.get(table.tableVar);
    if (!names) {
      names = new Set([
        ...table.columns.map((column) => column.name),
        ...(table.relations ?? []).map((relation) => relation.name),
      ]);
      taken.set(table.tableVar, names);
    }
    return names;
  };
  for (const source of model.tables.values()) {
    for (const key of source.foreignKeys) {
      const target = model.tables.get(key.foreignTable);
      if (!target || key.columns.length === 0) continue;
      const siblings = source.foreignKeys.filter((other) => other.foreignTable === key.foreignTable);
      const needsName = siblings.length > 1 || source === target;
      const one = (source.relations ?? []).find(
        (relation) =>
          relation.kind === "one" && relation.target === target.tableVar && sameColumns(relation.fields, key.columns),
      );
      const oneName = one?.name ?? nameFromColumn(key.columns[0] ?? "") ?? entityName(target);
      // An existing one() keeps its own name (or lack of one): the many() side must pair with it as written.
      const relationName = one ? one.relationName : needsName ? `${source.sqlName}_${camelCase(oneName)}` : undefined;
      if (!one) {
        proposals.push({
          table: source.tableVar,
          relation: {
            name: freeName(namesTaken(source), oneName),
            kind: "one",
            target: target.tableVar,
            fields: key.columns,
            references: key.foreignColumns,
            relationName,
          },
          foreignKey: key,
        });
      }
      const many = (target.relations ?? []).find(
        (relation) =>
          relation.kind === "many" &&
          relation.target === source.tableVar &&
          (relationName === undefined || relation.relationName === relationName),
      );
      if (many) continue;
      const plural = pluralOf(entityName(source));
      const manyName = source === target ? "children" : needsName ? `${plural}As${pascalCase(oneName)}` : plural;
      proposals.push({
        table: target.tableVar,
        relation: {
          name: freeName(namesTaken(target), manyName),
          kind: "many",
          target: source.tableVar,
          fields: [],
          references: [],
          relationName,
        },
        foreignKey: key,
      });
    }
  }
  return proposals;
}
