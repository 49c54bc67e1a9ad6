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

/**
 * What the generated test proves with EXPLAIN: the key lookup of the entity and, per edge of the `with` tree, the
 * lookup of the related rows: a many() child by its foreign key, a one() parent by the column it references.
 */
export function indexProofData(entity: SchemaTable, nodes: readonly WithNode[]): { keyColumn: string; eagerLookups: IndexedLookup[]; analyzeStatement: string } {
  const eagerLookups: IndexedLookup[] = [];
  const tables = new Map<string, SchemaTable>([[entity.tableVar, entity]]);
  const walk = (level: readonly WithNode[], parent: SchemaTable): void => {
    for (const node of level) {
      const column =
        node.relation.kind === "many"
          ? sqlColumn(node.table, node.table.relations?.find((relation) => relation.kind === "one" && relation.target === parent.tableVar)?.fields[0])
          : sqlColumn(node.table, node.relation.references[0]);
      if (column !== undefined) eagerLookups.push({ relation: node.relation.name, table: node.table.sqlName, column });
      tables.set(node.table.tableVar, node.table);
      walk(node.children, node.table);
    }
  };
  walk(nodes, entity);
  const key = entity.primaryKey?.columns[0] ?? entity.columns.find((column) => column.primaryKey)?.name;
  const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
  const names = [...tables.values()].map((table) => (table.pgSchema ? `${quote(table.pgSchema)}.${quote(table.sqlName)}` : quote(table.sqlName)));
  // Planner statistics of the tables read: without them a few seeded rows may be planned as a full index scan.
  return { keyColumn: sqlColumn(entity, key) ?? "id", eagerLookups, analyzeStatement: JSON.stringify(`analyze ${names.join(", ")}`) };
}
