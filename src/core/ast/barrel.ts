import type { SourceFile } from "ts-morph";

import type { Tree } from "../tree.js";
import { editSourceFile } from "./edit-source.js";

/** `./users`, `./users.js` and `./users/index.js` name one module whatever the project's import style. */
function sameModule(a: string | undefined, b: string): boolean {
  const key = (specifier: string): string => specifier.replace(/\.[cm]?[jt]s$/, "").replace(/\/index$/, "");
  return a !== undefined && key(a) === key(b);
}

/** Drops a placeholder `export {};` once the barrel has real exports. */
function removeEmptyExports(sourceFile: SourceFile): void {
  for (const declaration of sourceFile.getExportDeclarations()) {
    if (!declaration.getModuleSpecifier() && declaration.getNamedExports().length === 0 && !declaration.isTypeOnly()) {
      declaration.remove();
    }
  }
}

// A new barrel needs no parser (ts-morph costs most of a second to load): its text is what ts-morph prints for
// the same declarations (barrel.spec.ts compares the two). Other specifiers go through the AST.
const PLAIN_SPECIFIER = /^[\w@./-]+$/;

/** Adds `export * from "<specifier>"` to a barrel unless it is there already; creates the barrel if missing. */
export async function ensureExportStar(tree: Tree, barrelPath: string, specifier: string): Promise<void> {
  if (!tree.exists(barrelPath) && PLAIN_SPECIFIER.test(specifier)) {
    tree.write(barrelPath, `export * from "${specifier}";\n`, { kind: "generate" });
    return;
  }
  if (!tree.exists(barrelPath)) tree.write(barrelPath, "", { kind: "generate" });
  await editSourceFile(tree, barrelPath, (sourceFile) => {
    const present = sourceFile
      .getExportDeclarations()
      .some((declaration) => sameModule(declaration.getModuleSpecifierValue(), specifier) && !declaration.hasNamedExports());
    if (present) return;
    sourceFile.addExportDeclaration({ moduleSpecifier: specifier });
    removeEmptyExports(sourceFile);
  });
}

/** Adds named exports (values and `export type`) of one module to a barrel, keeping the ones present. */
export async function ensureNamedExports(
  tree: Tree,
  barrelPath: string,
  specifier: string,
  names: { values: readonly string[]; types: readonly string[] },
): Promise<void> {
  // Empty lists print as `export *` / `export type *` through ts-morph: those keep the AST path.
  if (!tree.exists(barrelPath) && PLAIN_SPECIFIER.test(specifier) && names.values.length > 0 && names.types.length > 0) {
    const text = `export { ${names.values.join(", ")} } from "${specifier}";\nexport type { ${names.types.join(", ")} } from "${specifier}";\n`;
    tree.write(barrelPath, text, { kind: "generate" });
    return;
  }
  if (!tree.exists(barrelPath)) tree.write(barrelPath, "", { kind: "generate" });
  await editSourceFile(tree, barrelPath, (sourceFile) => {
    for (const [typeOnly, wanted] of [[false, names.values], [true, names.types]] as const) {
      const declaration = sourceFile.getExportDeclaration((candidate) => candidate.getModuleSpecifierValue() === specifier && candidate.isTypeOnly() === typeOnly);
      if (!declaration) {
        sourceFile.addExportDeclaration({ isTypeOnly: typeOnly, namedExports: [...wanted], moduleSpecifier: specifier });
        continue;
      }
      const present = new Set(declaration.getNamedExports().map((named) => named.getName()));
      for (const name of wanted) if (!present.has(name)) declaration.addNamedExport(name);
    }
    removeEmptyExports(sourceFile);
  });
}
