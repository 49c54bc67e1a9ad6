import path from "node:path";

import type { Expression, Node as MorphNode, ObjectLiteralExpression, SourceFile } from "ts-morph";

import { createScratchProject } from "../../src/core/ast/edit-source.js";
import type { loadTsMorph } from "../../src/core/ast/edit-source.js";
import type { ProjectLayout } from "../../src/core/manifest.js";
import type { Tree } from "../../src/core/tree.js";

export interface SchemaColumn {
  name: string;
  sqlName: string;
  /** pg-core builder: `integer`, `text`, `varchar`, ... */
  builder: string;
  /** Options object text of the builder call, e.g. `{ length: 255 }` ("" when none). */
  builderOptions: string;
  notNull: boolean;
  hasDefault: boolean;
  primaryKey: boolean;
  array: boolean;
  unique: boolean;
  references?: { table: string; column: string; onDelete?: string };
}

export interface SchemaRelation {
  name: string;
  kind: "one" | "many";
  target: string;
  /** From a `one()` config: `fields: [posts.authorId]` -> ["authorId"]. */
  fields: string[];
  references: string[];
}

export interface SchemaTable {
  tableVar: string;
  sqlName: string;
  /** Tree path of the file that declares the table. */
  file: string;
  /** `export type User = typeof users.$inferSelect` -> "User". */
  selectType?: string;
  insertType?: string;
  columns: SchemaColumn[];
  /** null: the file has no `relations(<table>, ...)`. */
  relations: SchemaRelation[] | null;
}

export type SchemaModel = Map<string, SchemaTable>;

const DEFAULT_METHODS = new Set(["default", "defaultNow", "defaultRandom", "$default", "$defaultFn", "generatedAlwaysAsIdentity", "generatedByDefaultAsIdentity", "generatedAlwaysAs"]);

type TsMorph = Awaited<ReturnType<typeof loadTsMorph>>;

function stringValue(node: MorphNode | undefined, tsMorph: TsMorph): string | undefined {
  return node && (tsMorph.Node.isStringLiteral(node) || tsMorph.Node.isNoSubstitutionTemplateLiteral(node)) ? node.getLiteralValue() : undefined;
}

/** `{ onDelete: "cascade" }` (the second argument of `.references()`) -> "cascade". */
function referenceAction(node: MorphNode | undefined, key: string, tsMorph: TsMorph): string | undefined {
  if (!node || !tsMorph.Node.isObjectLiteralExpression(node)) return undefined;
  const property = node.getProperty(key);
  return property && tsMorph.Node.isPropertyAssignment(property) ? stringValue(property.getInitializer(), tsMorph) : undefined;
}

/** Walks `integer("author_id").notNull().references(() => users.id)` from the outside in. */
function parseColumn(name: string, initializer: Expression, tsMorph: TsMorph): SchemaColumn | undefined {
  const { Node } = tsMorph;
  const column: SchemaColumn = { name, sqlName: name, builder: "", builderOptions: "", notNull: false, hasDefault: false, primaryKey: false, array: false, unique: false };
  let current: MorphNode = initializer;
  while (Node.isCallExpression(current)) {
    const callee = current.getExpression();
    const args = current.getArguments();
    if (Node.isPropertyAccessExpression(callee)) {
      const method = callee.getName();
      if (method === "notNull") column.notNull = true;
      else if (method === "primaryKey") column.primaryKey = column.notNull = true;
      else if (method === "array") column.array = true;
      else if (method === "unique") column.unique = true;
      else if (DEFAULT_METHODS.has(method)) column.hasDefault = true;
      else if (method === "references") {
        const callback = args[0];
        const body = callback && Node.isArrowFunction(callback) ? callback.getBody().getText() : "";
        const [table, target] = body.split(".");
        const onDelete = referenceAction(args[1], "onDelete", tsMorph);
        if (table && target) column.references = { table, column: target, ...(onDelete ? { onDelete } : {}) };
      }
      current = callee.getExpression();
    } else {
      column.builder = callee.getText();
      column.sqlName = stringValue(args[0], tsMorph) ?? name;
      const options = args.find((arg) => Node.isObjectLiteralExpression(arg));
      column.builderOptions = options?.getText() ?? "";
      return column;
    }
  }
  return undefined;
}

function propertyNames(object: ObjectLiteralExpression, name: string, tsMorph: TsMorph): string[] {
  const property = object.getProperty(name);
  const value = property && tsMorph.Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
  if (!value || !tsMorph.Node.isArrayLiteralExpression(value)) return [];
  return value.getElements().map((element) => element.getText().split(".").pop() ?? "");
}

/** `relations(<table>, (helpers) => ({ ... }))`: the call, its callback and the object literal it returns. */
export function findRelationsCall(sourceFile: SourceFile, tableVar: string, tsMorph: TsMorph) {
  const { Node } = tsMorph;
  for (const declaration of sourceFile.getVariableDeclarations()) {
    const init = declaration.getInitializer();
    if (!init || !Node.isCallExpression(init) || init.getExpression().getText() !== "relations") continue;
    const [tableArg, callback] = init.getArguments();
    if (tableArg?.getText() !== tableVar || !callback || !Node.isArrowFunction(callback)) continue;
    const body = callback.getBody();
    const object = Node.isParenthesizedExpression(body) ? body.getExpression() : undefined;
    if (!object || !Node.isObjectLiteralExpression(object)) return { declaration, callback, object: undefined };
    return { declaration, callback, object };
  }
  return undefined;
}

function readRelations(sourceFile: SourceFile, tableVar: string, tsMorph: TsMorph): SchemaRelation[] | null {
  const { Node } = tsMorph;
  const found = findRelationsCall(sourceFile, tableVar, tsMorph);
  if (!found?.object) return null;
  const relations: SchemaRelation[] = [];
  for (const property of found.object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) continue;
    const call = property.getInitializer();
    if (!call || !Node.isCallExpression(call)) continue;
    const kind = call.getExpression().getText();
    const [target, config] = call.getArguments();
    if ((kind !== "one" && kind !== "many") || !target) continue;
    const object = config && Node.isObjectLiteralExpression(config) ? config : undefined;
    relations.push({
      name: property.getName(),
      kind,
      target: target.getText(),
      fields: object ? propertyNames(object, "fields", tsMorph) : [],
      references: object ? propertyNames(object, "references", tsMorph) : [],
    });
  }
  return relations;
}

function readTables(sourceFile: SourceFile, file: string, tsMorph: TsMorph, tableFunctions: ReadonlySet<string>): SchemaTable[] {
  const { Node } = tsMorph;
  const tables: SchemaTable[] = [];
  for (const declaration of sourceFile.getVariableDeclarations()) {
    const init = declaration.getInitializer();
    if (!init || !Node.isCallExpression(init) || !tableFunctions.has(init.getExpression().getText())) continue;
    const [nameArg, columnsArg, extraArg] = init.getArguments();
    if (!columnsArg || !Node.isObjectLiteralExpression(columnsArg)) continue;
    const tableVar = declaration.getName();
    const columns: SchemaColumn[] = [];
    for (const property of columnsArg.getProperties()) {
      if (!Node.isPropertyAssignment(property)) continue;
      const initializer = property.getInitializer();
      const column = initializer && parseColumn(property.getName(), initializer, tsMorph);
      if (column) columns.push(column);
    }
    // Columns of unique indexes: seeds must give them distinct values.
    for (const match of (extraArg?.getText() ?? "").matchAll(/uniqueIndex\([^)]*\)\s*\.on\(([^)]*)\)/g)) {
      for (const ref of (match[1] ?? "").split(",")) {
        const column = columns.find((candidate) => candidate.name === ref.trim().split(".").pop());
        if (column) column.unique = true;
      }
    }
    tables.push({ tableVar, sqlName: stringValue(nameArg, tsMorph) ?? tableVar, file, columns, relations: readRelations(sourceFile, tableVar, tsMorph) });
  }
  for (const alias of sourceFile.getTypeAliases()) {
    const match = /^typeof\s+(\w+)\.\$(inferSelect|inferInsert)$/.exec(alias.getTypeNode()?.getText() ?? "");
    const table = tables.find((candidate) => candidate.tableVar === match?.[1]);
    if (!table || !match) continue;
    if (match[2] === "inferSelect") table.selectType = alias.getName();
    else table.insertType = alias.getName();
  }
  return tables;
}

/** Where tables are declared: the schema folder, plus a single-file schema entry outside it (init'ed repos). */
export type SchemaLocation = Pick<ProjectLayout["db"], "schemaDir" | "schemaBarrel" | "tableFactory">;

/**
 * Tables, columns and relations declared in the schema, read with ts-morph without evaluating
 * anything. Only the schema files are parsed (staged content included), never the rest of the project.
 */
export async function readSchema(tree: Tree, location: SchemaLocation): Promise<SchemaModel> {
  const { project, tsMorph } = await createScratchProject();
  const model: SchemaModel = new Map();
  const tableFunctions = new Set(["pgTable", ...(location.tableFactory ? [location.tableFactory.exportName] : [])]);
  const files = tree.children(location.schemaDir).map((name) => path.posix.join(location.schemaDir, name));
  if (!files.includes(location.schemaBarrel)) files.push(location.schemaBarrel);
  for (const file of files) {
    const name = path.posix.basename(file);
    if (!name.endsWith(".ts") || name.endsWith(".d.ts") || name.endsWith(".test.ts") || name.endsWith(".spec.ts")) continue;
    const text = tree.read(file);
    if (text === null) continue;
    const sourceFile = project.createSourceFile(`/${file}`, text, { overwrite: true });
    for (const table of readTables(sourceFile, file, tsMorph, tableFunctions)) model.set(table.tableVar, table);
  }
  return model;
}
