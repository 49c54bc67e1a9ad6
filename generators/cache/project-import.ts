import type { ProjectLayout } from "../../src/core/manifest.js";
import { relativeImport } from "../../src/core/paths.js";

/** Import specifier from one project file to another in the project's import style (`.js` suffix or none). */
export function projectImport(fromFile: string, toFile: string, importStyle: ProjectLayout["importStyle"]): string {
  const specifier = relativeImport(fromFile, toFile);
  return importStyle === "bundler" ? specifier.replace(/\.js$/, "") : specifier;
}
