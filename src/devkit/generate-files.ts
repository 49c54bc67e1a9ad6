import path from "node:path";

import { GenerationError } from "../core/output/errors.js";
import { isBarrel, loadTemplates, renderString } from "../core/render.js";
import type { Tree } from "../core/tree.js";

export type TemplateVariables = Readonly<Record<string, unknown>>;

const PLACEHOLDER = /__([A-Za-z][A-Za-z0-9]*)__/g;

/**
 * A template path to the file it makes (Nx's generateFiles): `__kebabName__-cache.ts` with
 * `{ kebabName: "user-profile" }` is `user-profile-cache.ts`; `_gitignore` is `.gitignore` (npm pack
 * drops real dotfiles named like that).
 */
export function templateTarget(relative: string, variables: TemplateVariables): string {
  return relative
    .split("/")
    .map((part) => (part.startsWith("_") && !part.startsWith("__") ? `.${part.slice(1)}` : part))
    .join("/")
    .replace(PLACEHOLDER, (_match, key: string) => {
      const value = variables[key];
      if (typeof value !== "string" || value === "")
        throw new GenerationError(`Template path ${relative} needs a value for __${key}__.`);
      return value;
    });
}

export interface GenerateFilesOptions {
  /**
   * Where each file goes, given its template path under `targetDir` (`src/db/pool.ts`, `_env.example`):
   * init places base modules where the repo has room for them; null skips the template.
   */
  place?: (template: string) => string | null;
}

export interface GeneratedFile {
  /** The template's own path under `targetDir`, placeholders and `_` prefixes as written. */
  template: string;
  /** Where it goes (differs when `place` moved it). */
  path: string;
  /** False for a barrel that exists already and was kept as it is. */
  written: boolean;
}

/**
 * Renders every template of `templates/<folder>` into `targetDir` as tool-owned files, names taken from the
 * template paths. An existing barrel is kept: barrels grow with every generator run.
 */
export function generateFiles(
  tree: Tree,
  folder: string,
  targetDir: string,
  variables: TemplateVariables,
  options: GenerateFilesOptions = {},
): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const [relative, source] of loadTemplates(folder)) {
    const template = path.posix.join(targetDir, relative);
    const target = options.place
      ? options.place(template)
      : path.posix.join(targetDir, templateTarget(relative, variables));
    if (target === null) continue;
    const kept = isBarrel(target) && tree.exists(target);
    files.push({ template, path: target, written: !kept });
    if (kept) continue;
    tree.write(target, renderString(source, variables, `templates/${folder}/${relative}`), { kind: "generate" });
  }
  return files;
}
