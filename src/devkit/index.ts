// The devkit: everything a generator imports, and nothing else (generators never reach into src/core).
export { defineGenerator } from "./define-generator.js";
export type { AskFunction, GeneratorDefinition, GeneratorSpec, PreparedGeneration } from "./define-generator.js";
export { requireProject } from "./context.js";
export type { GeneratorContext, ProjectContext, ProjectRequirement } from "./context.js";
export type { OptionDescriptor, OptionDescriptors, OptionValues } from "./options/descriptors.js";
export type { RawInput } from "./options/parse.js";
export { generateFiles, templateTarget } from "./generate-files.js";
export type { TemplateVariables } from "./generate-files.js";
export { addDependencies } from "./add-dependencies.js";
export type { DependencyChanges } from "./add-dependencies.js";
export { ensureExports } from "./ensure-exports.js";
export { moduleNameProblem, singularTypeName, toModuleNames } from "./naming.js";
export type { ModuleNames } from "./naming.js";
export { addManyRelation } from "./drizzle/relations-edit.js";
export { findRelationsCall, readSchema } from "./drizzle/read-schema.js";
export type { SchemaColumn, SchemaLocation, SchemaModel, SchemaRelation, SchemaTable } from "./drizzle/read-schema.js";

// Engine pieces generators use as they are.
export { createScratchProject, editSourceFile } from "../core/ast/edit-source.js";
export type { SourceEdit } from "../core/ast/edit-source.js";
export { ensureExportStar } from "../core/ast/barrel.js";
export { rewriteModuleSpecifiers } from "../core/ast/module-specifiers.js";
export { DEPENDENCY_VERSIONS, pinnedDependencies } from "../core/dependency-versions.js";
export type { DependencyName } from "../core/dependency-versions.js";
export { GenerationError, UsageError } from "../core/errors.js";
export type { DeferredTask, GeneratorResult } from "../core/generator.js";
export type { FileHost } from "../core/host.js";
export { MANIFEST_FILE, readManifest, stageManifest } from "../core/manifest.js";
export type { Manifest, ProjectLayout } from "../core/manifest.js";
export { describeDiffering, mergePackageJson, PACKAGE_JSON } from "../core/package-json.js";
export { formatCommand, installCommand, isPackageManager, PACKAGE_MANAGERS, runScriptCommand } from "../core/package-manager.js";
export type { PackageManager } from "../core/package-manager.js";
export { moduleSpecifier, TYPESCRIPT_FILE } from "../core/module-specifier.js";
export { isBarrel, loadTemplates, renderString, renderTemplateFile } from "../core/render.js";
export { inspectRepo } from "../core/repo/inspect-repo.js";
export type { RepoFacts } from "../core/repo/inspect-repo.js";
export { defaultToolSpec } from "../core/tool-spec.js";
export type { Tree } from "../core/tree.js";
