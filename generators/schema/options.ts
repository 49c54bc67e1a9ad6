
import type { ProjectContext } from "../../src/core/detect.js";
import { UsageError } from "../../src/core/errors.js";
import type { RawInput } from "../../src/core/generator-definition.js";
import type { ProjectLayout } from "../../src/core/manifest.js";
import type { PackageManager } from "../../src/core/package-manager.js";
import { toModuleNames } from "../shared/module-name.js";
import { COLUMN_TYPES, isIdentifier, parseColumnList, parseColumnSpec, parsePartialIndex } from "./column-spec.js";
import type { ColumnSpec, PartialIndexSpec } from "./column-spec.js";

export interface SchemaOptions {
  /** Exported table const (camelCase), e.g. `posts`. */
  table: string;
  /** User columns plus the ones --timestamps / --soft-delete add; the `id` primary key is implicit. */
  columns: ColumnSpec[];
  indexes: string[][];
  unique: string[][];
  partialIndexes: PartialIndexSpec[];
  gin: string[];
  migrate: boolean;
  layout: ProjectLayout;
  packageManager: PackageManager;
}

const TIMESTAMP_COLUMNS: readonly ColumnSpec[] = [
  { name: "createdAt", type: "timestamp", params: [], array: false, notNull: true, unique: false, default: "now" },
  { name: "updatedAt", type: "timestamp", params: [], array: false, notNull: true, unique: false, default: "now", onUpdateNow: true },
];
const SOFT_DELETE_COLUMN: ColumnSpec = { name: "deletedAt", type: "timestamp", params: [], array: false, notNull: false, unique: false };

/** A flag given once arrives as a string, a repeatable one as an array; answers may be either. */
export function listOf(value: unknown): string[] {
  if (value === undefined || value === null || value === false) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map(String).map((item) => item.trim()).filter((item) => item !== "");
}

// Identifiers a table module imports or declares: a table of that name would shadow them.
const TEMPLATE_NAMES = new Set<string>([...COLUMN_TYPES, "pgTable", "relations", "sql", "index", "uniqueIndex", "one", "many", "table"]);

/** The table's identifier, or a UsageError saying why the name cannot be one. */
export function toTableName(rawName: string): string {
  const table = toModuleNames(rawName, "table", "posts").camel;
  if (!isIdentifier(table)) throw new UsageError(`Bad table name "${rawName}": use letters and digits, starting with a letter (e.g. posts, blogPosts).`);
  if (TEMPLATE_NAMES.has(table)) {
    throw new UsageError(`The table name "${rawName}" would shadow \`${table}\`, which the table module imports.`, ["Pick another name (e.g. a plural noun)."]);
  }
  return table;
}

/** Flags and answers -> complete options; every problem is a UsageError naming the bad part (exit 2). */
export function normalizeSchemaOptions(raw: RawInput, project: Pick<ProjectContext, "manifest" | "packageManager">): SchemaOptions {
  const rawName = typeof raw.name === "string" ? raw.name.trim() : "";
  if (rawName === "") throw new UsageError("Missing the table name.", ["Pass it as the first argument: generate schema posts --columns \"title:text:notNull\""]);
  const table = toTableName(rawName);

  const spec = typeof raw.columns === "string" ? raw.columns : listOf(raw.columns).join(",");
  if (spec.trim() === "" && raw.timestamps !== true && raw.softDelete !== true) {
    throw new UsageError(`Missing the columns of ${table}.`, ['Pass --columns, e.g. --columns "title:varchar(255):notNull,authorId:integer:references=users.id" (see --help).']);
  }
  const columns = parseColumnSpec(spec);
  const extra = [...(raw.timestamps === true ? TIMESTAMP_COLUMNS : []), ...(raw.softDelete === true ? [SOFT_DELETE_COLUMN] : [])];
  for (const column of extra) {
    if (columns.some((existing) => existing.name === column.name)) {
      throw new UsageError(`--columns defines "${column.name}", which ${column.name === "deletedAt" ? "--soft-delete" : "--timestamps"} adds too.`, ["Drop one of them."]);
    }
    columns.push({ ...column });
  }
  const known = ["id", ...columns.map((column) => column.name)];
  const indexes = listOf(raw.index).map((value) => parseColumnList("--index", value, known));
  const unique = [
    ...columns.filter((column) => column.unique).map((column) => [column.name]),
    ...listOf(raw.unique).map((value) => parseColumnList("--unique", value, known)),
  ];
  const partialIndexes = listOf(raw.partialIndex).map((value) => parsePartialIndex(value, known));
  const gin = listOf(raw.gin).flatMap((value) => parseColumnList("--gin", value, known));
  for (const name of gin) {
    const column = columns.find((candidate) => candidate.name === name);
    if (!column || !(column.array || column.type === "jsonb")) {
      throw new UsageError(`--gin ${name}: a GIN index needs an array or jsonb column.`, [`Declare it as ${name}:text[] or ${name}:jsonb.`]);
    }
  }
  const parents = columns.filter((column) => column.references).map((column) => column.references?.table);
  if (new Set(parents).size !== parents.length) {
    throw new UsageError("Two foreign keys point at the same table: drizzle then needs relationName on both sides, which this generator does not write.", [
      "Generate with one of them and add the second relation by hand.",
    ]);
  }
  if (columns.some((column) => column.references?.table === table)) {
    throw new UsageError(`A self-reference (${table} -> ${table}) is not supported by this generator.`, ["Add that column and its relations by hand."]);
  }
  return {
    table,
    columns,
    indexes,
    unique,
    partialIndexes,
    gin,
    migrate: raw.migrate !== false,
    layout: project.manifest.layout,
    packageManager: project.packageManager,
  };
}
