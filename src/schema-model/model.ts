import type { SchemaDiagnostic } from "./diagnostics.js";

/** `onDelete` / `onUpdate` actions as written in the schema. */
export type ReferentialAction = "cascade" | "restrict" | "no action" | "set null" | "set default";

export interface ColumnReference {
  /** Variable (export) name of the referenced table, e.g. `users`. */
  table: string;
  /** Key of the referenced column, e.g. `id`. */
  column: string;
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
}

/** One side of a range a check constraint puts on a column: `> 0` is `{ value: 0, inclusive: false }`. */
export interface ColumnBound {
  value: number;
  inclusive: boolean;
}

/** A superset of `generators/schema/read-schema.ts`'s column. */
export interface SchemaColumn {
  /** Key in the columns object (what `db.query` and `$inferSelect` use). */
  name: string;
  /** Column name in SQL: the builder's first argument, or the key after the config's `casing`. */
  sqlName: string;
  /** pg-core builder: `integer`, `text`, `varchar`, ...; an enum column gives the enum's variable name. */
  builder: string;
  /** Options object text of the builder call, e.g. `{ length: 255 }` ("" when none). */
  builderOptions: string;
  notNull: boolean;
  hasDefault: boolean;
  /** `$onUpdate()` / `$onUpdateFn()`: Drizzle sets it on every update (an `updatedAt` that moves by itself). */
  updatesItself: boolean;
  primaryKey: boolean;
  array: boolean;
  /** `.unique()`, or a column of a unique index / constraint. */
  unique: boolean;
  references?: ColumnReference;
  /** TypeScript type of a selected value: `number`, `bigint`, `string`, `boolean`, `Date`, `unknown`, an enum union, a `$type<>()`. */
  tsType: string;
  /** `mode` option of the builder (`number`, `bigint`, `string`, `date`, ...). */
  mode?: string;
  /** Type argument text of `.$type<...>()`. */
  customType?: string;
  enumValues?: string[];
  /** `length` of a varchar / char builder, in characters. */
  length?: number;
  /** `precision` and `scale` of a numeric / decimal builder. */
  precision?: number;
  scale?: number;
  /** Bounds of readable check constraints on the column alone (`check("x", sql`${t.n} > 0`)`). */
  min?: ColumnBound;
  max?: ColumnBound;
  /** `generated ... as identity`, or a serial type. */
  identity: boolean;
  /** `generatedAlwaysAs(...)`: never written by inserts. */
  generated: boolean;
  /** Name of the object the column was spread from (`...timestamps`). */
  spreadFrom?: string;
  file: string;
  line: number;
}

export interface SchemaRelation {
  name: string;
  kind: "one" | "many";
  /** Variable name of the target table. */
  target: string;
  /** From a `one()` config: `fields: [posts.authorId]` -> ["authorId"]. */
  fields: string[];
  references: string[];
  relationName?: string;
  /** Drizzle 1.0 `from: r.a.id.through(r.ab.aId)`: a many-to-many over a junction table (its schema key and columns). */
  through?: { table: string; fields: string[]; references: string[] };
  /** Drizzle 1.0 `where: { published: true }`: the relation holds only matching rows (the object's text). */
  where?: string;
  /** Drizzle 1.0 `optional: false`: a one() the repo declares always present (`optional: true` is the default). */
  optional?: boolean;
  file: string;
  line: number;
}

export interface PrimaryKey {
  /** Column keys, in declaration order. */
  columns: string[];
  composite: boolean;
  /** TS type of the key: `number`, `bigint`, `string`, ... (the first column's for a composite key). */
  tsType: string;
  /** Constraint name when given (`primaryKey({ name })`). */
  name?: string;
}

export interface SchemaIndex {
  name?: string;
  /** Column keys; an SQL expression is kept as `sql` text. */
  columns: string[];
  unique: boolean;
  /** Text of the `.where(...)` argument. */
  where?: string;
  /** `index` / `uniqueIndex` / `unique` constraint. */
  kind: "index" | "uniqueIndex" | "unique";
}

/** A foreign key from either `.references()` on a column or `foreignKey()` in the third argument. */
export interface ForeignKey {
  /** Variable name of the table that holds the key. */
  table: string;
  columns: string[];
  /** Variable name of the referenced table. */
  foreignTable: string;
  foreignColumns: string[];
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  name?: string;
  source: "column" | "foreignKey";
}

/** A superset of `generators/schema/read-schema.ts`'s table. */
export interface SchemaTable {
  /** Variable name the table is declared as (`users`, `UserTable`). */
  tableVar: string;
  exported: boolean;
  /** SQL table name, after a `pgTableCreator` prefix. */
  sqlName: string;
  /** The name as written in the table call (`createTable("post")` -> `post`). */
  declaredName: string;
  /** `pgSchema("app")` -> `app` (none for `public`). */
  pgSchema?: string;
  /** How the table was made: `pgTable`, a `pgTableCreator` factory, `pgSchema(..).table`, or a wrapper function. */
  via: "pgTable" | "pgTableCreator" | "pgSchema" | "wrapper";
  /** Tree path of the file that declares the table. */
  file: string;
  line: number;
  /** `export type User = typeof users.$inferSelect` -> "User". */
  selectType?: string;
  insertType?: string;
  columns: SchemaColumn[];
  primaryKey: PrimaryKey | null;
  indexes: SchemaIndex[];
  foreignKeys: ForeignKey[];
  /** null: no `relations(<table>, ...)` anywhere in the schema. */
  relations: SchemaRelation[] | null;
}

export type Casing = "snake_case" | "camelCase";

export interface DrizzleClient {
  file: string;
  /** Exported name of the drizzle instance, when it is exported. */
  exportName?: string;
  line: number;
  /** Whether `drizzle(..., { schema })` is passed the schema, so `db.query` exists. */
  hasSchema: boolean;
  driver: "node-postgres" | "postgres-js" | "other";
}

export interface DrizzleSchemaModel {
  /** Tables by variable name, in the order they were found. */
  tables: Map<string, SchemaTable>;
  /** Files that declare the schema: config entries, the client's `{ schema }` imports, extra entries, and their re-exports. */
  schemaFiles: string[];
  /** Every file parsed, schema files and what they import included. */
  parsedFiles: string[];
  configFile: string | null;
  casing: Casing | null;
  client: DrizzleClient | null;
  /** Where `defineRelations` (Drizzle 1.0) was found, if anywhere. */
  defineRelations: { file: string; line: number } | null;
  /** Exported consts made by `defineRelations` / `defineRelationsPart` (the client's `relations` imports them). */
  relationsExports: Array<{ file: string; name: string; part: boolean }>;
  /** The first v0 `relations(table, ...)` found: on drizzle-orm 1.0 a mix generated code cannot serve. */
  legacyRelations: { file: string; line: number } | null;
  /** Packages the schema re-exports or the client's `{ schema }` spreads (a workspace db package): not read. */
  schemaPackages: string[];
  diagnostics: SchemaDiagnostic[];
}
