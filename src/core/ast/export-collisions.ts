import path from "node:path";

import type { SourceFile } from "ts-morph";

import type { Tree } from "../tree.js";
import { createScratchProject } from "./edit-source.js";

export interface ExportCollision {
  name: string;
  /** The module that already exports it. */
  file: string;
}

function declaredExports(sourceFile: SourceFile): string[] {
  const names: string[] = [];
  for (const statement of sourceFile.getVariableStatements()) {
    if (statement.isExported()) names.push(...statement.getDeclarations().map((declaration) => declaration.getName()));
  }
  for (const declaration of [
    ...sourceFile.getFunctions(),
    ...sourceFile.getClasses(),
    ...sourceFile.getInterfaces(),
    ...sourceFile.getTypeAliases(),
    ...sourceFile.getEnums(),
  ]) {
    const name = declaration.getName();
    if (declaration.isExported() && name) names.push(name);
  }
  // `export { a as b }` and `export type { T } from "./x.js"` (a worker task re-exports its input and output types).
  for (const declaration of sourceFile.getExportDeclarations()) {
    for (const specifier of declaration.getNamedExports())
      names.push(specifier.getAliasNode()?.getText() ?? specifier.getName());
  }
  return names;
}

/** The file a barrel's relative specifier points at (`./x.js`, `./x`, `./x/index.js`). */
function resolveSpecifier(tree: Tree, barrel: string, specifier: string): string | null {
  const base = path.posix.join(path.posix.dirname(barrel), specifier.replace(/\.js$/, ""));
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => tree.exists(candidate)) ?? null;
}

/**
 * Names `file` exports that another module re-exported by the same barrel exports too: `export *` from both
 * would make the barrel ambiguous, so the generator must refuse the name instead.
 */
export async function findExportCollisions(tree: Tree, barrel: string, file: string): Promise<ExportCollision[]> {
  const barrelText = tree.read(barrel);
  const fileText = tree.read(file);
  if (barrelText === null || fileText === null) return [];
  const { project } = await createScratchProject();
  const barrelFile = project.createSourceFile(`/${barrel}`, barrelText, { overwrite: true });
  const siblings = barrelFile
    .getExportDeclarations()
    .filter((declaration) => !declaration.hasNamedExports())
    .map((declaration) => declaration.getModuleSpecifierValue())
    .filter((specifier): specifier is string => specifier?.startsWith(".") ?? false)
    .map((specifier) => resolveSpecifier(tree, barrel, specifier))
    .filter((sibling): sibling is string => sibling !== null && sibling !== file);
  const ours = new Set(declaredExports(project.createSourceFile(`/${file}`, fileText, { overwrite: true })));
  const collisions: ExportCollision[] = [];
  for (const sibling of siblings) {
    const text = tree.read(sibling) ?? "";
    for (const name of declaredExports(project.createSourceFile(`/${sibling}`, text, { overwrite: true }))) {
      if (ours.has(name)) collisions.push({ name, file: sibling });
    }
  }
  return collisions;
}
