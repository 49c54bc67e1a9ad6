import {
  defineGenerator,
  readProjectSchema,
  requireProject,
  singularTypeName,
  toModuleNames,
  UsageError,
} from "../../src/devkit/declare.js";
import type { AskFunction, GeneratorContext, OptionValues, RawInput } from "../../src/devkit/declare.js";
import {
  assertDistinctSqlNames,
  COLUMN_GRAMMAR,
  COLUMN_TYPES,
  isIdentifier,
  KEY_TYPES,
  parseColumnList,
  parseColumnSpec,
  parsePartialIndex,
} from "./column-spec.js";
import type { ColumnSpec } from "./column-spec.js";
import type { SchemaOptions } from "./generator.js";

export const SCHEMA_HELP = `Column spec (--columns): ${COLUMN_GRAMMAR}.
Every table gets \`id\`, an identity primary key: integer, or with --key bigint an int8 read as a BigInt (exact past 2^53; the
repository's ids, cursors and loader keys are BigInts; foreign keys to it are bigint columns). Every foreign-key column gets an index automatically, and the
referenced table's relations() get a many() for the new table. Index names: <table>_<columns>[_partial|_unique|_gin]_idx.

Examples:
  generate schema users --columns "email:text:notNull,name:text:notNull" --unique email --timestamps
  generate schema posts --columns "authorId:integer:notNull:references=users.id,title:varchar(255):notNull,status:text:notNull:default=draft" \\
    --index status,createdAt --partial-index "createdAt where deletedAt is null" --timestamps --soft-delete
  generate schema comments --columns "postId:integer:notNull:references=posts.id,body:text:notNull,tags:text[]" --gin tags
  generate schema pageViews --key bigint --columns "userId:integer:notNull:references=users.id,path:text:notNull" --timestamps`;

const TIMESTAMP_COLUMNS: readonly ColumnSpec[] = [
  { name: "createdAt", type: "timestamp", params: [], array: false, notNull: true, unique: false, default: "now" },
  {
    name: "updatedAt",
    type: "timestamp",
    params: [],
    array: false,
    notNull: true,
    unique: false,
    default: "now",
    onUpdateNow: true,
  },
];
const SOFT_DELETE_COLUMN: ColumnSpec = {
  name: "deletedAt",
  type: "timestamp",
  params: [],
  array: false,
  notNull: false,
  unique: false,
};

// Identifiers a table module imports or declares: a table of that name would shadow them.
const TEMPLATE_NAMES = new Set<string>([
  ...COLUMN_TYPES,
  "pgTable",
  "relations",
  "sql",
  "index",
  "uniqueIndex",
  "one",
  "many",
  "table",
]);

// What the generated repository and its test import or declare at the top: a table (or its row type) of that
// name would be declared twice there (TS2300), e.g. `db`, `eq`, `dataLoaders` (DataLoader), `executors` (Executor).
const REPOSITORY_NAMES = new Set<string>([
  ...[
    "db",
    "eq",
    "asc",
    "gt",
    "and",
    "isNull",
    "inArray",
    "statementName",
    "afterCommit",
    "currentExecutor",
    "inTransaction",
    "withTransaction",
  ],
  ...[
    "DataLoader",
    "Database",
    "Executor",
    "database",
    "repository",
    "statements",
    "withReplicas",
    "closeDatabase",
    "createDatabase",
    "expectStatements",
  ],
  ...["afterAll", "beforeAll", "describe", "expect", "expectTypeOf", "it", "vi"],
]);

/** The table's identifier, or a UsageError saying why the name cannot be one. */
export function toTableName(rawName: string): string {
  const table = toModuleNames(rawName, "table", "posts").camel;
  if (!isIdentifier(table))
    throw new UsageError(
      `Bad table name "${rawName}": use letters and digits, starting with a letter (e.g. posts, blogPosts).`,
    );
  if (TEMPLATE_NAMES.has(table)) {
    throw new UsageError(`The table name "${rawName}" would shadow \`${table}\`, which the table module imports.`, [
      "Pick another name (e.g. a plural noun).",
    ]);
  }
  // db.query.constructor, db.query.toString...: every object already has them.
  if (Object.getOwnPropertyNames(Object.prototype).includes(table)) {
    throw new UsageError(
      `The table name "${rawName}" is a member of every object (Object.prototype): db.query.${table} would not be the table.`,
      ["Pick another name."],
    );
  }
  const typeName = singularTypeName(table);
  const clash = [table, typeName, `New${typeName}`].find((name) => REPOSITORY_NAMES.has(name));
  if (clash !== undefined) {
    throw new UsageError(
      `The table name "${rawName}" would declare \`${clash}\`, which its generated repository imports or declares too.`,
      ["Pick a more specific name (e.g. databases -> databaseServers, executors -> jobExecutors)."],
    );
  }
  return table;
}

function tableNameProblem(value: string): string | undefined {
  try {
    toTableName(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const SCHEMA_OPTIONS = {
  name: {
    kind: "string",
    positional: true,
    required: true,
    placeholder: "table",
    description: "table name, plural camelCase (posts)",
    prompt: "Table name (plural, camelCase)",
    validate: tableNameProblem,
  },
  columns: {
    kind: "list",
    keepCommas: true,
    placeholder: "spec",
    description: 'columns, e.g. "title:varchar(255):notNull,authorId:integer:notNull:references=users.id"',
  },
  addColumns: {
    kind: "list",
    keepCommas: true,
    placeholder: "spec",
    description:
      "add columns (same grammar) to a table that EXISTS, as an edit of its file; foreign keys get their index and relations",
  },
  index: {
    kind: "list",
    keepCommas: true,
    placeholder: "columns",
    description: "index on one or more columns, comma-separated (composite; repeatable)",
  },
  unique: {
    kind: "list",
    keepCommas: true,
    placeholder: "columns",
    description: "unique index on one or more columns (repeatable)",
  },
  partialIndex: {
    kind: "list",
    keepCommas: true,
    placeholder: "spec",
    description: 'partial index: "<columns> where <condition>" (repeatable)',
  },
  gin: {
    kind: "list",
    keepCommas: true,
    placeholder: "column",
    description: "GIN index on an array or jsonb column (repeatable)",
  },
  key: {
    kind: "enum",
    choices: KEY_TYPES,
    description:
      "type of the id primary key: integer (int4, the default) or bigint (int8 read as a BigInt, for tables past 2^31 rows)",
  },
  timestamps: {
    kind: "boolean",
    default: false,
    description: "add createdAt and updatedAt (timestamptz, default now)",
  },
  softDelete: { kind: "boolean", default: false, description: "add a nullable deletedAt" },
  migrate: {
    kind: "boolean",
    default: true,
    description: "run drizzle-kit generate afterwards (--no-migrate skips it)",
  },
  allowStaleRepositories: {
    kind: "boolean",
    default: false,
    description:
      "add foreign keys that an existing repository's delete does not expect (the run stops otherwise); regenerate that repository next",
  },
} as const;

/** Typed values -> complete options; every problem is a UsageError naming the bad part (exit 2). */
export function normalizeSchemaOptions(
  values: OptionValues<typeof SCHEMA_OPTIONS>,
  context: GeneratorContext,
): SchemaOptions {
  const { layout, packageManager } = requireProject(context);
  const table = toTableName(values.name);
  if (values.addColumns.length > 0) {
    const extra =
      values.columns.length > 0 ||
      values.index.length > 0 ||
      values.unique.length > 0 ||
      values.partialIndex.length > 0 ||
      values.gin.length > 0;
    if (extra || values.timestamps || values.softDelete || values.key !== undefined) {
      throw new UsageError("--add-columns edits an existing table and takes no other column or index flags.", [
        'Run it alone, e.g. generate schema users --add-columns "bio:text".',
      ]);
    }
    const columns = parseColumnSpec(values.addColumns.join(","));
    return {
      table,
      columns,
      indexes: [],
      unique: columns.filter((column) => column.unique).map((column) => [column.name]),
      partialIndexes: [],
      gin: [],
      extend: true,
      migrate: values.migrate,
      allowStaleRepositories: values.allowStaleRepositories,
      layout,
      packageManager,
    };
  }
  const spec = values.columns.join(",");
  if (spec.trim() === "" && !values.timestamps && !values.softDelete) {
    throw new UsageError(`Missing the columns of ${table}.`, [
      'Pass --columns, e.g. --columns "title:varchar(255):notNull,authorId:integer:references=users.id" (see --help).',
    ]);
  }
  const columns = parseColumnSpec(spec);
  const extra = [...(values.timestamps ? TIMESTAMP_COLUMNS : []), ...(values.softDelete ? [SOFT_DELETE_COLUMN] : [])];
  for (const column of extra) {
    if (columns.some((existing) => existing.name === column.name)) {
      throw new UsageError(
        `--columns defines "${column.name}", which ${column.name === "deletedAt" ? "--soft-delete" : "--timestamps"} adds too.`,
        ["Drop one of them."],
      );
    }
    columns.push({ ...column });
  }
  assertDistinctSqlNames(columns, []);
  const known = ["id", ...columns.map((column) => column.name)];
  const indexes = values.index.map((value) => parseColumnList("--index", value, known));
  const unique = [
    ...columns.filter((column) => column.unique).map((column) => [column.name]),
    ...values.unique.map((value) => parseColumnList("--unique", value, known)),
  ];
  // Arrays are compared as arrays: only IS [NOT] NULL fits them.
  const key = values.key ?? "integer";
  const types = new Map<string, string>([
    ["id", key],
    ...columns.map((column) => [column.name, column.array ? "array" : column.type] as const),
  ]);
  const partialIndexes = values.partialIndex.map((value) => parsePartialIndex(value, known, types));
  const gin = values.gin.flatMap((value) => parseColumnList("--gin", value, known));
  for (const name of gin) {
    const column = columns.find((candidate) => candidate.name === name);
    if (!column || !(column.array || column.type === "jsonb")) {
      throw new UsageError(`--gin ${name}: a GIN index needs an array or jsonb column.`, [
        `Declare it as ${name}:text[] or ${name}:jsonb.`,
      ]);
    }
  }
  return {
    table,
    columns,
    indexes,
    unique,
    partialIndexes,
    gin,
    key,
    extend: false,
    migrate: values.migrate,
    allowStaleRepositories: values.allowStaleRepositories,
    layout,
    packageManager,
  };
}

// "" keeps the database default (no action): the generated repository's delete removes the referencing rows itself.
const ON_DELETE_CHOICES = [
  { title: "no rule (the repository deletes referencing rows first)", value: "" },
  { title: "cascade (delete this row too)", value: "cascade" },
  { title: "restrict (refuse the delete)", value: "restrict" },
  { title: "set null", value: "set null" },
];

const TYPE_CHOICES = COLUMN_TYPES.map((type) => {
  const value = type === "varchar" ? "varchar(255)" : type === "numeric" ? "numeric(12,2)" : type;
  return { title: value, value };
});

/**
 * Column-by-column dialogue (terminals and plop), then indexes. It produces the same compact spec and
 * index flags as the command line, so both go through one parser and one validation.
 */
async function askColumns(ask: AskFunction, given: RawInput, context: GeneratorContext): Promise<RawInput> {
  if (given.columns !== undefined || given.addColumns !== undefined) return {};
  const tables = [...(await readProjectSchema(context.tree, requireProject(context).layout)).tables.values()];
  const references = tables.flatMap((table) =>
    table.columns.filter((column) => column.primaryKey).map((column) => `${table.tableVar}.${column.name}`),
  );
  const entries: string[] = [];
  const names: string[] = [];
  const arrays: string[] = [];
  for (;;) {
    const { columnName } = await ask([
      {
        type: "text",
        name: "columnName",
        message: `Column ${String(entries.length + 1)} name (empty to finish)`,
        flag: "--columns",
        required: false,
      },
    ]);
    const name = String(columnName ?? "").trim();
    if (name === "") break;
    const answers = await ask([
      {
        type: "select",
        name: "type",
        message: `Type of ${name}`,
        choices: TYPE_CHOICES,
        flag: "--columns",
        required: true,
      },
      {
        type: "confirm",
        name: "array",
        message: "Array of that type?",
        initial: false,
        flag: "--columns",
        required: false,
      },
      { type: "confirm", name: "notNull", message: "Not null?", initial: true, flag: "--columns", required: false },
      {
        type: "text",
        name: "defaultValue",
        message: "Default (empty for none; now for timestamps, random for uuid)",
        flag: "--columns",
        required: false,
      },
      { type: "confirm", name: "unique", message: "Unique?", initial: false, flag: "--columns", required: false },
      {
        type: "select",
        name: "references",
        message: "References (foreign key)",
        choices: [
          { title: "none", value: "" },
          ...references.map((reference) => ({ title: reference, value: reference })),
        ],
        flag: "--columns",
        required: false,
      },
    ]);
    const parts = [name, `${String(answers.type)}${answers.array === true ? "[]" : ""}`];
    if (answers.notNull === true) parts.push("notNull");
    if (typeof answers.defaultValue === "string" && answers.defaultValue.trim() !== "")
      parts.push(`default=${answers.defaultValue.trim()}`);
    if (answers.unique === true) parts.push("unique");
    if (typeof answers.references === "string" && answers.references !== "") {
      parts.push(`references=${answers.references}`);
      const { onDelete } = await ask([
        {
          type: "select",
          name: "onDelete",
          message: `When the ${answers.references} row is deleted`,
          choices: ON_DELETE_CHOICES,
          flag: "--columns",
          required: false,
        },
      ]);
      if (typeof onDelete === "string" && onDelete !== "") parts.push(`onDelete=${onDelete}`);
    }
    entries.push(parts.join(":"));
    names.push(name);
    if (answers.array === true || answers.type === "jsonb") arrays.push(name);
  }
  const indexes = await ask([
    {
      type: "confirm",
      name: "timestamps",
      message: "Add createdAt / updatedAt?",
      initial: true,
      flag: "--timestamps",
      required: false,
    },
    {
      type: "confirm",
      name: "softDelete",
      message: "Soft delete (deletedAt)?",
      initial: false,
      flag: "--soft-delete",
      required: false,
    },
    {
      type: "multiselect",
      name: "index",
      message: "Single-column indexes (foreign keys are indexed automatically)",
      choices: names.map((name) => ({ title: name, value: name })),
      flag: "--index",
      required: false,
    },
    {
      type: "text",
      name: "composite",
      message: "Composite index columns, comma-separated (empty for none)",
      flag: "--index",
      required: false,
    },
    {
      type: "text",
      name: "partialIndex",
      message: 'Partial index, e.g. "createdAt where deletedAt is null" (empty for none)',
      flag: "--partial-index",
      required: false,
    },
    ...(arrays.length > 0
      ? [
          {
            type: "multiselect" as const,
            name: "gin",
            message: "GIN indexes",
            choices: arrays.map((name) => ({ title: name, value: name })),
            flag: "--gin",
            required: false,
          },
        ]
      : []),
  ]);
  const composite =
    typeof indexes.composite === "string" && indexes.composite.trim() !== "" ? [indexes.composite.trim()] : [];
  return {
    columns: entries.join(","),
    timestamps: indexes.timestamps === true,
    softDelete: indexes.softDelete === true,
    index: [...(Array.isArray(indexes.index) ? indexes.index.map(String) : []), ...composite],
    partialIndex: typeof indexes.partialIndex === "string" ? indexes.partialIndex : undefined,
    gin: Array.isArray(indexes.gin) ? indexes.gin.map(String) : [],
  };
}

export const schemaDefinition = defineGenerator({
  name: "schema",
  description: "an indexed Drizzle table (src/db/schema/<table>.ts) with relations, then drizzle-kit generate",
  help: SCHEMA_HELP,
  project: "required",
  options: SCHEMA_OPTIONS,
  interact: askColumns,
  normalize: normalizeSchemaOptions,
  // Loaded by the run that uses it: each generator is its own chunk of the bundle.
  generate: async (tree, options) => (await import("./generator.js")).schemaGenerator(tree, options),
});
