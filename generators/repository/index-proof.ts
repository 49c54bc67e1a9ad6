import type { SchemaTable } from "../../src/devkit/index.js";
import type { WithNode } from "./relation-paths.js";

/** One lookup the eager read makes: rows of `table` found by `column` (SQL names), which an index must serve. */
export interface IndexedLookup {
  relation: string;
  table: string;
  column: string;
}

function sqlColumn(table: SchemaTable, key: string | undefined): string | undefined {
  return table.columns.find((column) => column.name === key)?.sqlName;
}

/** Whether the schema declares an index (or key) that starts with this column: only then can the test demand one. */
function leadsAnIndex(table: SchemaTable, key: string): boolean {
  if (table.primaryKey?.columns[0] === key || table.indexes.some((index) => index.columns[0] === key)) return true;
  const column = table.columns.find((candidate) => candidate.name === key);
  // A column-level .unique() or primary key is its own index; one listed second in a composite index is not.
  return (
    column !== undefined &&
    (column.primaryKey || (column.unique && !table.indexes.some((index) => index.columns.includes(key))))
  );
}

/**
 * What the generated test proves with EXPLAIN: the key lookup of the entity and, per edge of the `with` tree, the
 * lookup of the related rows: a many() child by its foreign key, a one() parent by the column it references.
 */
export function indexProofData(
  entity: SchemaTable,
  nodes: readonly WithNode[],
): { keyColumn: string; eagerLookups: IndexedLookup[]; unindexedLookups: IndexedLookup[]; analyzeStatement: string } {
  const eagerLookups: IndexedLookup[] = [];
  // Lookups the schema gives no index: the test cannot prove what is not there, the plan says so instead.
  const unindexedLookups: IndexedLookup[] = [];
  const tables = new Map<string, SchemaTable>([[entity.tableVar, entity]]);
  const walk = (level: readonly WithNode[], parent: SchemaTable): void => {
    for (const node of level) {
      const key =
        node.relation.kind === "many"
          ? node.table.relations?.find((relation) => relation.kind === "one" && relation.target === parent.tableVar)
              ?.fields[0]
          : node.relation.references[0];
      const column = sqlColumn(node.table, key);
      if (key !== undefined && column !== undefined) {
        (leadsAnIndex(node.table, key) ? eagerLookups : unindexedLookups).push({
          relation: node.relation.name,
          table: node.table.sqlName,
          column,
        });
      }
      tables.set(node.table.tableVar, node.table);
      walk(node.children, node.table);
    }
  };
  walk(nodes, entity);
  const key = entity.primaryKey?.columns[0] ?? entity.columns.find((column) => column.primaryKey)?.name;
  const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
  const names = [...tables.values()].map((table) =>
    table.pgSchema ? `${quote(table.pgSchema)}.${quote(table.sqlName)}` : quote(table.sqlName),
  );
  // Planner statistics of the tables read: without them a few seeded rows may be planned as a full index scan.
  return {
    keyColumn: sqlColumn(entity, key) ?? "id",
    eagerLookups,
    unindexedLookups,
    analyzeStatement: JSON.stringify(`analyze ${names.join(", ")}`),
  };
}
