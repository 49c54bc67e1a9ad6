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

// A barrel made only of `export … from` lines needs no parser (ts-morph costs most of a second to load): the
// declarations are appended as ts-morph prints them (barrel.spec.ts compares the two). Anything else, or a
// barrel that already names the module, goes through the AST.
const PLAIN_SPECIFIER = /^[\w@./-]+$/;
const EXPORT_FROM_LINE = /^export (?:type )?(?:\*|\{[\w\s,]*\}) from "([\w@./-]+)";$/;
const LINE_COMMENT = /^\/\/[^'\r]*$/;

function appendedWithoutAst(tree: Tree, barrelPath: string, specifier: string, declarations: string): boolean {
  if (!PLAIN_SPECIFIER.test(specifier)) return false;
  const text = tree.read(barrelPath);
  if (text === null) {
    tree.write(barrelPath, declarations, { kind: "generate" });
    return true;
  }
  if (!text.endsWith(";\n")) return false;
  const lines = text.slice(0, -1).split("\n");
  if (!EXPORT_FROM_LINE.test(lines.at(-1) ?? "")) return false;
  const simple = lines.every((line) => {
    const exported = EXPORT_FROM_LINE.exec(line);
    return exported ? !sameModule(exported[1], specifier) : LINE_COMMENT.test(line);
  });
  if (simple) tree.write(barrelPath, `${text}${declarations}`, { kind: "edit" });
  return simple;
}

/** Adds `export * from "<specifier>"` to a barrel unless it is there already; creates the barrel if missing. */
export async function ensureExportStar(tree: Tree, barrelPath: string, specifier: string): Promise<void> {
  if (appendedWithoutAst(tree, barrelPath, specifier, `export * from "${specifier}";\n`)) return;
  if (!tree.exists(barrelPath)) tree.write(barrelPath, "", { kind: "generate" });
  await editSourceFile(tree, barrelPath, (sourceFile) => {
    const present = sourceFile
      .getExportDeclarations()
      .some(
        (declaration) => sameModule(declaration.getModuleSpecifierValue(), specifier) && !declaration.hasNamedExports(),
      );
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
  const declarations = `export { ${names.values.join(", ")} } from "${specifier}";\nexport type { ${names.types.join(", ")} } from "${specifier}";\n`;
  if (
    names.values.length > 0 &&
    names.types.length > 0 &&
    appendedWithoutAst(tree, barrelPath, specifier, declarations)
  )
    return;
  if (!tree.exists(barrelPath)) tree.write(barrelPath, "", { kind: "generate" });
  await editSourceFile(tree, barrelPath, (sourceFile) => {
    for (const [typeOnly, wanted] of [
      [false, names.values],
      [true, names.types],
    ] as const) {
      const declaration = sourceFile.getExportDeclaration(
        (candidate) => candidate.getModuleSpecifierValue() === specifier && candidate.isTypeOnly() === typeOnly,
      );
      if (!declaration) {
        sourceFile.addExportDeclaration({
          isTypeOnly: typeOnly,
          namedExports: [...wanted],
          moduleSpecifier: specifier,
        });
        continue;
      }
      const present = new Set(declaration.getNamedExports().map((named) => named.getName()));
      for (const name of wanted) if (!present.has(name)) declaration.addNamedExport(name);
    }
    removeEmptyExports(sourceFile);
  });
}
