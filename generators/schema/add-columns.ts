import { pascalCase, snakeCase } from "change-case";
import type { CallExpression } from "ts-morph";

import {
  addDefineRelationsEntries,
  addRelation,
  addTableRelations,
  editSourceFile,
  ensureNamedImport,
  manyEntry,
  moduleSpecifier,
  oneEntry,
  UsageError,
} from "../../src/devkit/index.js";
import type {
  DefineRelationsEntry,
  ProjectLayout,
  SchemaModel,
  SchemaTable,
  SourceEdit,
  Tree,
} from "../../src/devkit/index.js";
import { assertDistinctSqlNames } from "./column-spec.js";
import {
  assertIdentifier,
  columnBuilder,
  FK_INDEX_COMMENT,
  indexName,
  isSelfReference,
  relationNameFor,
  resolveParents,
} from "./table-code.js";
import type { TableSpec } from "./table-code.js";

const PG_CORE = "drizzle-orm/pg-core";

/**
 * `--add-columns`: new columns on a table that exists (ours or the repo's), as an AST edit of its file: the
 * column properties, the pg-core imports, an index for every foreign key (array form of the third argument),
 * the `one()` on this table and the `many()` on the parent where relations() exist (on drizzle-orm 1.0, entries of the
 * `defineRelations` in `v1RelationsFile`). Nothing else changes.
 */
export async function extendTable(
  tree: Tree,
  options: TableSpec,
  schema: SchemaModel,
  layout: ProjectLayout,
  v1RelationsFile?: string,
): Promise<string[]> {
  const existing = schema.get(options.table);
  if (!existing) {
    throw new UsageError(`--add-columns: there is no table "${options.table}" to extend.`, [
      `Tables: ${[...schema.keys()].join(", ") || "none"}. Create it with --columns instead.`,
    ]);
  }
  for (const column of options.columns) {
    if (existing.columns.some((candidate) => candidate.name === column.name)) {
      throw new UsageError(`--add-columns: ${options.table} already has a column "${column.name}".`);
    }
    const relation = existing.relations?.find((candidate) => candidate.name === column.name);
    if (relation) {
      throw new UsageError(
        `--add-columns: ${options.table} has a relation "${column.name}" (${relation.kind}(${relation.target})) that would hide a column of that name.`,
        [`Rename the column (e.g. ${column.name}Text).`],
      );
    }
    if (column.notNull && column.default === undefined && !column.onUpdateNow) {
      throw new UsageError(
        `--add-columns: ${column.name} is notNull without a default, so ADD COLUMN fails on a table that has rows.`,
        [
          `Give it a default (e.g. ${column.name}:${column.type}:notNull:default=<value>), or add it nullable and backfill first.`,
        ],
      );
    }
    assertIdentifier("column name", snakeCase(column.name), `Pick a shorter name for ${column.name}.`);
  }
  assertDistinctSqlNames(options.columns, existing.columns);
  const parents = resolveParents(options, schema, layout.db.schemaDir);
  for (const parent of parents.values()) {
    const hidden = parent.columns.find((column) => column.name === existing.tableVar);
    if (
      hidden &&
      !parent.relations?.some((relation) => relation.kind === "many" && relation.target === existing.tableVar)
    ) {
      throw new UsageError(
        `${parent.tableVar} has a column "${hidden.name}", and this foreign key would add the relation ${parent.tableVar}.${hidden.name} (many(${existing.tableVar})) that hides it.`,
        [`Rename ${parent.tableVar}.${hidden.name} first, or leave the foreign key out.`],
      );
    }
  }
  // Several keys to one table need a relationName per one()/many() pair: Drizzle cannot tell unnamed ones apart
  // ("multiple relations"). An existing unnamed pair would stay ambiguous beside a named one: it is named by hand first.
  const keysTo = (target: string): number =>
    options.columns.filter((column) => column.references?.table === target).length +
    (existing.relations ?? []).filter((relation) => relation.kind === "one" && relation.target === target).length;
  for (const parent of parents.values()) {
    const unnamed = (existing.relations ?? []).find(
      (relation) =>
        relation.kind === "one" && relation.target === parent.tableVar && relation.relationName === undefined,
    );
    if (unnamed && keysTo(parent.tableVar) > 1) {
      throw new UsageError(
        `--add-columns: ${options.table} already has a relation to ${parent.tableVar} (${unnamed.name}) without a relationName; a second key to ${parent.tableVar} makes Drizzle refuse both ("multiple relations").`,
        [
          `Give ${options.table}.${unnamed.name} and its many() on ${parent.tableVar} one relationName (e.g. relationName: "${existing.sqlName}_${snakeCase(unnamed.name)}"), then run again.`,
        ],
      );
    }
  }
  const notes: string[] = [];
  const parentMany: Array<{ parent: SchemaTable; name: string; expression: string }> = [];
  const taken = new Set([
    ...existing.columns.map((column) => column.name),
    ...(existing.relations ?? []).map((relation) => relation.name),
  ]);
  const v1Entries: DefineRelationsEntry[] = [];
  await editSourceFile(tree, existing.file, (sourceFile, tsMorph) => {
    const { Node } = tsMorph;
    const declaration = sourceFile.getVariableDeclaration(options.table);
    const call = declaration?.getInitializer();
    const columnsArg = call && Node.isCallExpression(call) ? call.getArguments()[1] : undefined;
    if (!call || !Node.isCallExpression(call) || !columnsArg || !Node.isObjectLiteralExpression(columnsArg)) {
      throw new UsageError(
        `--add-columns: the columns of ${options.table} in ${existing.file} are not an object literal (e.g. a callback), so they cannot be edited safely.`,
        ["Add the columns by hand."],
      );
    }
    const builders = new Set<string>();
    const relations: Array<{ name: string; expression: string; parent: SchemaTable }> = [];
    let selfReference = false;
    // Node edits first: the text inserts below (imports, relations) invalidate nodes taken before them.
    for (const column of options.columns) {
      const self = isSelfReference(options, column);
      selfReference ||= self;
      const parent = self ? existing : column.references ? parents.get(column.references.table) : undefined;
      columnsArg.addPropertyAssignment({ name: column.name, initializer: columnBuilder(column, parent, self) });
      builders.add(column.type);
      // `x:…:unique`: a unique index, as a new table's --unique gets.
      if (column.unique) {
        const uniqueIndex = `uniqueIndex(${JSON.stringify(indexName(existing.sqlName, [column.name], "_unique"))}).on(table.${column.name})`;
        if (addTableIndex(call, uniqueIndex, tsMorph)) builders.add("uniqueIndex");
        else
          notes.push(
            `${existing.file}: add a unique index on ${column.name} by hand (the third argument of the table is not an array).`,
          );
      }
      if (!parent || !column.references) continue;
      // Then the table's single-column key, when it has one: a parent's rows in key order are one index range.
      const keys = existing.columns.filter((candidate) => candidate.primaryKey);
      const keyColumn = keys.length === 1 && keys[0] ? `, table.${keys[0].name}` : "";
      const fkIndex = `index(${JSON.stringify(indexName(existing.sqlName, [column.name], ""))}).on(table.${column.name}${keyColumn})`;
      if (addTableIndex(call, fkIndex, tsMorph, FK_INDEX_COMMENT)) builders.add("index");
      else
        notes.push(
          `${existing.file}: add an index on ${column.name} by hand (the third argument of the table is not an array).`,
        );
      const name = relationNameFor(column, taken);
      taken.add(name);
      const relationName = self || keysTo(parent.tableVar) > 1 ? `${existing.sqlName}_${snakeCase(name)}` : undefined;
      const named = relationName ? `, relationName: ${JSON.stringify(relationName)}` : "";
      v1Entries.push(oneEntry(options.table, name, column.name, parent.tableVar, column.references.column));
      relations.push({
        name,
        parent,
        expression: `one(${parent.tableVar}, { fields: [${options.table}.${column.name}], references: [${parent.tableVar}.${column.references.column}]${named} })`,
      });
      const many = relationName
        ? `many(${options.table}, { relationName: ${JSON.stringify(relationName)} })`
        : `many(${options.table})`;
      if (self) {
        const children = taken.has("children") ? `${name}Children` : "children";
        taken.add(children);
        relations.push({ name: children, parent, expression: many });
      } else if (relationName)
        parentMany.push({ parent, name: `${options.table}As${pascalCase(name)}`, expression: many });
    }
    // A self-reference's callback spells out its return type, or the table's type refers to itself.
    const hasAnyPgColumn = sourceFile
      .getImportDeclarations()
      .some(
        (declaration) =>
          declaration.getModuleSpecifierValue() === PG_CORE &&
          declaration.getNamedImports().some((named) => named.getName() === "AnyPgColumn"),
      );
    if (selfReference && !hasAnyPgColumn)
      sourceFile.addImportDeclaration({ isTypeOnly: true, namedImports: ["AnyPgColumn"], moduleSpecifier: PG_CORE });
    for (const { name, parent, expression } of relations) {
      const helper = expression.startsWith("many(") ? "many" : "one";
      if (parent.file !== existing.file)
        ensureNamedImport(sourceFile, parent.tableVar, moduleSpecifier(layout, existing.file, parent.file));
      if (existing.relations && !v1RelationsFile) {
        addRelation(sourceFile, tsMorph, {
          file: existing.file,
          tableVar: options.table,
          relationName: name,
          helper,
          expression,
          importName: parent.tableVar,
          importPath: null,
        });
      }
    }
    const pgCore = sourceFile.getImportDeclaration(
      (candidate) => candidate.getModuleSpecifierValue() === PG_CORE && !candidate.isTypeOnly(),
    );
    const present = new Set(pgCore?.getNamedImports().map((named) => named.getName()) ?? []);
    for (const builder of [...builders].sort()) {
      if (present.has(builder)) continue;
      if (pgCore) pgCore.addNamedImport(builder);
      else sourceFile.addImportDeclaration({ namedImports: [builder], moduleSpecifier: PG_CORE });
    }
  });
  if (v1RelationsFile) {
    const parentsWithoutMany = [...parents.values()].filter(
      (parent) =>
        !parent.relations?.some((relation) => relation.kind === "many" && relation.target === existing.tableVar),
    );
    await addDefineRelationsEntries(tree, v1RelationsFile, [
      ...v1Entries,
      ...parentsWithoutMany.map((parent) => manyEntry(parent.tableVar, existing.tableVar, existing.tableVar)),
    ]);
    return notes;
  }
  // Named pairs get their own many(); an unnamed key, the parent's one many() of this table.
  const namedParents = new Set(parentMany.map((entry) => entry.parent.tableVar));
  for (const { parent, name, expression } of parentMany)
    await addTableRelations(tree, layout, parent, [{ name, helper: "many", expression, target: existing }]);
  for (const parent of parents.values())
    if (!namedParents.has(parent.tableVar)) await addParentMany(tree, parent, existing, layout);
  return notes;
}

/** Appends to `(table) => [...]`, or adds that third argument when the table has none. False: another form. */
function addTableIndex(
  call: CallExpression,
  expression: string,
  tsMorph: Parameters<SourceEdit>[1],
  comment?: string,
): boolean {
  const { Node } = tsMorph;
  const [, , extra] = call.getArguments();
  if (!extra) {
    call.addArgument(`(table) => [\n${comment ? `  // ${comment}\n` : ""}  ${expression},\n]`);
    return true;
  }
  const body = Node.isArrowFunction(extra) ? extra.getBody() : undefined;
  if (!body || !Node.isArrayLiteralExpression(body)) return false;
  if (
    !body.getElements().some((element) => element.getText().replaceAll(/\s/g, "") === expression.replaceAll(/\s/g, ""))
  )
    body.addElement(expression);
  return true;
}

async function addParentMany(
  tree: Tree,
  parent: SchemaTable,
  child: SchemaTable,
  layout: ProjectLayout,
): Promise<void> {
  if (parent.relations?.some((relation) => relation.kind === "many" && relation.target === child.tableVar)) return;
  await addTableRelations(tree, layout, parent, [
    { name: child.tableVar, helper: "many", expression: `many(${child.tableVar})`, target: child },
  ]);
}
