import path from "node:path";

import { kebabCase } from "change-case";

import { UsageError } from "../../src/core/errors.js";
import { isPackageManager, PACKAGE_MANAGERS } from "../../src/core/package-manager.js";
import type { PackageManager } from "../../src/core/package-manager.js";

export interface AppOptions {
  /** Absolute directory of the new project. */
  directory: string;
  /** npm package name of the new project. */
  projectName: string;
  packageManager: PackageManager;
  install: boolean;
  git: boolean;
  /** Fastify server with /health; false means library-only. */
  server: boolean;
  /** How the project's package.json depends on create-perf-backend. */
  toolSpec: string;
}

export interface RawAppOptions {
  directory?: string;
  name?: string;
  packageManager?: string;
  install?: boolean;
  git?: boolean;
  server?: boolean;
  toolSpec?: string;
}

export interface AppDefaults {
  cwd: string;
  packageManager: PackageManager;
  toolSpec: string;
}

// npm's rules: lowercase, URL-safe, at most 214 characters, optional @scope/.
const NPM_NAME_PATTERN = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const NPM_NAME_MAX_LENGTH = 214;

export function validatePackageName(name: string): string | undefined {
  if (name.length === 0) return "the project name is empty";
  if (name.length > NPM_NAME_MAX_LENGTH) return `the project name is longer than ${String(NPM_NAME_MAX_LENGTH)} characters`;
  if (!NPM_NAME_PATTERN.test(name)) return `"${name}" is not a valid npm package name (lowercase letters, digits, - . _ ~)`;
  return undefined;
}

/** Turns flags and answers into complete options, or fails with what to fix (exit 2). */
export function normalizeAppOptions(raw: RawAppOptions, defaults: AppDefaults): AppOptions {
  const directoryInput = raw.directory?.trim();
  if (!directoryInput) {
    throw new UsageError("Missing the project directory.", ["Pass it as the first argument: create-perf-backend my-service"]);
  }
  const directory = path.resolve(defaults.cwd, directoryInput);
  const projectName = raw.name?.trim() || kebabCase(path.basename(directory));
  const nameProblem = validatePackageName(projectName);
  if (nameProblem) throw new UsageError(`Invalid project name: ${nameProblem}.`, ["Choose another directory name or pass --name <package-name>."]);

  const packageManager = raw.packageManager ?? defaults.packageManager;
  if (!isPackageManager(packageManager)) {
    throw new UsageError(`Unknown package manager "${packageManager}".`, [`Use --pm with one of: ${PACKAGE_MANAGERS.join(", ")}.`]);
  }
  return {
    directory,
    projectName,
    packageManager,
    install: raw.install ?? true,
    git: raw.git ?? true,
    server: raw.server ?? true,
    toolSpec: raw.toolSpec?.trim() || defaults.toolSpec,
  };
}
