// Programmatic API: the same engine the CLI and plop use.
export { runGenerator } from "./core/run.js";
export type { RunOptions, RunResult } from "./core/run.js";
export { Tree } from "./core/tree.js";
export { createDiskHost, createMemoryHost } from "./core/host.js";
export type { FileHost } from "./core/host.js";
export type { Generator, GeneratorResult, DeferredTask } from "./core/generator.js";
export { UsageError, GenerationError, ConflictError } from "./core/errors.js";
export { main } from "./cli/main.js";
export type { CliIo } from "./cli/io.js";
