import path from "node:path";

import { kebabCase } from "change-case";

import {
  DEFAULT_DRIZZLE_LINE,
  defaultToolSpec,
  defineGenerator,
  DRIZZLE_LINE_CHOICES,
  PACKAGE_MANAGERS,
  UsageError,
} from "../../src/devkit/declare.js";
import type { GeneratorContext, OptionValues } from "../../src/devkit/declare.js";
import type { AppOptions } from "./generator.js";

// npm's rules: lowercase, URL-safe, at most 214 characters, optional @scope/.
const NPM_NAME_PATTERN = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const NPM_NAME_MAX_LENGTH = 214;

export function validatePackageName(name: string): string | undefined {
  if (name.length === 0) return "the project name is empty";
  if (name.length > NPM_NAME_MAX_LENGTH)
    return `the project name is longer than ${String(NPM_NAME_MAX_LENGTH)} characters`;
  if (!NPM_NAME_PATTERN.test(name))
    return `"${name}" is not a valid npm package name (lowercase letters, digits, - . _ ~)`;
  return undefined;
}

const APP_OPTIONS = {
  directory: {
    kind: "string",
    positional: true,
    required: true,
    description: "directory of the new project",
    prompt: "Project directory",
    initial: "my-service",
  },
  name: {
    kind: "string",
    placeholder: "package-name",
    description: "npm name of the project (default: the directory name, kebab-cased)",
  },
  server: {
    kind: "boolean",
    default: true,
    description: "an HTTP service with Fastify and /health (--no-server: library only, db, cache and worker modules)",
    prompt: "An HTTP service (Fastify, /health, graceful shutdown)? No: a library of db, cache and worker modules",
  },
  drizzle: {
    kind: "enum",
    choices: DRIZZLE_LINE_CHOICES,
    default: DEFAULT_DRIZZLE_LINE,
    description: `drizzle-orm line: 0 (0.45, v0 relations()) or 1 (1.0 rc: defineRelations, drizzle-kit 1.0 migration folders); default ${DEFAULT_DRIZZLE_LINE}, the registry's latest`,
    prompt: "Drizzle line",
    titles: {
      "0": "0.45 (the registry's latest): relations(), drizzle-kit journal",
      "1": "1.0 (rc): defineRelations, relational queries v2",
    },
  },
  packageManager: {
    kind: "enum",
    flag: "pm",
    choices: PACKAGE_MANAGERS,
    placeholder: "manager",
    description: "package manager for install and scripts (default: the one running this)",
    prompt: "Package manager",
  },
  install: {
    kind: "boolean",
    default: true,
    description: "install dependencies after writing (--no-install skips it)",
    prompt: "Install dependencies now?",
  },
  git: {
    kind: "boolean",
    default: true,
    description: "git init and a first commit (--no-git skips it)",
    prompt: "Initialize a git repository?",
  },
  toolSpec: {
    kind: "string",
    placeholder: "spec",
    description: "how package.json depends on create-perf-backend (default: this copy, or ^version from the registry)",
  },
} as const;

/** Turns typed values into complete options, or fails with what to fix (exit 2). */
export function normalizeAppOptions(values: OptionValues<typeof APP_OPTIONS>, context: GeneratorContext): AppOptions {
  const directory = path.resolve(context.cwd, values.directory);
  const projectName = values.name ?? kebabCase(path.basename(directory));
  const nameProblem = validatePackageName(projectName);
  if (nameProblem)
    throw new UsageError(`Invalid project name: ${nameProblem}.`, [
      "Choose another directory name or pass --name <package-name>.",
    ]);
  return {
    directory,
    projectName,
    packageManager: values.packageManager ?? context.packageManager,
    install: values.install,
    git: values.git,
    server: values.server,
    drizzleLine: values.drizzle,
    toolSpec: values.toolSpec ?? defaultToolSpec(),
  };
}

export const appDefinition = defineGenerator({
  name: "app",
  description: "a new project: pooled Postgres, Drizzle, Redis caches, worker threads, tests and lint",
  usage: "create-perf-backend",
  project: "none",
  options: APP_OPTIONS,
  normalize: normalizeAppOptions,
  root: (options) => options.directory,
  // Loaded by the run that uses it: each generator is its own chunk of the bundle.
  generate: async (tree, options) => (await import("./generator.js")).appGenerator(tree, options),
});
