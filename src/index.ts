// Programmatic API: the same runner and generators the CLI and plop use.
export { GENERATORS, findGenerator } from "../generators/index.js";
export { runDefinition } from "./devkit/runner.js";
export type { DefinitionRunResult, RunRequest } from "./devkit/runner.js";
export type { GeneratorDefinition } from "./devkit/define-generator.js";
export { Tree } from "./core/tree.js";
export { createDiskHost, createMemoryHost } from "./core/host.js";
export type { FileHost } from "./core/host.js";
export type { Generator, GeneratorResult, DeferredTask } from "./core/generator.js";
export { UsageError, GenerationError, ConflictError } from "./core/output/errors.js";
export { main } from "./cli/main.js";
export type { CliIo } from "./cli/io.js";
