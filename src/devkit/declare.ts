// The part of the authoring API that every run loads: what generator definitions (options, dialogue, normalize)
// and create's own generator use. Nothing here may reach the schema model, the repo readers, ts-morph or semver:
// esbuild splits the bundle by file, so one import of `./index.js` from a definition would load all of them into
// every run. Generators' own modules (loaded lazily, one chunk each) import `./index.js`.
export { defineGenerator } from "./define-generator.js";
export type { AskFunction, GeneratorDefinition } from "./define-generator.js";
export { requireProject } from "./context.js";
export type { GeneratorContext } from "./context.js";
export type { OptionValues } from "./options/descriptors.js";
export type { RawInput } from "./options/parse.js";
export { generateFiles, templateTarget } from "./generate-files.js";
export { projectScripts } from "./project-scripts.js";
export { moduleNameProblem, singularTypeName, toModuleNames } from "./naming.js";
export { readProjectSchemaLazily as readProjectSchema } from "./project-schema-lazy.js";
export { DRIZZLE_LINES, DEFAULT_DRIZZLE_LINE, DRIZZLE_LINE_CHOICES } from "../core/drizzle-lines.js";
export type { DrizzleLine } from "../core/drizzle-lines.js";
export { pinnedDependencies } from "../core/packages/dependency-versions.js";
export type { DependencyName } from "../core/packages/dependency-versions.js";
export { JOURNAL_FILE } from "../core/commit/commit-journal.js";
export { GenerationError, UsageError } from "../core/output/errors.js";
export { hashContent } from "../core/hash.js";
export { compareText } from "../core/format/compare-text.js";
export { nodeTarget } from "../core/node-target.js";
export { LOCK_DIR } from "../core/commit/project-lock.js";
export type { GeneratorResult } from "../core/generator.js";
export { MANIFEST_FILE, readManifest, stageManifest } from "../core/manifest.js";
export type { ProjectLayout } from "../core/manifest.js";
export { mergePackageJson, PACKAGE_JSON } from "../core/packages/package-json.js";
export { formatCommand, installCommand, PACKAGE_MANAGERS, runScriptCommand } from "../core/packages/package-manager.js";
export type { PackageManager } from "../core/packages/package-manager.js";
export { loadTemplates } from "../core/render.js";
export { defaultToolSpec } from "../core/packages/tool-spec.js";
export type { Tree } from "../core/tree.js";
