import { en } from "zod/locales";
import { config } from "zod/mini";
import type * as z from "zod/mini";

import { UsageError } from "../output/errors.js";

export interface StateFileSpec<Schema extends z.ZodMiniType> {
  /** The file as the user knows it, e.g. "package.json". */
  file: string;
  /** Built on first use: zod schemas cost a run that never reads the file (create reads none). */
  schema: () => Schema;
  /** How to repair a file of the wrong shape, when no field-specific hint applies. */
  fix: string;
}

let englishMessages = false;

/** A schema built once, when first asked for. */
export function lazySchema<Schema extends z.ZodMiniType>(build: () => Schema): () => Schema {
  let built: Schema | undefined;
  return () => (built ??= build());
}

function fieldName(pathParts: ReadonlyArray<PropertyKey>): string {
  if (pathParts.length === 0) return "(the whole file)";
  return pathParts
    .map((part, index) =>
      typeof part === "number" ? `[${String(part)}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join("");
}

/** Parses JSON; a syntax error names the file and where, as a usage error (exit 2). */
export function parseJsonFile(file: string, text: string, fix: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}); nothing was written.`, [fix]);
  }
}

/**
 * Checks a state file against its schema. Every message names the file, the field and what to write there;
 * the run stops with exit 2 before anything is staged.
 */
export function validateStateFile<Schema extends z.ZodMiniType>(
  spec: StateFileSpec<Schema>,
  value: unknown,
): z.infer<Schema> {
  if (!englishMessages) {
    // zod/mini ships no messages of its own: the English ones, for the checks whose message the schemas do not set.
    config(en());
    englishMessages = true;
  }
  const result = spec.schema().safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${spec.file}: ${fieldName(issue.path)}: ${issue.message}`);
  const [first, ...rest] = issues;
  throw new UsageError(`${first ?? `${spec.file} has the wrong shape`}; nothing was written.`, [...rest, spec.fix]);
}

/** Parse + validate in one go. */
export function readStateFile<Schema extends z.ZodMiniType>(
  spec: StateFileSpec<Schema>,
  text: string,
): z.infer<Schema> {
  return validateStateFile(spec, parseJsonFile(spec.file, text, spec.fix));
}
