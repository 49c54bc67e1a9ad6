import type { ProjectContext } from "../../src/core/detect.js";
import { UsageError } from "../../src/core/errors.js";
import type { RawInput } from "../../src/core/generator-definition.js";
import type { ProjectLayout } from "../../src/core/manifest.js";
import type { PackageManager } from "../../src/core/package-manager.js";
import { listOf } from "../schema/options.js";
import { toModuleNames } from "../shared/module-name.js";

export interface RepositoryOptions {
  /** Table const of the entity, e.g. `users`. */
  table: string;
  /** Relation paths to eager-load, e.g. ["posts", "posts.comments"]; checked against the schema by the generator. */
  with: string[];
  layout: ProjectLayout;
  packageManager: PackageManager;
}

const PATH_PATTERN = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/** Syntax only: whether the table and relations exist is checked against the schema files by the generator. */
export function normalizeRepositoryOptions(raw: RawInput, project: Pick<ProjectContext, "manifest" | "packageManager">): RepositoryOptions {
  const rawName = typeof raw.name === "string" ? raw.name.trim() : "";
  if (rawName === "") throw new UsageError("Missing the table.", ["Pass it as the first argument: generate repository users --with posts.comments"]);
  const paths = listOf(raw.with).flatMap((value) => value.split(",")).map((value) => value.trim()).filter((value) => value !== "");
  for (const relationPath of paths) {
    if (!PATH_PATTERN.test(relationPath)) throw new UsageError(`--with: "${relationPath}" is not a relation path (relation or relation.nested, e.g. posts.comments).`);
  }
  return { table: toModuleNames(rawName, "table", "users").camel, with: [...new Set(paths)], layout: project.manifest.layout, packageManager: project.packageManager };
}
