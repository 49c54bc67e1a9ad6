// The devkit: everything a generator imports, and nothing else (generators never reach into src/core).
// Its light part, which every run loads (definitions, create's generator), is declare.ts.
export * from "./declare.js";
export { addDependencies } from "./add-dependencies.js";
export { ensureExports } from "./ensure-exports.js";
export { sameCodeIgnoringFormat } from "./same-code.js";
export { processScripts, PROJECT_SCRIPTS } from "./project-scripts.js";
export { pluralOf } from "../schema-model/english-number.js";
export type { ModuleNames } from "./naming.js";
export { addRelation, ensureNamedImport } from "./drizzle/relations-edit.js";
export { addTableRelations } from "./drizzle/table-relations.js";
export { addDefineRelationsEntries } from "./drizzle/define-relations-edit.js";
export type { DefineRelationsEntry } from "./drizzle/define-relations-edit.js";
export { defineRelationsFile, manyEntry, oneEntry } from "./drizzle/define-relations-entries.js";
export { isSoftDeletable, SOFT_DELETE_COLUMN } from "./soft-delete.js";
export { entityName, findTable, proposeRelations } from "../schema-model/index.js";
export { locateRepoDrizzleClient } from "./repo-client.js";
export type { RepoDrizzleClient } from "./repo-client.js";
export type {
  DrizzleSchemaModel,
  ProposedRelation,
  SchemaColumn,
  SchemaRelation,
  SchemaTable,
} from "../schema-model/index.js";
export { keyLiterals } from "./key-literals.js";
export { keyCheckOf } from "./key-check.js";
export { drizzleLineOf } from "./drizzle-line.js";
export type { SchemaModel } from "./project-schema.js";
export { assertTablesReadable, schemaDiagnosticNotes } from "./schema-diagnostics.js";

// Engine pieces generators use as they are.
export { createScratchProject, editSourceFile } from "../core/ast/edit-source.js";
export type { SourceEdit } from "../core/ast/edit-source.js";
export { ensureExportStar } from "../core/ast/barrel.js";
export { rewriteModuleSpecifiers } from "../core/ast/module-specifiers.js";
export { DEPENDENCY_VERSIONS } from "../core/packages/dependency-versions.js";
export type { DeferredTask } from "../core/generator.js";
export type { FileHost } from "../core/host.js";
export { moduleSpecifier, TYPESCRIPT_FILE } from "../core/module-specifier.js";
export { renderTemplateFile } from "../core/render.js";
export { inspectRepo } from "../core/repo/inspect-repo.js";
export { applyGivenSetup } from "../core/repo/given-setup.js";
export { findOwnModules } from "../core/repo/own-modules.js";
export type { RepoFacts } from "../core/repo/inspect-repo.js";
export { adaptDependencies, readToolchain } from "../core/repo/toolchain.js";
export { DEFAULT_DATABASE_URL_ENV } from "../core/repo/env-facts.js";
export { buildEmitsTests } from "../core/repo/build-facts.js";
export type { ToolchainFacts } from "../core/repo/toolchain.js";
export type { WorkspaceDbPackage } from "../core/repo/workspace-db.js";
