import type { SchemaColumn, SchemaModel, SchemaTable } from "../../src/devkit/index.js";

/** A foreign-key column anywhere in the schema that points at a table. */
export interface InboundReference {
  table: SchemaTable;
  column: SchemaColumn;
  /** The referenced column of the target table (usually its primary key). */
  referencedColumn: string;
}

// The database removes or detaches these rows itself when the parent goes.
const HANDLED_BY_DATABASE = new Set(["cascade", "set null", "set default"]);

/** Every foreign key of the schema that references `target`, in schema order (not only the `--with` tree). */
export function inboundReferences(schema: SchemaModel, target: SchemaTable): InboundReference[] {
  const found: InboundReference[] = [];
  for (const table of schema.values()) {
    for (const column of table.columns) {
      if (column.references?.table === target.tableVar) found.push({ table, column, referencedColumn: column.references.column });
    }
  }
  return found;
}

function primaryKeyName(table: SchemaTable): string | undefined {
  return table.columns.find((column) => column.primaryKey)?.name;
}

/**
 * The statements (run in `tx`, `id` = the entity's key) that remove every row referencing the entity, deepest first,
 * following every inbound foreign key recursively. Keys the database handles (`onDelete: cascade / set null /
 * set default`) are skipped; a reference back to a table already on the path (self-reference, cycle) is left to the
 * database's own rule. `tables` collects the table consts the statements use.
 */
export function cascadeDeleteStatements(schema: SchemaModel, entity: SchemaTable, tables: Set<string>): string[] {
  const statements: string[] = [];
  const entityKey = primaryKeyName(entity) ?? "id";
  // Condition on a referencing column (`comments.postId`) that selects the rows pointing at the rows being deleted.
  type Condition = (reference: string, referencedColumn: string) => string;
  const entityCondition: Condition = (reference, referencedColumn) =>
    referencedColumn === entityKey
      ? `eq(${reference}, id)`
      : `inArray(${reference}, tx.select({ value: ${entity.tableVar}.${referencedColumn} }).from(${entity.tableVar}).where(eq(${entity.tableVar}.${entityKey}, id)))`;

  const visit = (parent: SchemaTable, condition: Condition, path: ReadonlySet<string>): void => {
    for (const inbound of inboundReferences(schema, parent)) {
      const onDelete = inbound.column.references?.onDelete;
      if (onDelete !== undefined && HANDLED_BY_DATABASE.has(onDelete)) continue;
      const child = inbound.table.tableVar;
      if (path.has(child)) continue;
      const where = condition(`${child}.${inbound.column.name}`, inbound.referencedColumn);
      visit(
        inbound.table,
        (reference, referencedColumn) => `inArray(${reference}, tx.select({ value: ${child}.${referencedColumn} }).from(${child}).where(${where}))`,
        new Set([...path, child]),
      );
      statements.push(`await tx.delete(${child}).where(${where});`);
      tables.add(child);
    }
  };
  visit(entity, entityCondition, new Set([entity.tableVar]));
  return statements;
}
