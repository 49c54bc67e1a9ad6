import { UsageError } from "../../src/core/errors.js";
import type { RawInput } from "../../src/core/generator-definition.js";
import type { ProjectLayout } from "../../src/core/manifest.js";
import type { PackageManager } from "../../src/core/package-manager.js";
import { toInteger, toModuleNames } from "../shared/module-name.js";
import type { ModuleNames } from "../shared/module-name.js";

/** 0 means "all cores but one", decided at run time on the machine that runs the project. */
export const AUTO_MAX_THREADS = 0;
export const MAX_THREADS_LIMIT = 256;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_TASK_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_QUEUE = 256;
export const DEFAULT_NICE_INCREMENT = 10;
const TYPE_NAME = /^[A-Z][A-Za-z0-9_]*$/;
// Names the generated task module already uses for something else.
const TAKEN_TYPE_NAMES = new Set(["AbortSignal", "Piscina", "Promise", "WorkerFile"]);

export interface WorkerOptions {
  names: ModuleNames;
  inputType: string;
  outputType: string;
  maxThreads: number;
  idleTimeoutMs: number;
  taskTimeoutMs: number;
  maxQueue: number;
  niceIncrement: number;
  layout: ProjectLayout;
  packageManager: PackageManager;
}

function toTypeName(input: unknown, flag: string, fallback: string, names: ModuleNames): string {
  const value = typeof input === "string" && input.trim() !== "" ? input.trim() : fallback;
  if (!TYPE_NAME.test(value)) {
    throw new UsageError(`${flag} "${value}" is not a type name: start with a capital letter, then letters and digits.`, [`e.g. ${flag} ${fallback}`]);
  }
  if (TAKEN_TYPE_NAMES.has(value) || value === `Run${names.pascal}TaskOptions`) {
    throw new UsageError(`${flag} "${value}" clashes with a name the task module uses; choose another.`);
  }
  return value;
}

/** Flags and answers to complete options; every problem is a UsageError naming the bad part (exit 2). */
export function normalizeWorkerOptions(raw: RawInput, layout: ProjectLayout, packageManager: PackageManager = "npm"): WorkerOptions {
  const names = toModuleNames(raw.name, "worker task", "hash-password");
  const inputType = toTypeName(raw.inputType, "--input-type", `${names.pascal}Input`, names);
  const outputType = toTypeName(raw.outputType, "--output-type", `${names.pascal}Output`, names);
  if (inputType === outputType) throw new UsageError(`--input-type and --output-type are both "${inputType}"; they must differ.`);
  return {
    names,
    inputType,
    outputType,
    maxThreads: toInteger(raw.maxThreads, "--max-threads", { min: 0, max: MAX_THREADS_LIMIT }, AUTO_MAX_THREADS),
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
    taskTimeoutMs: DEFAULT_TASK_TIMEOUT_MS,
    maxQueue: DEFAULT_MAX_QUEUE,
    niceIncrement: DEFAULT_NICE_INCREMENT,
    layout,
    packageManager,
  };
}
