import path from "node:path";

import type { Node as MorphNode } from "ts-morph";

import { createScratchProject } from "../core/ast/edit-source.js";
import type { FileHost } from "../core/host.js";
import type { PathAlias } from "../core/manifest.js";
import { readTsconfigFacts } from "../core/repo/tsconfig-facts.js";
import type { Tree } from "../core/tree.js";
import type { ParsedColumn } from "./column-parsing.js";
import { parseColumnsArgument } from "./column-parsing.js";
import { readDefineRelations } from "./define-relations.js";
import type { PendingV2Relations } from "./define-relations.js";
import { DiagnosticLog } from "./diagnostics.js";
import { clientCandidates, findDrizzleClient } from "./drizzle-client.js";
import type { ClientFacts } from "./drizzle-client.js";
import { readDrizzleConfig } from "./drizzle-config.js";
import { expandSchemaEntry, withReExports } from "./locate-schema-files.js";
import type { DrizzleSchemaModel, ForeignKey, PrimaryKey, SchemaColumn, SchemaTable } from "./model.js";
import type { PendingRelations } from "./relations.js";
import { scanRelations } from "./relations.js";
import { SourceGraph } from "./source-graph.js";
import { declarationKey, fileScope, staticString } from "./static-values.js";
import { detectTableCall } from "./table-detection.js";
import type { TableExtras } from "./table-extras.js";
import { createExtrasReader } from "./table-extras.js";

export interface ReadSchemaOptions {
  /** Folder of the project inside the tree (a monorepo package); "" for the root. */
  root?: string;
  /** More schema files or folders to read (the project's own schemaDir / barrel); missing ones are skipped. */
  extraEntries?: readonly string[];
  /** Files that may hold the `drizzle(...)` client; searched under `root` when not given. */
  clientFiles?: readonly string[];
  /** tsconfig `paths` aliases (targets relative to the tree root); read from `<root>/tsconfig.json` when not given. */
  aliases?: readonly PathAlias[];
}

interface ParsedTable {
  table: SchemaTable;
  key: string;
  columns: ParsedColumn[];
  extras: TableExtras;
}

const GLOB_ENTRY = /[*?[\]{}]/;
const EMPTY_EXTRAS: TableExtras = { indexes: [], foreignKeys: [], checks: [] };

/** The `paths` aliases of `<root>/tsconfig.json` (its `extends` followed), as tree paths. */
async function tsconfigAliases(tree: Tree, root: string): Promise<PathAlias[]> {
  const inRoot = (file: string): string => (root ? path.posix.join(root, file) : file);
  const host: FileHost = {
    read: (file) => tree.read(inRoot(file)),
    list: (dir) => tree.children(inRoot(dir)),
    isDirectory: (dir) => tree.read(inRoot(dir)) === null,
  };
  const { aliases } = await readTsconfigFacts(host, undefined);
  return aliases.map((alias) => ({ prefix: alias.prefix, target: inRoot(alias.target) }));
}

function primaryKeyOf(columns: readonly SchemaColumn[], extras: TableExtras): PrimaryKey | null {
  const keyColumns =
    extras.primaryKey?.columns ?? columns.filter((column) => column.primaryKey).map((column) => column.name);
  if (keyColumns.length === 0) return null;
  const first = columns.find((column) => column.name === keyColumns[0]);
  return {
    columns: keyColumns,
    composite: keyColumns.length > 1,
    tsType: first?.tsType ?? "unknown",
    name: extras.primaryKey?.name,
  };
}

/**
 * The repo's `drizzle(...)` client wherever it is made (module level, default export, provider factory, class
 * method), with the files its `{ schema }` comes from; files in `ignore` (an earlier run's own client) are skipped.
 */
export async function locateDrizzleClient(
  tree: Tree,
  options: { root?: string; ignore?: ReadonlySet<string> } = {},
): Promise<ClientFacts | null> {
  const root = options.root ?? "";
  const candidates = clientCandidates(tree, root).filter((file) => !options.ignore?.has(file));
  // Listing is cheap; ts-morph is loaded only when some file calls drizzle().
  if (!candidates.some((file) => /drizzle-orm\//.test(tree.read(file) ?? ""))) return null;
  const { project, tsMorph } = await createScratchProject();
  const graph = new SourceGraph(tree, project, tsMorph, new DiagnosticLog(), await tsconfigAliases(tree, root));
  return findDrizzleClient(graph, candidates);
}

/**
 * One model of the repo's Drizzle schema, read statically with ts-morph (loaded lazily): where the tables are
 * (drizzle.config `schema`, its re-exports, the client's `{ schema }` import, extra entries), their columns, keys,
 * indexes, foreign keys and relations. Only schema files and what they import or re-export are parsed.
 */
export async function readDrizzleSchema(tree: Tree, options: ReadSchemaOptions = {}): Promise<DrizzleSchemaModel> {
  const root = options.root ?? "";
  const { project, tsMorph } = await createScratchProject();
  const log = new DiagnosticLog();
  const graph = new SourceGraph(tree, project, tsMorph, log, options.aliases ?? (await tsconfigAliases(tree, root)));
  const { Node } = tsMorph;

  const config = readDrizzleConfig(graph, root, log);
  const client = findDrizzleClient(graph, options.clientFiles ?? clientCandidates(tree, root));
  const entries = new Set<string>();
  for (const entry of config?.schema ?? [])
    for (const file of expandSchemaEntry(tree, entry, log, config?.file ?? "")) entries.add(file);
  // The client's `{ schema }` is what db.query sees: relations() often live only there (drizzle-kit does not need them).
  for (const file of client?.schemaFiles ?? []) entries.add(file);
  for (const entry of options.extraEntries ?? []) {
    if (GLOB_ENTRY.test(entry) || tree.read(entry) !== null || tree.children(entry).length > 0)
      for (const file of expandSchemaEntry(tree, entry, log, entry)) entries.add(file);
  }
  const schemaFiles = withReExports(graph, [...entries]);
  const casing = config?.casing ?? client?.casing ?? null;

  const report = (
    node: MorphNode,
    scope: { file: string },
    code: Parameters<DiagnosticLog["add"]>[0],
    message: string,
  ): void => log.add(code, scope.file, node, message);
  const columnContext = { graph, casing, report };
  const readExtras = createExtrasReader(graph, (node, scope, message) =>
    log.add("constraint-not-readable", scope.file, node, message),
  );

  const parsed: ParsedTable[] = [];
  for (const file of schemaFiles) {
    const sourceFile = graph.file(file);
    if (!sourceFile) continue;
    for (const statement of sourceFile.getVariableStatements()) {
      for (const declaration of statement.getDeclarations()) {
        const initializer = declaration.getInitializer();
        const call =
          initializer && Node.isIdentifier(declaration.getNameNode())
            ? detectTableCall(graph, initializer, fileScope(file))
            : undefined;
        if (!call) continue;
        const tableVar = declaration.getName();
        const firstDiagnostic = log.entries.length;
        const declared = call.nameArg ? staticString(graph, call.nameArg, call.scope) : undefined;
        if (declared === undefined)
          log.add(
            "table-name-not-readable",
            file,
            declaration,
            `table ${tableVar}: its name ${call.nameArg?.getText() ?? ""} is not a static string`,
          );
        const sqlName = declared === undefined ? tableVar : call.sqlName(declared);
        if (declared !== undefined && sqlName === undefined) {
          log.add(
            "table-name-not-readable",
            file,
            declaration,
            `table ${tableVar}: the pgTableCreator prefix cannot be read statically; its SQL name is taken as "${declared}"`,
          );
        }
        // drizzle-orm 1.0 names unnamed columns by the table's casing helper (`snakeCase.table`), not the client's.
        const tableContext = call.casing ? { ...columnContext, casing: call.casing } : columnContext;
        const columns = call.columnsArg ? parseColumnsArgument(tableContext, call.columnsArg, call.scope) : undefined;
        if (!columns)
          log.add(
            "table-not-readable",
            file,
            declaration,
            `table ${tableVar}: the columns argument is not an object or a callback returning one`,
          );
        const extras = call.extraArg ? readExtras(call.extraArg, call.scope) : EMPTY_EXTRAS;
        // What was not read while reading this table is the table's: generators decide per table whether to stop.
        for (const entry of log.entries.slice(firstDiagnostic)) entry.table ??= tableVar;
        parsed.push({
          key: declarationKey(file, tableVar),
          columns: columns ?? [],
          extras,
          table: {
            tableVar,
            exported: statement.isExported(),
            sqlName: sqlName ?? declared ?? tableVar,
            declaredName: declared ?? tableVar,
            pgSchema: call.pgSchema,
            via: call.via,
            file,
            line: declaration.getStartLineNumber(),
            columns: [],
            primaryKey: null,
            indexes: extras.indexes,
            foreignKeys: [],
            relations: null,
          },
        });
      }
    }
  }

  const byKey = new Map(parsed.map((entry) => [entry.key, entry.table]));
  // A table imported under another name, or re-exported: keys are declarations, so it is still one table.
  const tables = new Map<string, SchemaTable>();
  for (const { table } of parsed) {
    const clash = tables.get(table.tableVar);
    if (clash)
      log.add(
        "duplicate-table-name",
        table.file,
        table.line,
        `table ${table.tableVar} is also declared in ${clash.file}; only the first is used by name`,
      );
    else tables.set(table.tableVar, table);
  }
  const targetName = (key: string | undefined, text: string, file: string, line: number, what: string): string => {
    const target = key ? byKey.get(key) : undefined;
    if (!target)
      log.add(
        "reference-not-readable",
        file,
        line,
        `${what} points at ${text}, which is not a table of the schema files`,
      );
    return target?.tableVar ?? text;
  };

  for (const { table, columns, extras } of parsed) {
    const foreignKeys: ForeignKey[] = [];
    table.columns = columns.map(({ pendingReference, ...column }) => {
      if (!pendingReference) return column;
      const foreignTable = targetName(
        pendingReference.targetKey,
        pendingReference.targetText,
        pendingReference.file,
        pendingReference.line,
        `${table.tableVar}.${column.name}`,
      );
      const { onDelete, onUpdate } = pendingReference;
      foreignKeys.push({
        table: table.tableVar,
        columns: [column.name],
        foreignTable,
        foreignColumns: [pendingReference.column],
        onDelete,
        onUpdate,
        source: "column",
      });
      return { ...column, references: { table: foreignTable, column: pendingReference.column, onDelete, onUpdate } };
    });
    for (const pending of extras.foreignKeys) {
      const foreignTable =
        pending.targetKey === "self"
          ? table.tableVar
          : targetName(
              pending.targetKey,
              pending.targetText,
              table.file,
              pending.line,
              `foreignKey of ${table.tableVar}`,
            );
      const { columns: keyColumns, foreignColumns, name, onDelete, onUpdate } = pending;
      foreignKeys.push({
        table: table.tableVar,
        columns: keyColumns,
        foreignTable,
        foreignColumns,
        name,
        onDelete,
        onUpdate,
        source: "foreignKey",
      });
    }
    table.foreignKeys = foreignKeys;
    // A one-column foreignKey() (drizzle-kit introspect writes them) is the column's reference, as `.references()` is.
    for (const key of foreignKeys.filter(
      (candidate) => candidate.source === "foreignKey" && candidate.columns.length === 1,
    )) {
      const column = table.columns.find((candidate) => candidate.name === key.columns[0]);
      const [referenced] = key.foreignColumns;
      if (column && !column.references && referenced)
        column.references = {
          table: key.foreignTable,
          column: referenced,
          onDelete: key.onDelete,
          onUpdate: key.onUpdate,
        };
    }
    for (const check of extras.checks) {
      const column = table.columns.find((candidate) => candidate.name === check.column);
      if (column && check.min) column.min = check.min;
      if (column && check.max) column.max = check.max;
    }
    table.primaryKey = primaryKeyOf(table.columns, extras);
    // Columns of unique indexes: seeds must give them distinct values.
    for (const index of extras.indexes.filter((candidate) => candidate.unique)) {
      for (const name of index.columns) {
        const column = table.columns.find((candidate) => candidate.name === name);
        if (column) column.unique = true;
      }
    }
  }

  let defineRelations: DrizzleSchemaModel["defineRelations"] = null;
  let legacyRelations: DrizzleSchemaModel["legacyRelations"] = null;
  const relationsExports: DrizzleSchemaModel["relationsExports"] = [];
  const pendingRelations: PendingRelations[] = [];
  const pendingV2: PendingV2Relations[] = [];
  for (const file of schemaFiles) {
    const reportRelation = (node: MorphNode, message: string): void =>
      log.add("relations-not-readable", file, node, message);
    const scan = scanRelations(graph, file, reportRelation);
    pendingRelations.push(...scan.found);
    defineRelations ??= scan.defineRelations;
    legacyRelations ??= scan.legacyRelations;
    relationsExports.push(...scan.relationsExports);
    for (const call of scan.v2Calls) pendingV2.push(...readDefineRelations(graph, call, file, reportRelation));
  }
  // Drizzle 1.0 keys relations by the schema's export names: the tables' variable names.
  for (const entry of pendingV2) {
    const owner = tables.get(entry.table);
    if (!owner) {
      log.add(
        "relations-not-readable",
        entry.file,
        entry.line,
        `defineRelations entry ${entry.table} is not a table of the schema files`,
      );
      continue;
    }
    owner.relations ??= [];
    for (const { targetName, ...relation } of entry.relations) {
      if (!tables.has(targetName))
        log.add(
          "reference-not-readable",
          relation.file,
          relation.line,
          `relation ${owner.tableVar}.${relation.name} points at ${targetName}, which is not a table of the schema files`,
        );
      owner.relations.push({ ...relation, target: targetName });
    }
  }
  for (const entry of pendingRelations) {
    const owner = entry.tableKey ? byKey.get(entry.tableKey) : undefined;
    if (!owner) {
      log.add(
        "relations-not-readable",
        entry.file,
        entry.line,
        `relations(${entry.tableText}, ...) is for a table that is not in the schema files`,
      );
      continue;
    }
    owner.relations ??= [];
    for (const { targetKey, targetText, ...relation } of entry.relations) {
      owner.relations.push({
        ...relation,
        target: targetName(
          targetKey,
          targetText,
          relation.file,
          relation.line,
          `relation ${owner.tableVar}.${relation.name}`,
        ),
      });
    }
  }

  for (const file of schemaFiles) {
    for (const alias of graph.file(file)?.getTypeAliases() ?? []) {
      const text = alias.getTypeNode()?.getText() ?? "";
      const match =
        /^typeof\s+(\w+)\.\$(inferSelect|inferInsert)$/.exec(text) ??
        /^Infer(Select|Insert)Model<\s*typeof\s+(\w+)\s*>$/.exec(text);
      if (!match) continue;
      const [name, kind] = match[0].startsWith("typeof") ? [match[1], match[2]] : [match[2], `infer${match[1]}`];
      const target = name ? (byKey.get(declarationKey(file, name)) ?? tables.get(name)) : undefined;
      if (!target) continue;
      if (kind === "inferSelect") target.selectType = alias.getName();
      else target.insertType = alias.getName();
    }
  }

  return {
    tables,
    schemaFiles,
    parsedFiles: graph.parsedFiles(),
    configFile: config?.file ?? null,
    casing,
    client: client
      ? {
          file: client.file,
          exportName: client.exportName,
          line: client.line,
          hasSchema: client.hasSchema,
          driver: client.driver,
        }
      : null,
    defineRelations,
    relationsExports,
    legacyRelations,
    schemaPackages: [...graph.schemaPackages],
    diagnostics: log.entries,
  };
}
