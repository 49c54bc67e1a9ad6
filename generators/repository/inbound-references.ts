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
      if (column.references?.table === target.tableVar)
        found.push({ table, column, referencedColumn: column.references.column });
    }
  }
  return found;
}

function primaryKeyName(table: SchemaTable): string | undefined {
  return table.columns.find((column) => column.primaryKey)?.name;
}

/** Whether the database removes or detaches the referencing rows itself (`onDelete: cascade / set null / set default`). */
export function handledByDatabase(reference: InboundReference): boolean {
  const onDelete = reference.column.references?.onDelete;
  return onDelete !== undefined && HANDLED_BY_DATABASE.has(onDelete);
}

export interface CascadePlan {
  statements: string[];
  /** Table consts of `cascade` the statements reached (one not reached references nothing on the way). */
  reached: Set<string>;
  /** A referencing row the delete leaves (no action / restrict, not cascaded) makes PostgreSQL refuse it. */
  refusedBy: InboundReference[];
}

/**
 * The statements (run in `tx`, `id` = the entity's key) that remove the rows referencing the entity, deepest first,
 * following only the inbound foreign keys of tables in `cascade` (table consts), the caller's explicit choice:
 * anything else (no action / restrict) is left for PostgreSQL to refuse. Keys the database handles are skipped;
 * a reference back to a table already on the path (self-reference, cycle) is left to the database's own rule.
 * `tables` collects the table consts the statements use.
 */
export function cascadeDeleteStatements(
  schema: SchemaModel,
  entity: SchemaTable,
  tables: Set<string>,
  cascade: ReadonlySet<string> = new Set(),
): CascadePlan {
  const statements: string[] = [];
  const reached = new Set<string>();
  const refusedBy: InboundReference[] = [];
  const entityKey = primaryKeyName(entity) ?? "id";
  // Condition on a referencing column (`comments.postId`) that selects the rows pointing at the rows being deleted.
  type Condition = (reference: string, referencedColumn: string) => string;
  const entityCondition: Condition = (reference, referencedColumn) =>
    referencedColumn === entityKey
      ? `eq(${reference}, id)`
      : `inArray(${reference}, tx.select({ value: ${entity.tableVar}.${referencedColumn} }).from(${entity.tableVar}).where(eq(${entity.tableVar}.${entityKey}, id)))`;

  const visit = (parent: SchemaTable, condition: Condition, path: ReadonlySet<string>): void => {
    for (const inbound of inboundReferences(schema, parent)) {
      if (handledByDatabase(inbound)) continue;
      const child = inbound.table.tableVar;
      // A reference back along the path (self-reference, cycle) is left to its onDelete rule: no action refuses.
      if (path.has(child) || !cascade.has(child)) {
        refusedBy.push(inbound);
        continue;
      }
      reached.add(child);
      const where = condition(`${child}.${inbound.column.name}`, inbound.referencedColumn);
      visit(
        inbound.table,
        (reference, referencedColumn) =>
          `inArray(${reference}, tx.select({ value: ${child}.${referencedColumn} }).from(${child}).where(${where}))`,
        new Set([...path, child]),
      );
      statements.push(`await tx.delete(${child}).where(${where});`);
      tables.add(child);
    }
  };
  visit(entity, entityCondition, new Set([entity.tableVar]));
  return { statements, reached, refusedBy };
}
