import path from "node:path";

import { kebabCase, pascalCase, snakeCase } from "change-case";

import { ensureExportStar } from "../../src/core/ast/barrel.js";
import { editSourceFile } from "../../src/core/ast/edit-source.js";
import { UsageError } from "../../src/core/errors.js";
import type { DeferredTask, GeneratorResult } from "../../src/core/generator.js";
import type { ProjectLayout } from "../../src/core/manifest.js";
import { formatCommand, runScriptCommand } from "../../src/core/package-manager.js";
import { moduleSpecifier } from "../../src/core/paths.js";
import { renderTemplateFile } from "../../src/core/render.js";
import type { Tree } from "../../src/core/tree.js";
import { WORD } from "./column-spec.js";
import type { ColumnSpec } from "./column-spec.js";
import type { SchemaOptions } from "./options.js";
import { readSchema } from "./read-schema.js";
import type { SchemaModel, SchemaTable } from "./read-schema.js";
import { addManyRelation } from "./relations-edit.js";
import { tableFunction, tableFunctionImport } from "./table-factory.js";

export const FK_INDEX_COMMENT = "Foreign-key column: indexed so joins and parent deletes do not scan the table.";
const ID_COLUMN = 'integer("id").primaryKey().generatedAlwaysAsIdentity()';

/** Plain English plurals back to a singular type name: posts -> Post, categories -> Category. */
export function singularTypeName(tableVar: string): string {
  const pascal = pascalCase(tableVar);
  if (/[^aeiou]ies$/.test(pascal)) return `${pascal.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(pascal)) return pascal.slice(0, -2);
  if (/[^su]s$/.test(pascal)) return pascal.slice(0, -1);
  return pascal;
}

export function schemaFilePath(layout: ProjectLayout, table: string): string {
  return path.posix.join(layout.db.schemaDir, `${kebabCase(table)}.ts`);
}

function columnBuilder(column: ColumnSpec, parent: SchemaTable | undefined): string {
  const sqlName = JSON.stringify(snakeCase(column.name));
  const [first, second] = column.params;
  let options = "";
  if (column.type === "varchar" || column.type === "char") options = first === undefined ? "" : `{ length: ${String(first)} }`;
  else if (column.type === "numeric") options = first === undefined ? "" : `{ precision: ${String(first)}${second === undefined ? "" : `, scale: ${String(second)}`} }`;
  // BigInt end to end: "number" silently loses precision past 2^53.
  else if (column.type === "bigint") options = '{ mode: "bigint" }';
  else if (column.type === "timestamp") options = "{ withTimezone: true }";
  let code = `${column.type}(${sqlName}${options ? `, ${options}` : ""})`;
  if (column.array) code += ".array()";
  if (column.notNull) code += ".notNull()";
  if (column.default !== undefined) {
    const value = column.default;
    if (value === "now" && (column.type === "timestamp" || column.type === "date")) code += ".defaultNow()";
    else if (value === "random" && column.type === "uuid") code += ".defaultRandom()";
    else if (["integer", "smallint", "bigint", "real", "doublePrecision", "boolean"].includes(column.type)) code += `.default(${value})`;
    else code += `.default(${JSON.stringify(value)})`;
  }
  if (column.onUpdateNow) code += ".$onUpdate(() => sql`now()`)";
  if (column.references && parent) {
    const action = column.references.onDelete ? `, { onDelete: ${JSON.stringify(column.references.onDelete)} }` : "";
    code += `.references(() => ${parent.tableVar}.${column.references.column}${action})`;
  }
  return code;
}

function relationNameFor(column: ColumnSpec, taken: ReadonlySet<string>): string {
  const stripped = column.name.replace(/Id$/, "");
  const name = stripped === "" || stripped === column.name ? `${column.name}Relation` : stripped;
  return taken.has(name) ? `${name}Relation` : name;
}

interface IndexLine {
  comment: string;
  expression: string;
}

function buildIndexes(options: SchemaOptions, sqlTableName: string): IndexLine[] {
  const name = (columns: string[], suffix: string): string => JSON.stringify(`${sqlTableName}_${columns.map((column) => snakeCase(column)).join("_")}${suffix}_idx`);
  const on = (columns: string[]): string => columns.map((column) => `table.${column}`).join(", ");
  const lines: IndexLine[] = [
    ...options.columns
      .filter((column) => column.references)
      .map((column) => ({ comment: FK_INDEX_COMMENT, expression: `index(${name([column.name], "")}).on(table.${column.name})` })),
    ...options.indexes.map((columns) => ({ comment: "", expression: `index(${name(columns, "")}).on(${on(columns)})` })),
    ...options.partialIndexes.map(({ columns, condition }) => {
      const known = new Set(["id", ...options.columns.map((column) => column.name)]);
      // Column names become column references, except inside SQL string literals ('draft', 'it''s').
      const sqlCondition = condition
        .split(/('(?:[^']|'')*')/)
        .map((part, index) => (index % 2 === 1 ? part : part.replaceAll(WORD, (word) => (known.has(word) ? `\${table.${word}}` : word))))
        .join("");
      return { comment: "", expression: `index(${name(columns, "_partial")}).on(${on(columns)}).where(sql\`${sqlCondition}\`)` };
    }),
    ...options.unique.map((columns) => ({ comment: "", expression: `uniqueIndex(${name(columns, "_unique")}).on(${on(columns)})` })),
    ...options.gin.map((column) => ({ comment: "", expression: `index(${name([column], "_gin")}).using("gin", table.${column})` })),
  ];
  // An index asked for twice (e.g. --index authorId next to the automatic FK index) is written once.
  const seen = new Set<string>();
  return lines.filter((line) => {
    const key = /^\w+\("([^"]+)"/.exec(line.expression)?.[1] ?? line.expression;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function resolveParents(options: SchemaOptions, schema: SchemaModel): Map<string, SchemaTable> {
  const parents = new Map<string, SchemaTable>();
  const tables = [...schema.keys()].filter((name) => name !== options.table);
  for (const column of options.columns) {
    if (!column.references) continue;
    const { table, column: target } = column.references;
    const parent = schema.get(table);
    if (!parent) {
      throw new UsageError(`Column ${column.name}: references=${table}.${target}, but there is no table "${table}" in ${options.layout.db.schemaDir}.`, [
        tables.length > 0 ? `Tables: ${tables.join(", ")}.` : "There are no tables yet: generate the parent table first.",
      ]);
    }
    if (!parent.columns.some((candidate) => candidate.name === target)) {
      throw new UsageError(`Column ${column.name}: references=${table}.${target}, but ${table} has no column "${target}".`, [
        `Columns of ${table}: ${parent.columns.map((candidate) => candidate.name).join(", ")}.`,
      ]);
    }
    parents.set(table, parent);
  }
  return parents;
}

/** `src/db/schema/<table>.ts`: an indexed pgTable, its relations, the parents' many() and the barrel export. */
export async function schemaGenerator(tree: Tree, options: SchemaOptions): Promise<GeneratorResult> {
  const { layout, table } = options;
  const schema = await readSchema(tree, layout.db);
  const file = schemaFilePath(layout, table);
  const existing = schema.get(table);
  if (existing && existing.file !== file) {
    throw new UsageError(`Table "${table}" is already declared in ${existing.file}.`, ["Pick another name, or move it to its own file first."]);
  }
  const parents = resolveParents(options, schema);
  const sqlTableName = snakeCase(table);

  const columns = [
    { name: "id", builder: ID_COLUMN },
    ...options.columns.map((column) => ({ name: column.name, builder: columnBuilder(column, column.references ? parents.get(column.references.table) : undefined) })),
  ];
  const indexes = buildIndexes(options, sqlTableName);

  // Own one() per FK; many() for children already pointing here (kept in the file's order when re-generating).
  const taken = new Set(["id", ...options.columns.map((column) => column.name)]);
  const relations: Array<{ name: string; expression: string }> = [];
  for (const column of options.columns) {
    const parent = column.references ? parents.get(column.references.table) : undefined;
    if (!parent || !column.references) continue;
    const name = relationNameFor(column, taken);
    taken.add(name);
    relations.push({ name, expression: `one(${parent.tableVar}, { fields: [${table}.${column.name}], references: [${parent.tableVar}.${column.references.column}] })` });
  }
  const children = [
    ...(existing?.relations ?? []).filter((relation) => relation.kind === "many").map((relation) => ({ name: relation.name, target: relation.target })),
    ...[...schema.values()]
      .filter((candidate) => candidate.tableVar !== table && candidate.relations?.some((relation) => relation.kind === "one" && relation.target === table))
      .map((candidate) => ({ name: candidate.tableVar, target: candidate.tableVar }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  ].filter((child, index, all) => all.findIndex((other) => other.name === child.name) === index && !taken.has(child.name) && schema.has(child.target));
  for (const child of children) relations.push({ name: child.name, expression: `many(${child.target})` });

  const imported = new Map<string, string>();
  for (const parent of parents.values()) imported.set(moduleSpecifier(layout, file, parent.file), parent.tableVar);
  for (const child of children) {
    const childTable = schema.get(child.target);
    if (childTable) imported.set(moduleSpecifier(layout, file, childTable.file), child.target);
  }
  const declareWith = await tableFunction(tree, layout.db);
  const factoryImport = tableFunctionImport(layout, file, declareWith);
  if (factoryImport) imported.set(factoryImport.path, factoryImport.names);
  const tableImports = [...imported.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([specifier, names]) => ({ names, path: specifier }));

  const usedBuilders = new Set(["integer", ...options.columns.map((column) => column.type)]);
  if (!declareWith.file) usedBuilders.add("pgTable");
  if (indexes.some((line) => line.expression.startsWith("index("))) usedBuilders.add("index");
  if (indexes.some((line) => line.expression.startsWith("uniqueIndex("))) usedBuilders.add("uniqueIndex");
  const helpers = [...new Set(relations.map((relation) => relation.expression.slice(0, relation.expression.indexOf("("))))].sort();

  const content = renderTemplateFile("schema", "table.ts", {
    tableVar: table,
    tableFunction: declareWith.name,
    sqlTableName,
    typeName: singularTypeName(table),
    drizzleOrmImports: ["relations", ...(options.partialIndexes.length > 0 || options.columns.some((column) => column.onUpdateNow) ? ["sql"] : [])],
    pgCoreImports: [...usedBuilders].sort(),
    tableImports,
    columns,
    indexes,
    relationHelpers: helpers.join(", "),
    relations,
  });
  tree.write(file, content);

  for (const parent of parents.values()) {
    const childImportPath = moduleSpecifier(layout, parent.file, file);
    await editSourceFile(tree, parent.file, (sourceFile, tsMorph) =>
      addManyRelation(sourceFile, tsMorph, { file: parent.file, parentTableVar: parent.tableVar, relationName: table, childTableVar: table, childImportPath }),
    );
  }
  await ensureExportStar(tree, layout.db.schemaBarrel, moduleSpecifier(layout, layout.db.schemaBarrel, file));

  const tasks: DeferredTask[] = options.migrate
    ? [{ kind: "script", packageManager: options.packageManager, script: "db:generate", title: "Writing the SQL migration (drizzle-kit generate)" }]
    : [];
  const run = (script: string): string => formatCommand(runScriptCommand(options.packageManager, script));
  return {
    tasks,
    nextSteps: [
      ...(options.migrate ? [] : [`${run("db:generate")}   # write the SQL migration`]),
      `${run("db:migrate")}   # apply it`,
      `npx create-perf-backend generate repository ${table}   # data access without N+1`,
    ],
  };
}
