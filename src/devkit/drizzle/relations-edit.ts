import type { SourceFile } from "ts-morph";

import type { loadTsMorph } from "../../core/ast/edit-source.js";
import { GenerationError } from "../../core/errors.js";
import { findRelationsCall } from "./read-schema.js";

type TsMorph = Awaited<ReturnType<typeof loadTsMorph>>;

export interface ManyRelationEdit {
  /** Tree path of the parent file, for error messages. */
  file: string;
  parentTableVar: string;
  relationName: string;
  childTableVar: string;
  childImportPath: string;
}

/**
 * Idempotently adds `<relationName>: many(<child>)` to the parent's `relations()` and imports the child.
 * A missing anchor is an error naming the file: never a silent skip.
 */
export function addManyRelation(sourceFile: SourceFile, tsMorph: TsMorph, edit: ManyRelationEdit): void {
  const { Node, SyntaxKind } = tsMorph;
  const found = findRelationsCall(sourceFile, edit.parentTableVar, tsMorph);
  if (!found) {
    throw new GenerationError(`Cannot add ${edit.relationName}: many(${edit.childTableVar}) to ${edit.file}: it has no \`relations(${edit.parentTableVar}, () => ({ ... }))\`.`, [
      `Add \`export const ${edit.parentTableVar}Relations = relations(${edit.parentTableVar}, () => ({}));\` to ${edit.file} and run again.`,
    ]);
  }
  const { callback, object } = found;
  if (!object) throw new GenerationError(`Cannot edit ${edit.file}: the relations(${edit.parentTableVar}, ...) callback does not return an object literal \`({ ... })\`.`);

  const existing = object.getProperty(edit.relationName);
  if (existing) {
    const text = Node.isPropertyAssignment(existing) ? existing.getInitializer()?.getText().replaceAll(/\s/g, "") : undefined;
    if (text !== `many(${edit.childTableVar})`) {
      throw new GenerationError(`Cannot add ${edit.relationName}: many(${edit.childTableVar}) to ${edit.file}: relation "${edit.relationName}" exists with another definition.`);
    }
  }

  const [parameter] = callback.getParameters();
  if (!parameter) callback.addParameter({ name: "{ many }" });
  else {
    const pattern = parameter.getNameNode();
    if (!Node.isObjectBindingPattern(pattern)) throw new GenerationError(`Cannot edit ${edit.file}: the relations callback parameter is not destructured ({ one, many }).`);
    const names = pattern.getElements().map((element) => element.getName());
    if (!names.includes("many")) parameter.replaceWithText(`{ ${[...names, "many"].sort().join(", ")} }`);
  }

  if (!existing) {
    const added = object.addPropertyAssignment({ name: edit.relationName, initializer: `many(${edit.childTableVar})` });
    // ts-morph adds no trailing comma; the template (and formatters) put one on multi-line literals.
    if (!added.getNextSiblingIfKind(SyntaxKind.CommaToken)) sourceFile.insertText(added.getEnd(), ",");
  }

  const declaration = sourceFile.getImportDeclaration((candidate) => candidate.getModuleSpecifierValue() === edit.childImportPath && !candidate.isTypeOnly());
  if (declaration) {
    if (!declaration.getNamedImports().some((named) => named.getName() === edit.childTableVar)) declaration.addNamedImport(edit.childTableVar);
    return;
  }
  const imports = sourceFile.getImportDeclarations();
  const relative = imports.filter((candidate) => candidate.getModuleSpecifierValue().startsWith("."));
  const before = relative.filter((candidate) => candidate.getModuleSpecifierValue() < edit.childImportPath);
  const text = `import { ${edit.childTableVar} } from "${edit.childImportPath}";`;
  // Insert at token positions so the blank line between the package and relative groups stays put.
  const lastImport = imports.at(-1);
  const lastBefore = before.at(-1);
  const firstRelative = relative[0];
  if (lastBefore) sourceFile.insertText(lastBefore.getEnd(), `\n${text}`);
  else if (firstRelative) sourceFile.insertText(firstRelative.getStart(), `${text}\n`);
  else if (lastImport) sourceFile.insertText(lastImport.getEnd(), `\n\n${text}`);
  else sourceFile.insertText(0, `${text}\n\n`);
}
