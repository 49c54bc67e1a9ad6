import { constantCase } from "change-case";

import { isSoftDeletable, SOFT_DELETE_COLUMN } from "../../src/devkit/index.js";
import type { SchemaColumn, SchemaModel, SchemaTable } from "../../src/devkit/index.js";
import { softDeletableChildren } from "./eager-config.js";
import type { RelationLimit } from "./eager-config.js";
import { eagerPlan } from "./eager-sql.js";
import { cascadeDeleteStatements, handledByDatabase, inboundReferences } from "./inbound-references.js";
import type { WithNode } from "./relation-paths.js";
import { uniqueTogether } from "./sample-values.js";

/** Ids per DataLoader query. */
export const LOADER_MAX_BATCH_SIZE = 1000;
// Columns the database and the repository own: never in a patch.
const AUDIT_COLUMNS = ["createdAt", "updatedAt", SOFT_DELETE_COLUMN];
const DRIZZLE_BASE_IMPORTS = ["asc", "eq", "getTableColumns", "gt", "sql"];
// Rows and bytes of nested JSON one eager read may return across its levels (a page stops before passing either).
export const MAX_EAGER_ROWS_PER_CALL = 10_000;
export const MAX_EAGER_BYTES_PER_CALL = 8 * 1024 * 1024;

/** What the generator already knows about the seeded test data (helpers of generator.ts). */
export interface SeedFacts {
  /** Table const -> the `let <rows>` variable of its seed step; tables seeded per parent carry their driver. */
  seeds: ReadonlyArray<{
    table: SchemaTable;
    driver?: { parent: SchemaTable; column: string; references: string };
    valuesExpression: string;
  }>;
  rowsVarOf: (table: SchemaTable) => string;
  isRequired: (column: SchemaColumn) => boolean;
  sampleValue: (column: SchemaColumn) => string;
  updatePatchExpression: string;
}

/** `8388608` as `8_388_608`: readable in generated code. */
// 8_388_608: digits grouped by threes (toLocaleString would load ICU's number formatting, ~10 ms of a run).
const numberLiteral = (value: number): string => String(value).replace(/\B(?=(\d{3})+$)/g, "_");

function primaryKeyName(table: SchemaTable): string {
  return table.columns.find((column) => column.primaryKey)?.name ?? "id";
}

/**
 * The key column children of one parent come back sorted by: the first key column that is not the parent's FK
 * (a join table's `(userId, groupId)` under a user sorts by `groupId`); "" when there is none to check.
 */
function orderedChildKey(node: WithNode, parent: SchemaTable): string {
  const key = node.table.primaryKey?.columns ?? [];
  if (key.length <= 1) return key[0] ?? "";
  const toParent = new Set(
    node.table.foreignKeys
      .filter((foreignKey) => foreignKey.foreignTable === parent.tableVar)
      .flatMap((foreignKey) => foreignKey.columns),
  );
  return key.find((column) => !toParent.has(column)) ?? "";
}

/** Variables of the repository template for soft delete, deletes over every inbound key, bounded eager reads. */
export function productionRepositoryData(
  schema: SchemaModel,
  entity: SchemaTable,
  nodes: readonly WithNode[],
  cascade: ReadonlySet<string> = new Set(),
) {
  const table = entity.tableVar;
  const key = `${table}.${primaryKeyName(entity)}`;
  const softDelete = isSoftDeletable(entity);
  const deleteTables = new Set<string>();
  const plan = softDelete ? undefined : cascadeDeleteStatements(schema, entity, deleteTables, cascade);
  const deleteStatements = plan?.statements ?? [];
  const relationLimits: RelationLimit[] = [];
  const eager = eagerPlan(entity, nodes, relationLimits);
  const notDeleted = `isNull(${table}.${SOFT_DELETE_COLUMN})`;
  const onlyLive = (condition: string): string => (softDelete ? `and(${condition}, ${notDeleted})` : condition);
  const omitted = [
    primaryKeyName(entity),
    ...AUDIT_COLUMNS.filter((name) => entity.columns.some((column) => column.name === name)),
  ];
  const drizzleImports = [
    ...DRIZZLE_BASE_IMPORTS,
    ...(softDelete ? ["and", "isNull"] : []),
    ...(deleteStatements.some((statement) => statement.includes("inArray(")) ? ["inArray"] : []),
  ];
  return {
    softDelete,
    hasDeleteTransaction: deleteStatements.length > 0,
    // The delete may meet a no action / restrict key: PostgreSQL's 23503 becomes the repository's InUse error.
    deleteMayBeRefused: (plan?.refusedBy.length ?? 0) > 0,
    cascadeReached: plan?.reached ?? new Set<string>(),
    deleteRefusedBy: (plan?.refusedBy ?? []).map((reference) => `${reference.table.tableVar}.${reference.column.name}`),
    deleteStatements,
    deleteTables,
    eager,
    relationLimits,
    maxEagerRows: numberLiteral(MAX_EAGER_ROWS_PER_CALL),
    maxEagerBytes: numberLiteral(MAX_EAGER_BYTES_PER_CALL),
    patchOmit: omitted.map((name) => JSON.stringify(name)).join(" | "),
    patchOmitted: omitted,
    // Only an updatedAt that Drizzle moves itself ($onUpdate) is expected to move in the generated test.
    hasUpdatedAt: entity.columns.some((column) => column.name === "updatedAt" && column.updatesItself),
    // A nullable updatedAt (common in repos' own schemas) is read optionally: no non-null assertion a repo's linter may forbid.
    updatedAtAccess: entity.columns.some((column) => column.name === "updatedAt" && !column.notNull)
      ? "updatedAt?"
      : "updatedAt",
    drizzleImports: drizzleImports.sort(),
    findWhere: onlyLive(`eq(${key}, sql.placeholder("id"))`),
    listFirstPageWhere: softDelete ? notDeleted : "",
    listAfterCursorWhere: onlyLive(`gt(${key}, sql.placeholder("cursor"))`),
    rowWhere: onlyLive(`eq(${key}, id)`),
    loaderMaxBatchSize: LOADER_MAX_BATCH_SIZE,
  };
}

/** Inbound tables the delete test inserts a referencing row into: they (and their parents) must be seeded. */
export function inboundTables(schema: SchemaModel, entity: SchemaTable): SchemaTable[] {
  if (isSoftDeletable(entity)) return [];
  return [...new Set(inboundReferences(schema, entity).map((reference) => reference.table))].filter(
    (table) => table !== entity,
  );
}

/** Variables of the test template that prove the production items (see entity-repository.test.ts.hbs). */
export function productionTestData(
  schema: SchemaModel,
  entity: SchemaTable,
  nodes: readonly WithNode[],
  facts: SeedFacts,
  cascade: ReadonlySet<string> = new Set(),
) {
  const seedOf = (table: SchemaTable) => facts.seeds.find((seed) => seed.table === table);
  const drivenBy = (node: WithNode, parent: SchemaTable) =>
    node.relation.kind === "many" && seedOf(node.table)?.driver?.parent === parent;

  // Per path of many() edges that were all seeded per parent: the rows the eager read must return.
  const childAssertions: Array<{ expression: string; expected: string; relation: string; orderedKey: string }> = [];
  const walk = (level: readonly WithNode[], parent: SchemaTable, expression: string, depth: number): void => {
    for (const node of level) {
      if (!drivenBy(node, parent)) continue;
      const next =
        depth === 1
          ? `${expression}.${node.relation.name}`
          : `${expression}.flatMap((row) => row.${node.relation.name})`;
      const accessor = depth === 1 ? `result?.${node.relation.name}` : next;
      childAssertions.push({
        expression: accessor,
        expected: depth === 1 ? "CHILDREN_PER_PARENT" : `CHILDREN_PER_PARENT ** ${String(depth)}`,
        relation: node.relation.name,
        orderedKey: depth === 1 ? orderedChildKey(node, parent) : "",
      });
      walk(node.children, node.table, depth === 1 ? `result?.${node.relation.name}` : next, depth + 1);
    }
  };
  walk(nodes, entity, "result?", 1);

  const direct = nodes.filter((node) => drivenBy(node, entity));
  const softChildren = softDeletableChildren(direct.map((node) => ({ ...node, children: [] }))).map(({ node }) => ({
    relation: node.relation.name,
    tableVar: node.table.tableVar,
    rowsVar: facts.rowsVarOf(node.table),
    primaryKey: primaryKeyName(node.table),
    foreignKey: seedOf(node.table)?.driver?.column ?? "",
  }));
  // The seed expression of `node`'s rows for one `parent` and `length` more children; text suffixes shifted past the
  // seeded ones (unique columns).
  const childValues = (node: WithNode, parentTable: SchemaTable, parent: string, length: string): string => {
    const shifted = (seedOf(node.table)?.valuesExpression ?? "")
      .replace(`${facts.rowsVarOf(parentTable)}.flatMap(`, `[${parent}].flatMap(`)
      .replace("{ length: CHILDREN_PER_PARENT }", `{ length: ${length} }`)
      .replaceAll("${index}", "${index + CHILDREN_PER_PARENT}");
    // A composite key (a join table) or unique pair is unique per pair: the extra children pair with rows the seeded ones do not use.
    const driver = seedOf(node.table)?.driver?.column ?? "";
    const paired =
      node.table.primaryKey?.composite ||
      node.table.columns.some((column) => column.name !== driver && uniqueTogether(node.table, driver, column.name));
    return paired
      ? shifted.replaceAll(/\[index % (\w+)\.length\]/g, "[(index + CHILDREN_PER_PARENT) % $1.length]")
      : shifted;
  };
  // Direct many() children under a one-column key: each nested row is checked against the table read by Drizzle.
  const nestedValueTests = direct
    .filter((node) => node.relation.kind === "many" && (node.table.primaryKey?.columns.length ?? 0) === 1)
    .map((node) => ({
      relation: node.relation.name,
      tableVar: node.table.tableVar,
      primaryKey: node.table.primaryKey?.columns[0] ?? primaryKeyName(node.table),
    }));
  const relationLimitTests = direct.map((node) => {
    const limitName = `${constantCase(node.relation.name)}_LIMIT`;
    const valuesFor = (parent: string, length: string): string => childValues(node, entity, parent, length);
    return {
      relation: node.relation.name,
      limitName,
      tableVar: node.table.tableVar,
      rowsVar: facts.rowsVarOf(node.table),
      // LIMIT + 1 children in all (the seeded ones included): truncated, hasMore; exactly LIMIT on another parent: not.
      overValuesExpression: valuesFor("over", `${limitName} + 1 - CHILDREN_PER_PARENT`),
      atValuesExpression: valuesFor("at", `${limitName} - CHILDREN_PER_PARENT`),
    };
  });
  // A many() under a direct one, both seeded per parent: its hasMore is counted by the generated mapper, not in SQL.
  const nestedLimitTests = direct.flatMap((parentNode) =>
    parentNode.children
      // A single-column key: the test deletes the rows it added by it.
      .filter((node) => drivenBy(node, parentNode.table) && node.table.primaryKey?.composite !== true)
      .map((node) => {
        const limitName = `${constantCase(`${parentNode.relation.name}.${node.relation.name}`)}_LIMIT`;
        return {
          path: `${parentNode.relation.name}.${node.relation.name}`,
          parentRelation: parentNode.relation.name,
          parentRowsVar: facts.rowsVarOf(parentNode.table),
          parentForeignKey: seedOf(parentNode.table)?.driver?.column ?? "",
          parentReferences: seedOf(parentNode.table)?.driver?.references ?? "id",
          parentPrimaryKey: primaryKeyName(parentNode.table),
          relation: node.relation.name,
          limitName,
          tableVar: node.table.tableVar,
          primaryKey: primaryKeyName(node.table),
          overValuesExpression: childValues(node, parentNode.table, "over", `${limitName} + 1 - CHILDREN_PER_PARENT`),
          atValuesExpression: childValues(node, parentNode.table, "at", `${limitName} - CHILDREN_PER_PARENT`),
        };
      }),
  );
  // Direct many() relations seeded per parent: their rows travel as JSON (dates as epoch ms, bigints as text) and
  // must come back as the rows themselves.
  // A row is found again by its one-column key: a join table's composite key has no single column to read it by.
  const eagerRowTests = direct
    .filter((node) => (node.table.primaryKey?.columns.length ?? 0) === 1)
    .map((node) => ({
      relation: node.relation.name,
      tableVar: node.table.tableVar,
      primaryKey: node.table.primaryKey?.columns[0] ?? primaryKeyName(node.table),
    }));
  // Rows of one eager item across its levels (the budget counts the same): 1 + each relation's rows, recursively.
  const rowsOf = (level: readonly WithNode[], row: string, depth: number): string => {
    const parts = level.map((node) => {
      const inner = `row${String(depth)}`;
      const nested = rowsOf(node.children, inner, depth + 1);
      if (node.children.length === 0)
        return node.relation.kind === "many"
          ? `${row}.${node.relation.name}.length`
          : `(${row}.${node.relation.name} === null ? 0 : 1)`;
      return node.relation.kind === "many"
        ? `${row}.${node.relation.name}.reduce((sum, ${inner}) => sum + ${nested}, 0)`
        : `(${row}.${node.relation.name} === null ? 0 : ((${inner}) => ${nested})(${row}.${node.relation.name}))`;
    });
    return ["1", ...parts].join(" + ");
  };
  const eagerRowsExpression = rowsOf(nodes, "item", 1);

  const inboundRows = isSoftDeletable(entity)
    ? []
    : inboundReferences(schema, entity)
        .filter((reference) => reference.table !== entity)
        .map((reference) => {
          const fields = reference.table.columns
            .filter((column) => column === reference.column || facts.isRequired(column))
            .map((column) => {
              if (column === reference.column) return `${column.name}: target.${reference.referencedColumn}`;
              const parent = column.references ? schema.get(column.references.table) : undefined;
              // A composite key's pair must be new: the seeded rows pair the target with the first CHILDREN_PER_PARENT rows
              // (seeded per target), or row i with row i (seeded in one run: the target, last, is paired with the next).
              const drivenByEntity = seedOf(reference.table)?.driver?.parent === entity;
              const together = uniqueTogether(reference.table, reference.column.name, column.name);
              const row =
                reference.table.primaryKey?.composite || (together && drivenByEntity)
                  ? "CHILDREN_PER_PARENT"
                  : together && parent
                    ? `${facts.rowsVarOf(entity)}.length % ${facts.rowsVarOf(parent)}.length`
                    : "0";
              if (parent && seedOf(parent))
                return `${column.name}: ${facts.rowsVarOf(parent)}[${row}]!.${column.references?.column ?? "id"}`;
              return `${column.name}: ${facts.sampleValue(column)}`;
            });
          return {
            tableVar: reference.table.tableVar,
            column: reference.column.name,
            rowsVar: facts.rowsVarOf(reference.table),
            valuesExpression: `{ ${fields.join(", ")} }`,
          };
        });

  // A direct no action / restrict key the delete does not cascade: the test expects the refusal (InUse error).
  const directReferences = isSoftDeletable(entity)
    ? []
    : inboundReferences(schema, entity).filter((reference) => reference.table !== entity);
  const deleteRefusedDirectly = directReferences.some(
    (reference) => !handledByDatabase(reference) && !cascade.has(reference.table.tableVar),
  );
  // A self-reference without onDelete cascade/set null: deleting a parent row is refused while it has children.
  const selfReference = isSoftDeletable(entity)
    ? undefined
    : inboundReferences(schema, entity).find(
        (reference) => reference.table === entity && !handledByDatabase(reference),
      );
  const deleteRefusedDeeper =
    !isSoftDeletable(entity) && cascadeDeleteStatements(schema, entity, new Set(), cascade).refusedBy.length > 0;
  const patchedColumn = /^\{ (\w+):/.exec(facts.updatePatchExpression)?.[1] ?? "";
  // Required bigint columns are in every created row: they must come back as BigInt, not a rounded number.
  const bigintColumns = entity.columns
    .filter(
      (column) => facts.isRequired(column) && column.builder === "bigint" && column.builderOptions.includes('"bigint"'),
    )
    .map((column) => column.name);
  const needsEq = isSoftDeletable(entity) || inboundRows.length > 0 || softChildren.length > 0;
  return {
    childAssertions,
    nestedValueTests,
    softChildren,
    relationLimitTests,
    relationLimitImports: [...relationLimitTests, ...nestedLimitTests].map((test) => test.limitName),
    nestedLimitTests,
    eagerRowTests,
    eagerRowsExpression,
    inboundRows,
    deleteRefusedDirectly,
    selfReferenceColumn: selfReference?.column.name ?? "",
    selfReferencedColumn: selfReference?.referencedColumn ?? "",
    // Every referencing row goes with the entity (cascaded here or by the database): the test deletes through them.
    deleteCascades: inboundRows.length > 0 && !deleteRefusedDeeper,
    patchedColumn,
    bigintColumns,
    usesChildrenPerParent: facts.seeds.some((seed) => seed.driver !== undefined),
    // sql: the index proof binds the logged statement for EXPLAIN.
    testDrizzleImports: needsEq ? ["eq", "inArray", "sql"] : ["inArray", "sql"],
  };
}
