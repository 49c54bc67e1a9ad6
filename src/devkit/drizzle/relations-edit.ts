import type { SourceFile } from "ts-morph";

import type { loadTsMorph } from "../../core/ast/edit-source.js";
import { GenerationError } from "../../core/output/errors.js";

type TsMorph = Awaited<ReturnType<typeof loadTsMorph>>;

export interface RelationEdit {
  /** Tree path of the file, for error messages. */
  file: string;
  /** The table whose relations() gains the entry. */
  tableVar: string;
  relationName: string;
  helper: "one" | "many";
  /** `many(comments)`, `one(users, { fields: [...], references: [...] })`. */
  expression: string;
  /** The other table, imported from `importPath` when it lives in another file (null: same file). */
  importName: string;
  importPath: string | null;
}

/** An expression as a formatter may have left it: no whitespace, either quotes, trailing commas or not. */
const comparable = (expression: string): string =>
  expression
    .replaceAll(/\s/g, "")
    .replaceAll("'", '"')
    .replaceAll(/,([}\])])/g, "$1");

/**
 * Idempotently adds `<relationName>: <expression>` to a table's `relations()` and imports the other table.
 * A missing anchor is an error naming the file: never a silent skip.
 */
export function addRelation(sourceFile: SourceFile, tsMorph: TsMorph, edit: RelationEdit): void {
  const { Node, SyntaxKind } = tsMorph;
  const found = findRelationsCall(sourceFile, edit.tableVar, tsMorph);
  if (!found) {
    throw new GenerationError(
      `Cannot add ${edit.relationName}: ${edit.expression} to ${edit.file}: it has no \`relations(${edit.tableVar}, () => ({ ... }))\`.`,
      [
        `Add \`export const ${edit.tableVar}Relations = relations(${edit.tableVar}, () => ({}));\` to ${edit.file} and run again.`,
      ],
    );
  }
  const { callback, object } = found;
  if (!object)
    throw new GenerationError(
      `Cannot edit ${edit.file}: the relations(${edit.tableVar}, ...) callback does not return an object literal \`({ ... })\`.`,
    );

  const existing = object.getProperty(edit.relationName);
  if (existing) {
    const text = Node.isPropertyAssignment(existing) ? existing.getInitializer()?.getText() : undefined;
    if (text === undefined || comparable(text) !== comparable(edit.expression)) {
      throw new GenerationError(
        `Cannot add ${edit.relationName}: ${edit.expression} to ${edit.file}: relation "${edit.relationName}" exists with another definition.`,
      );
    }
  }

  const [parameter] = callback.getParameters();
  if (!parameter) callback.addParameter({ name: `{ ${edit.helper} }` });
  else {
    const pattern = parameter.getNameNode();
    if (!Node.isObjectBindingPattern(pattern))
      throw new GenerationError(
        `Cannot edit ${edit.file}: the relations callback parameter is not destructured ({ one, many }).`,
      );
    const names = pattern.getElements().map((element) => element.getName());
    if (!names.includes(edit.helper)) parameter.replaceWithText(`{ ${[...names, edit.helper].sort().join(", ")} }`);
  }

  if (!existing) {
    const added = object.addPropertyAssignment({ name: edit.relationName, initializer: edit.expression });
    // ts-morph adds no trailing comma; the template (and formatters) put one on multi-line literals.
    if (!added.getNextSiblingIfKind(SyntaxKind.CommaToken)) sourceFile.insertText(added.getEnd(), ",");
  }
  if (edit.importPath !== null) ensureNamedImport(sourceFile, edit.importName, edit.importPath);
}

/** `import { name } from "<path>"`, added in sorted position among the relative imports unless present. */
export function ensureNamedImport(sourceFile: SourceFile, name: string, importPath: string): void {
  const declaration = sourceFile.getImportDeclaration(
    (candidate) => candidate.getModuleSpecifierValue() === importPath && !candidate.isTypeOnly(),
  );
  if (declaration) {
    if (!declaration.getNamedImports().some((named) => named.getName() === name)) declaration.addNamedImport(name);
    return;
  }
  const imports = sourceFile.getImportDeclarations();
  const text = `import { ${name} } from "${importPath}";`;
  const isRelative = (specifier: string): boolean => specifier.startsWith(".");
  // Packages before relative modules, each group sorted: insert at token positions so blank lines stay put.
  const group = imports.filter(
    (candidate) => isRelative(candidate.getModuleSpecifierValue()) === isRelative(importPath),
  );
  const before = group.filter((candidate) => candidate.getModuleSpecifierValue() < importPath).at(-1);
  const after = group.find((candidate) => candidate.getModuleSpecifierValue() > importPath);
  const lastPackage = imports.filter((candidate) => !isRelative(candidate.getModuleSpecifierValue())).at(-1);
  const firstRelative = imports.find((candidate) => isRelative(candidate.getModuleSpecifierValue()));
  const lastImport = imports.at(-1);
  if (before) sourceFile.insertText(before.getEnd(), `\n${text}`);
  else if (after) sourceFile.insertText(after.getStart(), `${text}\n`);
  else if (isRelative(importPath) && lastImport) sourceFile.insertText(lastImport.getEnd(), `\n\n${text}`);
  else if (!isRelative(importPath) && lastPackage) sourceFile.insertText(lastPackage.getEnd(), `\n${text}`);
  else if (!isRelative(importPath) && firstRelative) sourceFile.insertText(firstRelative.getStart(), `${text}\n\n`);
  else sourceFile.insertText(0, `${text}\n\n`);
}

/** `relations(<table>, (helpers) => ({ ... }))`: the call, its callback and the object literal it returns. */
export function findRelationsCall(sourceFile: SourceFile, tableVar: string, tsMorph: TsMorph) {
  const { Node } = tsMorph;
  for (const declaration of sourceFile.getVariableDeclarations()) {
    const init = declaration.getInitializer();
    if (!init || !Node.isCallExpression(init) || init.getExpression().getText() !== "relations") continue;
    const [tableArg, callback] = init.getArguments();
    if (tableArg?.getText() !== tableVar || !callback || !Node.isArrowFunction(callback)) continue;
    const body = callback.getBody();
    const object = Node.isParenthesizedExpression(body) ? body.getExpression() : undefined;
    if (!object || !Node.isObjectLiteralExpression(object)) return { declaration, callback, object: undefined };
    return { declaration, callback, object };
  }
  return undefined;
}
