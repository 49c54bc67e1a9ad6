// The Drizzle schema model: what a repo's own schema declares, read statically.
export type { DiagnosticCode } from "./diagnostics.js";
export { formatDiagnostic } from "./diagnostics.js";
export type { ProposedRelation } from "./foreign-keys.js";
export { proposeRelations } from "./foreign-keys.js";
export type { DrizzleSchemaModel, SchemaColumn, SchemaRelation, SchemaTable } from "./model.js";
export { entityName, findTable } from "./naming.js";
export type { ReadSchemaOptions } from "./read-model.js";
export { locateDrizzleClient, readDrizzleSchema } from "./read-model.js";
export type { ClientFacts } from "./drizzle-client.js";
