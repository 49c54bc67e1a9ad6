// The Drizzle schema model: what a repo's own schema declares, read statically.
export type { SchemaDiagnostic, DiagnosticCode } from "./diagnostics.js";
export { formatDiagnostic, UnsupportedRelationsError } from "./diagnostics.js";
export { DRIZZLE_CONFIG_FILES } from "./drizzle-config.js";
export type { ProposedRelation } from "./foreign-keys.js";
export { inboundReferences, proposeRelations } from "./foreign-keys.js";
export type {
  Casing,
  ColumnReference,
  DrizzleClient,
  DrizzleSchemaModel,
  ForeignKey,
  PrimaryKey,
  ReferentialAction,
  SchemaColumn,
  SchemaIndex,
  SchemaRelation,
  SchemaTable,
} from "./model.js";
export type { TableLookup } from "./naming.js";
export { entityName, findTable, namesOf, requireTable } from "./naming.js";
export type { ReadSchemaOptions } from "./read-model.js";
export { readDrizzleSchema } from "./read-model.js";
