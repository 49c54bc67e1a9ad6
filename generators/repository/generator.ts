import path from "node:path";

import { camelCase, kebabCase, pascalCase } from "change-case";

import type {
  GeneratorResult,
  PackageManager,
  ProjectLayout,
  SchemaColumn,
  SchemaModel,
  SchemaTable,
  Tree,
} from "../../src/devkit/index.js";
import {
  addDependencies,
  assertTablesReadable,
  DEPENDENCY_VERSIONS,
  drizzleLineOf,
  ensureExports,
  entityName,
  generateFiles,
  GenerationError,
  isSoftDeletable,
  keyLiterals,
  moduleSpecifier,
  pluralOf,
  readProjectSchema,
  schemaDiagnosticNotes,
  UsageError,
} from "../../src/devkit/index.js";
import { keyCheckOf } from "../../src/devkit/index.js";
import { indexProofData } from "./index-proof.js";
import { addMissingRelations } from "./missing-relations.js";
import { inboundTables, productionRepositoryData, productionTestData } from "./production-data.js";
import { requireTable, resolveWithTree } from "./relation-paths.js";
import type { WithNode } from "./relation-paths.js";
import { sampleExpression, sampleSpecOf, uniqueTogether } from "./sample-values.js";
import type { SampleContext } from "./sample-values.js";

// The vitest helper of the base project's per-request measurement (src/observability in a new project).
const EXPECT_STATEMENTS_MODULE = "observability/expect-statements.ts";

export interface RepositoryOptions {
  /** Table const of the entity, e.g. `users`. */
  table: string;
  /** Relation paths to eager-load, e.g. ["posts", "posts.comments"]; checked against the schema here. */
  with: string[];
  /** Tables (any spelling) whose rows referencing the entity its delete removes too; none by default. */
  cascade?: string[];
  layout: ProjectLayout;
  packageManager: PackageManager;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const TEXT_BUILDERS = new Set(["text", "varchar", "char"]);

// Keys keyset pagination can order by and a DataLoader can batch on: numbers, bigints and strings (uuid, text).
const KEY_TYPES = new Set(["number", "bigint", "string"]);

function primaryKeyOf(table: SchemaTable): SchemaColumn {
  const columns = table.primaryKey?.columns ?? [];
  const key = table.columns.find((column) => column.name === columns[0]);
  if (columns.length > 1) {
    throw new UsageError(
      `${table.file}: ${table.tableVar} has a composite primary key (${columns.join(", ")}); the repository's find-by-id, cursor and DataLoader need one key column.`,
      ["Generate the repository for the tables it joins, and load this one through their relations (--with)."],
    );
  }
  if (!key)
    throw new UsageError(
      `${table.file}: ${table.tableVar} has no primary key; a repository needs one to find, page and batch rows.`,
    );
  if (!KEY_TYPES.has(key.tsType)) {
    throw new UsageError(
      `${table.file}: the primary key ${table.tableVar}.${key.name} is ${key.tsType}; keyset pagination needs a number, bigint or string key.`,
    );
  }
  return key;
}

/** Test rows are removed by their first key column (a composite key's first part is enough to find seeded rows). */
function cleanupKeyOf(table: SchemaTable): string {
  const key = table.primaryKey?.columns[0];
  if (!key)
    throw new UsageError(
      `${table.file}: ${table.tableVar} has no primary key, so the generated test cannot remove the rows it seeds.`,
    );
  return key;
}

/** The row type's name: the schema's own `export type X = typeof t.$inferSelect`, or the entity (`CollegeTable` -> College). */
function typeNameOf(table: SchemaTable): string {
  return pascalCase(entityName(table));
}

/** `Users`, `Colleges`, `RefreshTokens`: list functions and the repository's own names. */
const pluralNameOf = (table: SchemaTable): string => pascalCase(pluralOf(entityName(table)));

interface RowTypes {
  /** Names the schema exports (imported with `import type`). */
  imported: string[];
  /** `type X = typeof t.$inferY;` for tables whose schema file declares none (e.g. a repo's own tables). */
  local: Array<{ name: string; tableVar: string; infer: "inferSelect" | "inferInsert" }>;
}

function rowTypes(tables: ReadonlyArray<{ table: SchemaTable; insert: boolean }>): RowTypes {
  const types: RowTypes = { imported: [], local: [] };
  for (const { table, insert } of tables) {
    const name = typeNameOf(table);
    // The schema's own type is reused when it has the entity's name; otherwise one is declared locally.
    if (table.selectType === name) types.imported.push(name);
    else types.local.push({ name, tableVar: table.tableVar, infer: "inferSelect" });
    if (!insert) continue;
    if (table.insertType === `New${name}`) types.imported.push(table.insertType);
    else types.local.push({ name: `New${name}`, tableVar: table.tableVar, infer: "inferInsert" });
  }
  types.imported.sort();
  return types;
}

/** The FK column of a `many(child)` edge lives on the child's `one(parent)`; drizzle needs that side too. */
function foreignKeyOf(parent: SchemaTable, child: SchemaTable): { column: string; references: string } {
  const back = child.relations?.find((relation) => relation.kind === "one" && relation.target === parent.tableVar);
  const column = back?.fields[0];
  const references = back?.references[0];
  if (!column || !references) {
    throw new GenerationError(
      `${child.file}: ${child.tableVar} has no one(${parent.tableVar}, { fields, references }) relation, which drizzle needs to load ${parent.tableVar} -> many(${child.tableVar}).`,
    );
  }
  return { column, references };
}

// A key without a default (text, a uuid the app sets) must be given by inserts like any other required column.
const isRequired = (column: SchemaColumn): boolean =>
  column.notNull && !column.hasDefault && !column.generated && !column.identity;

/** A value for a column in generated test data, from its spec (kind and constraints); text in unique columns carries RUN_ID. */
const sampleValue = (column: SchemaColumn, context: SampleContext, parentKey = "id"): string =>
  sampleExpression(sampleSpecOf(column), context, parentKey);

interface SeedPlan {
  table: SchemaTable;
  /** Set when the table is seeded CHILDREN_PER_PARENT rows per row of a parent (a many() edge of the with tree). */
  driver?: { parent: SchemaTable; column: string; references: string };
}

function collectSeeds(
  schema: SchemaModel,
  entity: SchemaTable,
  nodes: readonly WithNode[],
  extra: readonly SchemaTable[] = [],
): SeedPlan[] {
  const plans = new Map<string, SeedPlan>([[entity.tableVar, { table: entity }]]);
  const queue: Array<{ parent: SchemaTable; node: WithNode }> = nodes.map((node) => ({ parent: entity, node }));
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    const { parent, node } = next;
    if (!plans.has(node.table.tableVar)) {
      const driver = node.relation.kind === "many" ? { parent, ...foreignKeyOf(parent, node.table) } : undefined;
      plans.set(node.table.tableVar, { table: node.table, driver });
    }
    queue.push(...node.children.map((child) => ({ parent: node.table, node: child })));
  }
  for (const table of extra) if (!plans.has(table.tableVar)) plans.set(table.tableVar, { table });
  // Parents a seeded row cannot do without (required foreign keys).
  const pending = [...plans.values()];
  while (pending.length > 0) {
    const plan = pending.pop();
    for (const column of plan?.table.columns ?? []) {
      if (!isRequired(column) || !column.references || plans.has(column.references.table)) continue;
      const parent = schema.get(column.references.table);
      if (!parent)
        throw new GenerationError(
          `${plan?.table.file ?? ""}: ${column.name} references ${column.references.table}, which is not a table in the schema.`,
        );
      const added = { table: parent };
      plans.set(parent.tableVar, added);
      pending.push(added);
    }
  }
  // Parents first.
  const ordered: SeedPlan[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (plan: SeedPlan): void => {
    const name = plan.table.tableVar;
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting")
      throw new GenerationError(`Cannot order test data: required foreign keys form a cycle through ${name}.`);
    state.set(name, "visiting");
    const dependencies = plan.table.columns
      .filter((column) => isRequired(column) && column.references)
      .map((column) => column.references?.table ?? "");
    if (plan.driver) dependencies.push(plan.driver.parent.tableVar);
    for (const dependency of dependencies) {
      const target = plans.get(dependency);
      if (target && dependency !== name) visit(target);
    }
    state.set(name, "done");
    ordered.push(plan);
  };
  for (const plan of plans.values()) visit(plan);
  return ordered;
}

const rowsVarOf = (table: SchemaTable): string => `${camelCase(typeNameOf(table))}Rows`;

function valuesExpression(plan: SeedPlan, seeded: ReadonlyMap<string, SchemaTable>): string {
  const context: SampleContext = plan.driver ? "child" : "seed";
  const fields: string[] = [];
  for (const column of plan.table.columns) {
    const driving = plan.driver?.column === column.name;
    if (!isRequired(column) && !driving) continue;
    let value: string;
    if (driving && plan.driver) value = `parent.${plan.driver.references}`;
    else if (column.references && seeded.has(column.references.table)) {
      const rows = rowsVarOf(seeded.get(column.references.table) as SchemaTable);
      value = `${rows}[index % ${rows}.length]!.${column.references.column}`;
    } else value = sampleValue(column, context, plan.driver?.references);
    fields.push(`${column.name}: ${value}`);
  }
  const object = fields.length > 0 ? `({ ${fields.join(", ")} })` : "({})";
  const parameters = /\bindex\b/.test(object) ? "(_, index)" : "()";
  if (plan.driver) {
    // A unique number of a child counts by its parent's row too (sample-values).
    const parent = /\bparentIndex\b/.test(object) ? "(parent, parentIndex)" : "(parent)";
    return `${rowsVarOf(plan.driver.parent)}.flatMap(${parent} => Array.from({ length: CHILDREN_PER_PARENT }, ${parameters} => ${object}))`;
  }
  return `Array.from({ length: SEED_ROWS }, ${parameters} => ${object})`;
}

function updatePatch(entity: SchemaTable, seeded: ReadonlyMap<string, SchemaTable>): string {
  const candidates = entity.columns.filter(
    (column) => !column.primaryKey && !column.references && !["json", "jsonb"].includes(column.builder),
  );
  const column =
    candidates.find((candidate) => TEXT_BUILDERS.has(candidate.builder) && !candidate.array) ??
    candidates.find((candidate) => !candidate.array);
  if (column) return `{ ${column.name}: ${sampleValue(column, "update")} }`;
  const foreignKey = entity.columns.find((candidate) => candidate.references && seeded.has(candidate.references.table));
  if (foreignKey?.references) {
    return `{ ${foreignKey.name}: ${rowsVarOf(seeded.get(foreignKey.references.table) as SchemaTable)}[0]!.${foreignKey.references.column} }`;
  }
  throw new GenerationError(
    `${entity.file}: ${entity.tableVar} has no column besides its primary key to update in the generated test.`,
  );
}

/** The table consts of `--cascade`; a soft-delete table is refused (its rows stay, and would still reference the entity). */
function cascadeTables(
  model: Parameters<typeof requireTable>[0],
  entity: SchemaTable,
  names: readonly string[],
  schemaDir: string,
): Set<string> {
  const tables = new Set<string>();
  for (const name of names) {
    const table = requireTable(model, name, schemaDir);
    if (table === entity)
      throw new UsageError(
        `--cascade ${name}: that is the entity's own table; a self-reference is left to its onDelete rule.`,
      );
    if (isSoftDeletable(table)) {
      throw new UsageError(
        `--cascade ${name}: ${table.tableVar} is soft-delete, so its rows are never hard-deleted and would still reference ${entity.tableVar}.`,
        [
          `Soft-delete ${table.tableVar} rows through their own repository first, or give the foreign key onDelete "set null".`,
        ],
      );
    }
    tables.add(table.tableVar);
  }
  return tables;
}

/** `src/repositories/<table>-repository.ts` + its statement-counting test, the barrel and the dataloader dependency. */
export async function repositoryGenerator(tree: Tree, options: RepositoryOptions): Promise<GeneratorResult> {
  const { layout } = options;
  let model = await readProjectSchema(tree, layout);
  if (model.client && !model.client.hasSchema) {
    throw new UsageError(
      `${model.client.file}: drizzle(...) is called without { schema }, so db.query (the eager, one-statement reads) does not exist.`,
      [
        `Pass the schema: drizzle(client, { schema }) with \`import * as schema from "<your schema entry>"\` in ${model.client.file}, then run again.`,
      ],
    );
  }
  const relationNotes = await addMissingRelations(
    tree,
    model,
    requireTable(model, options.table, layout.db.schemaDir),
    options.with,
    layout,
  );
  // Read again: the with tree and the test data follow the relations just added.
  if (relationNotes.length > 0) model = await readProjectSchema(tree, layout);
  const schema = model.tables;
  const entity = requireTable(model, options.table, layout.db.schemaDir);
  const nodes = resolveWithTree(schema, entity, options.with);
  const primaryKey = primaryKeyOf(entity).name;
  const entityName = typeNameOf(entity);
  const entityPluralName = pluralNameOf(entity);
  const fileName = kebabCase(entityPluralName);
  const repositoryFile = path.posix.join(layout.repositoriesDir, `${fileName}-repository.ts`);
  const testFile = repositoryFile.replace(/\.ts$/, ".test.ts");

  const cascade = cascadeTables(model, entity, options.cascade ?? [], layout.db.schemaDir);
  if (cascade.size > 0 && isSoftDeletable(entity)) {
    throw new UsageError(
      `--cascade: ${entity.tableVar} is soft-delete; its delete keeps the row, so no referencing row has to go.`,
    );
  }
  const production = productionRepositoryData(schema, entity, nodes, cascade);
  // Ids the key column cannot hold are answered before any SQL (per type: int2/int4/int8, numeric text, uuid, text).
  const keyRange = keyCheckOf(primaryKeyOf(entity));
  const unreached = [...cascade].filter((table) => !production.cascadeReached.has(table));
  if (unreached.length > 0) {
    throw new UsageError(
      `--cascade ${unreached.join(", ")}: no row of ${unreached.length === 1 ? "it" : "them"} references ${entity.tableVar} through a foreign key the delete would meet (directly or through another --cascade table, without onDelete cascade/set null).`,
    );
  }
  const repository = {
    tableVar: entity.tableVar,
    sqlTableName: entity.sqlName,
    entityName,
    entityPluralName,
    primaryKey,
    dbClientImport: moduleSpecifier(layout, repositoryFile, layout.db.client),
    schemaImport: moduleSpecifier(layout, repositoryFile, layout.db.schemaBarrel),
    transactionImport: moduleSpecifier(layout, repositoryFile, layout.db.transaction),
    schemaImports: [...new Set([entity.tableVar, ...production.deleteTables, ...production.eager.tableImports])].sort(),
    rowTypes: rowTypes([{ table: entity, insert: true }]),
    defaultPageSize: DEFAULT_PAGE_SIZE,
    maxPageSize: MAX_PAGE_SIZE,
    ...production,
    keyRange,
    // drizzle-orm 0.x: its older withReplicas (0.36, no $replicas) is emulated by a generated test; 1.0 never routes reads itself.
    legacyReplicaTest: drizzleLineOf(tree) === "0",
  };

  const seeds = collectSeeds(schema, entity, nodes, inboundTables(schema, entity));
  // Every table the repository reads, seeds or deletes from must have been read in full.
  assertTablesReadable(model, [entity.tableVar, ...seeds.map((plan) => plan.table.tableVar)]);
  const seeded = new Map(seeds.map((plan) => [plan.table.tableVar, plan.table]));
  const seedSteps = seeds.map((plan) => ({
    rowsVar: rowsVarOf(plan.table),
    tableVar: plan.table.tableVar,
    typeName: typeNameOf(plan.table),
    valuesExpression: valuesExpression(plan, seeded),
  }));
  // Keys unique together (`unique().on(collegeId, userId)`) take rows 0, 1, ...: the seeded rows pair row i with row i.
  const pairedKeys = entity.columns
    .filter((column) => isRequired(column) && column.references && seeded.has(column.references.table))
    .map((column) => column.name);
  const createRowOf = (column: SchemaColumn): number => {
    const together = pairedKeys.filter((name) => uniqueTogether(entity, name, column.name) || name === column.name);
    return together.length > 1 ? together.indexOf(column.name) : 0;
  };
  const createFields = entity.columns
    .filter(isRequired)
    .map((column) =>
      column.references && seeded.has(column.references.table)
        ? `${column.name}: ${rowsVarOf(seeded.get(column.references.table) as SchemaTable)}[${String(createRowOf(column))}]!.${column.references.column}`
        : `${column.name}: ${sampleValue(column, "create")}`,
    );
  // Values of the key's own type: a missing id, a cursor just before a row (strings page from the start).
  const keyValues = keyLiterals(primaryKeyOf(entity));
  const expectStatementsFile = path.posix.join(layout.srcDir, EXPECT_STATEMENTS_MODULE);
  const indexProof = indexProofData(entity, nodes);
  const test = {
    ...repository,
    ...keyValues,
    dbClientImport: moduleSpecifier(layout, testFile, layout.db.client),
    schemaImport: moduleSpecifier(layout, testFile, layout.db.schemaBarrel),
    repositoryImport: moduleSpecifier(layout, testFile, repositoryFile),
    seedTableImports: seedSteps.map((step) => step.tableVar).sort(),
    seedRowTypes: rowTypes(seeds.map((plan) => ({ table: plan.table, insert: false }))),
    seedSteps,
    cleanupSteps: [...seeds].reverse().map((plan) => ({
      rowsVar: rowsVarOf(plan.table),
      tableVar: plan.table.tableVar,
      primaryKey: cleanupKeyOf(plan.table),
    })),
    entityRowsVar: rowsVarOf(entity),
    // A BigInt key: the test stores the row 2^53 + 1, which only a BigInt holds exactly.
    beyondDoubleKey: primaryKeyOf(entity).tsType === "bigint" && keyRange !== undefined,
    childCountAssertions: nodes
      .filter(
        (node) =>
          node.relation.kind === "many" && seeds.find((plan) => plan.table === node.table)?.driver?.parent === entity,
      )
      .map((node) => node.relation.name),
    createInputExpression: createFields.length > 0 ? `{ ${createFields.join(", ")} }` : "{}",
    updatePatchExpression: updatePatch(entity, seeded),
    transactionImport: moduleSpecifier(layout, testFile, layout.db.transaction),
    // postgres.js sends BEGIN/COMMIT itself (sql.begin), past Drizzle's logger: only node-postgres logs them.
    loggedTransactionControl: layout.db.driver !== "postgres-js",
    // Projects made before the observability module existed get a local stand-in with the same signature.
    expectStatementsImport: tree.exists(expectStatementsFile)
      ? moduleSpecifier(layout, testFile, expectStatementsFile)
      : "",
    ...productionTestData(
      schema,
      entity,
      nodes,
      {
        seeds: seeds.map((plan, index) => ({ ...plan, valuesExpression: seedSteps[index]?.valuesExpression ?? "" })),
        rowsVarOf,
        isRequired,
        sampleValue: (column) => sampleValue(column, "create"),
        updatePatchExpression: updatePatch(entity, seeded),
      },
      cascade,
    ),
    ...indexProof,
  };

  // Only a test whose data carries RUN_ID declares it (a linted project rejects an unused const).
  const usesRunId = JSON.stringify(test).includes("${RUN_ID}");
  // The module and its test sit in one folder: their import specifiers are the same.
  generateFiles(tree, "repository", layout.repositoriesDir, { ...test, fileName, usesRunId });
  const valueExports = [
    `create${entityPluralName}Repository`,
    `${camelCase(entityPluralName)}Repository`,
    `find${entityName}ById`,
    `list${entityPluralName}`,
    `create${entityName}`,
    `update${entityName}`,
    `delete${entityName}`,
    `create${entityName}Loader`,
    `get${entityName}Row`,
    `on${entityName}Written`,
    `notify${entityName}Written`,
    ...(keyRange ? [`parse${entityName}Id`] : []),
  ];
  const typeExports = [
    `${entityName}Id`,
    `${entityName}Patch`,
    `${entityName}ReadOptions`,
    `List${entityPluralName}Options`,
    `${entityPluralName}Repository`,
    `${entityName}WithRelations`,
  ];
  const barrel = path.posix.join(layout.repositoriesDir, "index.ts");
  // Named exports (not `export *`): every repository has its own MAX_PAGE_SIZE, and `export *` of two would clash.
  await ensureExports(tree, barrel, repositoryFile, {
    layout,
    what: `repository ${entity.tableVar}`,
    named: { values: valueExports, types: typeExports },
  });

  const dependencies = addDependencies(
    tree,
    { dependencies: { dataloader: DEPENDENCY_VERSIONS.dataloader } },
    options.packageManager,
  );
  const unindexedNotes = indexProof.unindexedLookups.map(
    (lookup) =>
      `The eager read of ${lookup.relation} finds ${lookup.table} rows by ${lookup.column}, which no index of the schema starts with: each read scans ${lookup.table}. Add one (\`create-perf-backend doctor --fix\` does, fk-needs-index); the generated test proves the index once it is in the schema and the repository is generated again.`,
  );
  return {
    tasks: dependencies.tasks,
    notes: [...relationNotes, ...unindexedNotes, ...schemaDiagnosticNotes(model), ...dependencies.notes],
    nextSteps: [
      `DATABASE_URL=... npx vitest run ${testFile}   # asserts 1 statement per eager read and per loader batch`,
    ],
  };
}
