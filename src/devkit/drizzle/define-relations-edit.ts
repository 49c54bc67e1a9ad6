import type { CallExpression, ObjectLiteralExpression, SourceFile } from "ts-morph";

import { editSourceFile } from "../../core/ast/edit-source.js";
import type { loadTsMorph } from "../../core/ast/edit-source.js";
import { GenerationError } from "../../core/output/errors.js";
import type { Tree } from "../../core/tree.js";

type TsMorph = Awaited<ReturnType<typeof loadTsMorph>>;

// What the callback's parameter is called when the file's `defineRelations(schema, () => ({}))` has none yet.
const DEFAULT_HELPERS = "r";
const V2_FUNCTIONS = new Set(["defineRelations", "defineRelationsPart"]);

export interface DefineRelationsEntry {
  /** The schema key of the table that gains the relation (its export name). */
  table: string;
  name: string;
  /** The relation, given the callback's parameter: `(r) => "r.one.users({ from: r.posts.authorId, to: r.users.id })"`. */
  expression: (helpers: string) => string;
}

/** An expression as a formatter may have left it: no whitespace, either quotes, trailing commas or not. */
const comparable = (expression: string): string =>
  expression
    .replaceAll(/\s/g, "")
    .replaceAll("'", '"')
    .replaceAll(/,([}\])])/g, "$1");

function findDefineRelations(sourceFile: SourceFile, tsMorph: TsMorph): CallExpression | undefined {
  const { Node, SyntaxKind } = tsMorph;
  return sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression).find((call) => {
    const callee = call.getExpression();
    const name = Node.isIdentifier(callee)
      ? callee.getText()
      : Node.isPropertyAccessExpression(callee)
        ? callee.getName()
        : "";
    return V2_FUNCTIONS.has(name);
  });
}

/** `name: <value>` added at the end of `object`, with the trailing comma the template and formatters put. */
function appendProperty(
  sourceFile: SourceFile,
  tsMorph: TsMorph,
  object: ObjectLiteralExpression,
  name: string,
  initializer: string,
) {
  const added = object.addPropertyAssignment({ name, initializer });
  if (!added.getNextSiblingIfKind(tsMorph.SyntaxKind.CommaToken)) sourceFile.insertText(added.getEnd(), ",");
  return added;
}

/**
 * Idempotently adds relations as entries of the file's own `defineRelations(schema, (r) => ({ table: { ... } }))`
 * (Drizzle 1.0: one call holds every relation; never a v0 `relations()` beside it). An entry that exists with
 * another definition, or a call the edit cannot read, is an error naming the file.
 */
export async function addDefineRelationsEntries(
  tree: Tree,
  file: string,
  entries: readonly DefineRelationsEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await editSourceFile(tree, file, (sourceFile, tsMorph) => {
    const { Node } = tsMorph;
    const call = findDefineRelations(sourceFile, tsMorph);
    const callback = call?.getArguments()[1];
    if (!call || !callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) {
      throw new GenerationError(
        `Cannot add relations to ${file}: it has no \`defineRelations(schema, (r) => ({ ... }))\` with a callback.`,
        [`Add \`export const relations = defineRelations(schema, (r) => ({}));\` to ${file} and run again.`],
      );
    }
    const body = callback.getBody();
    const returned = Node.isParenthesizedExpression(body) ? body.getExpression() : undefined;
    if (!returned || !Node.isObjectLiteralExpression(returned)) {
      throw new GenerationError(
        `Cannot edit ${file}: the defineRelations callback does not return an object literal \`({ ... })\`.`,
      );
    }
    const [parameter] = callback.getParameters();
    if (parameter && !Node.isIdentifier(parameter.getNameNode()))
      throw new GenerationError(
        `Cannot edit ${file}: the defineRelations callback parameter is destructured; the edit writes r.one / r.many.`,
      );
    const helpers = parameter?.getName() ?? DEFAULT_HELPERS;
    if (!parameter) callback.addParameter({ name: helpers });

    for (const entry of entries) {
      const expression = entry.expression(helpers);
      let tableProperty = returned.getProperty(entry.table);
      tableProperty ??= appendProperty(sourceFile, tsMorph, returned, entry.table, "{}");
      const tableObject = Node.isPropertyAssignment(tableProperty) ? tableProperty.getInitializer() : undefined;
      if (!tableObject || !Node.isObjectLiteralExpression(tableObject))
        throw new GenerationError(`Cannot edit ${file}: the relations of ${entry.table} are not an object literal.`);
      const existing = tableObject.getProperty(entry.name);
      if (existing) {
        const text = Node.isPropertyAssignment(existing) ? existing.getInitializer()?.getText() : undefined;
        if (text === undefined || comparable(text) !== comparable(expression)) {
          throw new GenerationError(
            `Cannot add ${entry.table}.${entry.name}: ${expression} to ${file}: relation "${entry.name}" exists with another definition.`,
          );
        }
        continue;
      }
      appendProperty(sourceFile, tsMorph, tableObject, entry.name, expression);
    }
  });
}
