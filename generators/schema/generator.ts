import path from "node:path";

import { kebabCase, pascalCase, snakeCase } from "change-case";

import {
  addDefineRelationsEntries,
  addTableRelations,
  defineRelationsFile,
  drizzleLineOf,
  ensureExportStar,
  formatCommand,
  generateFiles,
  manyEntry,
  moduleSpecifier,
  oneEntry,
  readProjectSchema,
  runScriptCommand,
  sameCodeIgnoringFormat,
  schemaDiagnosticNotes,
  singularTypeName,
  UsageError,
} from "../../src/devkit/index.js";
import type {
  DefineRelationsEntry,
  DeferredTask,
  GeneratorResult,
  PackageManager,
  ProjectLayout,
  SchemaTable,
  Tree,
} from "../../src/devkit/index.js";
import { extendTable } from "./add-columns.js";
import type { KeyType } from "./column-spec.js";
import { generatesOnlineMigrations, migrationLockNotes } from "./migration-locks.js";
import { assertRepositoriesCurrent, staleRepositories } from "./stale-repositories.js";
import {
  assertIdentifier,
  assertNoTwin,
  buildIndexes,
  columnBuilder,
  isSelfReference,
  relationNameFor,
  resolveParents,
} from "./table-code.js";
import type { TableSpec } from "./table-code.js";
import { tableFunction, tableFunctionImport } from "./table-factory.js";

/** `columns`: user columns plus the ones --timestamps / --soft-delete add; the `id` primary key is implicit. */
export interface SchemaOptions extends TableSpec {
  /** --add-columns: edit the existing table instead of generating it. */
  extend: boolean;
  migrate: boolean;
  /** --allow-stale-repositories: add foreign keys an existing repository's delete does not expect (regenerate it next). */
  allowStaleRepositories?: boolean;
  layout: ProjectLayout;
  packageManager: PackageManager;
}

// The key: int4 identity, or int8 identity read as a BigInt (--key bigint: a JavaScript number is exact only to 2^53).
const ID_COLUMNS: Readonly<Record<KeyType, string>> = {
  integer: 'integer("id").primaryKey().generatedAlwaysAsIdentity()',
  bigint: 'bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity()',
};

export function schemaFilePath(layout: ProjectLayout, table: string): string {
  return path.posix.join(layout.db.schemaDir, `${kebabCase(table)}${layout.db.schemaFileSuffix ?? ""}.ts`);
}

/** `src/db/schema/<table>.ts`: an indexed pgTable, its relations, the parents' many() and the barrel export. */
export async function schemaGenerator(tree: Tree, options: SchemaOptions): Promise<GeneratorResult> {
  const { layout, table } = options;
  const model = await readProjectSchema(tree, layout);
  const schema = model.tables;
  // A table the reader could not see may be the twin this run would create: say what was not read.
  const diagnosticNotes = schemaDiagnosticNotes(model);
  // drizzle-orm 1.0: relations are entries of the project's defineRelations, not relations() beside the table.
  const v1RelationsFile = drizzleLineOf(tree) === "1" ? defineRelationsFile(model) : undefined;
  // Before anything is written: a new key an existing repository's delete does not expect stops the run.
  const checkRepositories = (parents: ReadonlyMap<string, SchemaTable>): string[] => {
    const stale = staleRepositories(tree, layout, table, options.columns, parents, schema.get(table));
    if (!options.allowStaleRepositories) assertRepositoriesCurrent(stale, table);
    return stale.map(
      (entry) =>
        `${entry.file} predates ${entry.columns.join(", ")}: regenerate it (generate repository ${entry.parent.tableVar}, with its --with paths) before deleting ${entry.parent.tableVar} rows they reference.`,
    );
  };
  if (options.extend) {
    const extended = schema.get(table);
    const editNotes = await extendTable(tree, options, schema, layout, v1RelationsFile);
    // The edit is staged only: a stop here writes nothing.
    const staleNotes = checkRepositories(resolveParents(options, schema, layout.db.schemaDir));
    // extendTable refused a table that does not exist: `extended` is set here.
    const lockNotes = extended
      ? migrationLockNotes(extended, options.columns, generatesOnlineMigrations(tree), layout)
      : [];
    return { ...migrationSteps(options), notes: [...editNotes, ...lockNotes, ...staleNotes, ...diagnosticNotes] };
  }
  const file = schemaFilePath(layout, table);
  const existing = schema.get(table);
  if (existing && existing.file !== file) {
    throw new UsageError(`Table "${table}" is already declared in ${existing.file}.`, [
      "Pick another name, or move it to its own file first.",
    ]);
  }
  const sqlTableName = snakeCase(table);
  assertNoTwin(table, sqlTableName, schema);
  const parents = resolveParents(options, schema, layout.db.schemaDir);
  const staleNotes = checkRepositories(parents);

  const columns = [
    { name: "id", builder: ID_COLUMNS[options.key ?? "integer"] },
    ...options.columns.map((column) => {
      const self = isSelfReference(options, column);
      return {
        name: column.name,
        builder: columnBuilder(
          column,
          self ? { tableVar: table } : column.references ? parents.get(column.references.table) : undefined,
          self,
        ),
      };
    }),
  ];
  assertIdentifier("table name", sqlTableName, "Pick a shorter table name.");
  for (const column of options.columns)
    assertIdentifier("column name", snakeCase(column.name), `Pick a shorter name for ${column.name}.`);
  const indexes = buildIndexes(options, sqlTableName);
  for (const line of indexes) {
    const indexName = /^\w+\("([^"]+)"/.exec(line.expression)?.[1] ?? "";
    assertIdentifier(
      "index name",
      indexName,
      "Index names are <table>_<columns>_idx: shorten the table or column names, or index fewer columns.",
    );
  }

  // Own one() per FK; many() for children already pointing here (kept in the file's order when re-generating).
  // Several keys to one table, or a key to this table itself, need a relationName shared by both sides.
  const taken = new Set(["id", ...options.columns.map((column) => column.name)]);
  const relations: Array<{ name: string; expression: string }> = [];
  const parentMany: Array<{ parent: SchemaTable; name: string; expression: string }> = [];
  const v1Entries: DefineRelationsEntry[] = [];
  const keysTo = (target: string): number =>
    options.columns.filter((column) => column.references?.table === target).length;
  for (const column of options.columns) {
    if (!column.references) continue;
    const self = isSelfReference(options, column);
    const parent = self ? undefined : parents.get(column.references.table);
    const target = self ? table : parent?.tableVar;
    if (!target) continue;
    const name = relationNameFor(column, taken);
    taken.add(name);
    const relationName = self || keysTo(target) > 1 ? `${sqlTableName}_${snakeCase(name)}` : undefined;
    const named = relationName ? `, relationName: ${JSON.stringify(relationName)}` : "";
    relations.push({
      name,
      expression: `one(${target}, { fields: [${table}.${column.name}], references: [${target}.${column.references.column}]${named} })`,
    });
    const many = relationName ? `many(${table}, { relationName: ${JSON.stringify(relationName)} })` : `many(${table})`;
    const manyName = self
      ? taken.has("children")
        ? `${name}Children`
        : "children"
      : relationName
        ? `${table}As${pascalCase(name)}`
        : table;
    v1Entries.push(oneEntry(table, name, column.name, target, column.references.column, relationName));
    v1Entries.push(manyEntry(self ? table : target, manyName, table, relationName));
    if (self) {
      taken.add(manyName);
      relations.push({ name: manyName, expression: many });
    } else if (parent) parentMany.push({ parent, name: manyName, expression: many });
  }
  const children = [
    ...(existing?.relations ?? [])
      .filter((relation) => relation.kind === "many")
      .map((relation) => ({ name: relation.name, target: relation.target, alias: relation.relationName })),
    ...[...schema.values()]
      .filter(
        (candidate) =>
          candidate.tableVar !== table &&
          candidate.relations?.some((relation) => relation.kind === "one" && relation.target === table),
      )
      .map((candidate) => ({ name: candidate.tableVar, target: candidate.tableVar, alias: undefined }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  ].filter(
    (child, index, all) =>
      all.findIndex((other) => other.name === child.name) === index &&
      !taken.has(child.name) &&
      schema.has(child.target),
  );
  for (const child of children) relations.push({ name: child.name, expression: `many(${child.target})` });
  // A child the table already has a many() to (under another name: an alias pair) is not added twice.
  const declaredMany = (existing?.relations ?? []).filter((relation) => relation.kind === "many");
  for (const child of children.filter(
    (candidate) =>
      declaredMany.some((relation) => relation.name === candidate.name) ||
      !declaredMany.some((relation) => relation.target === candidate.target),
  )) {
    v1Entries.push(manyEntry(table, child.name, child.target, child.alias));
  }
  assertNoRelationColumns(table, options.columns, [...schema.values()], parentMany);

  const imported = new Map<string, string>();
  for (const parent of parents.values()) imported.set(moduleSpecifier(layout, file, parent.file), parent.tableVar);
  // The many() side imports its children (v0 only: 1.0's relations file imports the whole schema).
  for (const child of v1RelationsFile ? [] : children) {
    const childTable = schema.get(child.target);
    if (childTable) imported.set(moduleSpecifier(layout, file, childTable.file), child.target);
  }
  const declareWith = await tableFunction(tree, layout.db);
  const factoryImport = tableFunctionImport(layout, file, declareWith);
  if (factoryImport) imported.set(factoryImport.path, factoryImport.names);
  const tableImports = [...imported.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([specifier, names]) => ({ names, path: specifier }));

  const usedBuilders = new Set<string>([options.key ?? "integer", ...options.columns.map((column) => column.type)]);
  if (!declareWith.file) usedBuilders.add("pgTable");
  if (indexes.some((line) => line.expression.startsWith("index("))) usedBuilders.add("index");
  if (indexes.some((line) => line.expression.startsWith("uniqueIndex("))) usedBuilders.add("uniqueIndex");
  const helpers = [
    ...new Set(relations.map((relation) => relation.expression.slice(0, relation.expression.indexOf("(")))),
  ].sort();

  generateFiles(tree, "schema", layout.db.schemaDir, {
    fileName: path.posix.basename(file, ".ts"),
    tableVar: table,
    tableFunction: declareWith.name,
    sqlTableName,
    typeName: singularTypeName(table),
    drizzleOrmImports: [
      ...(v1RelationsFile ? [] : ["relations"]),
      ...(options.partialIndexes.length > 0 || options.columns.some((column) => column.onUpdateNow) ? ["sql"] : []),
    ],
    pgCoreImports: [...usedBuilders].sort(),
    selfReference: options.columns.some((column) => isSelfReference(options, column)),
    tableImports,
    columns,
    indexes,
    relationHelpers: helpers.join(", "),
    relations,
    drizzleV1: v1RelationsFile !== undefined,
  });
  // Same input again is a no-op; anything else would replace a table that exists (and drop its columns).
  // (The file on disk may have been through the repo's formatter: only formatting may differ.)
  if (existing && !sameCodeIgnoringFormat(tree.read(file), tree.readOriginal(file))) {
    throw new UsageError(
      `Table "${table}" already exists in ${file}; generating it with other columns or indexes would replace it.`,
      [
        `Add columns to it with: generate schema ${table} --add-columns "<name>:<type>,..." (an edit of the existing table).`,
        "Or pick another table name.",
      ],
    );
  }

  if (v1RelationsFile) {
    await addDefineRelationsEntries(tree, v1RelationsFile, v1Entries);
  } else {
    // The parent's relations() gains the many() side wherever it is declared (or gets one beside the table).
    for (const { parent, name, expression } of parentMany) {
      await addTableRelations(tree, layout, parent, [
        { name, helper: "many", expression, target: { tableVar: table, file } },
      ]);
    }
  }
  await ensureExportStar(tree, layout.db.schemaBarrel, moduleSpecifier(layout, layout.db.schemaBarrel, file));

  const steps = migrationSteps(options);
  return {
    ...steps,
    notes: [...staleNotes, ...diagnosticNotes],
    nextSteps: [...steps.nextSteps, `npx create-perf-backend generate repository ${table}   # data access without N+1`],
  };
}

/** drizzle-kit generate as a task (or a next step with --no-migrate), then applying it. */
function migrationSteps(options: SchemaOptions): { tasks: DeferredTask[]; nextSteps: string[] } {
  const run = (script: string): string => formatCommand(runScriptCommand(options.packageManager, script));
  return {
    tasks: options.migrate
      ? [
          {
            kind: "script",
            packageManager: options.packageManager,
            script: "db:generate",
            title: "Writing the SQL migration (drizzle-kit generate)",
          },
        ]
      : [],
    nextSteps: [
      ...(options.migrate ? [] : [`${run("db:generate")}   # write the SQL migration`]),
      `${run("db:migrate")}   # apply it`,
    ],
  };
}

/**
 * A column named like a relation of its table is hidden by it in `db.query` results (a `posts` text column read
 * as the `posts: many(posts)` rows): the children that will point here, and the many() this table adds to its parents.
 */
function assertNoRelationColumns(
  table: string,
  columns: readonly { name: string }[],
  tables: readonly SchemaTable[],
  parentMany: ReadonlyArray<{ parent: SchemaTable; name: string }>,
): void {
  for (const column of columns) {
    const child = tables.find(
      (candidate) =>
        candidate.tableVar === column.name &&
        candidate.tableVar !== table &&
        candidate.relations?.some((relation) => relation.kind === "one" && relation.target === table),
    );
    if (child) {
      throw new UsageError(
        `Column ${table}.${column.name}: ${child.tableVar} references ${table}, so ${table} has a relation "${column.name}" (many(${child.tableVar})) that would hide the column.`,
        [`Rename the column (e.g. ${column.name}Count or ${column.name}Text).`],
      );
    }
  }
  for (const { parent, name } of parentMany) {
    if (parent.columns.some((column) => column.name === name)) {
      throw new UsageError(
        `${parent.tableVar} has a column "${name}", and this table would add the relation ${parent.tableVar}.${name} (many(${table})) that hides it.`,
        [`Pick another table name, or rename ${parent.tableVar}.${name}.`],
      );
    }
  }
}
