import { ensureExportStar, ensureNamedExports } from "../core/ast/barrel.js";
import { findExportCollisions } from "../core/ast/export-collisions.js";
import type { ProjectLayout } from "../core/manifest.js";
import { moduleSpecifier } from "../core/module-specifier.js";
import { UsageError } from "../core/output/errors.js";
import type { Tree } from "../core/tree.js";

export interface EnsureExportsOptions {
  layout: Pick<ProjectLayout, "importStyle" | "aliases">;
  /**
   * Named exports instead of `export *` (modules whose constants share names, e.g. every repository's
   * MAX_PAGE_SIZE). Without them, a module exporting a name a sibling already exports is refused.
   */
  named?: { values: readonly string[]; types: readonly string[] };
  /** For the collision message: "cache user-profile". */
  what: string;
}

/** Re-exports `file` from `barrel` (created when missing), idempotently, through the AST. */
export async function ensureExports(
  tree: Tree,
  barrel: string,
  file: string,
  options: EnsureExportsOptions,
): Promise<void> {
  const specifier = moduleSpecifier(options.layout, barrel, file);
  if (options.named) {
    await ensureNamedExports(tree, barrel, specifier, options.named);
    return;
  }
  const [collision] = await findExportCollisions(tree, barrel, file);
  if (collision) {
    throw new UsageError(
      `The ${options.what} would export \`${collision.name}\`, which ${collision.file} already exports.`,
      [`Pick another name: ${barrel} re-exports both modules.`],
    );
  }
  await ensureExportStar(tree, barrel, specifier);
}
