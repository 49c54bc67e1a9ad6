import type { CallExpression, Node as MorphNode } from "ts-morph";

import type { SchemaRelation } from "./model.js";
import type { SourceGraph } from "./source-graph.js";
import { isDrizzleExport } from "./source-graph.js";
import {
  declarationKey,
  fileScope,
  propertyValue,
  resolveReference,
  returnedExpression,
  staticObject,
  staticString,
  unwrap,
} from "./static-values.js";

/** A `relations(table, ...)` entry before tables are linked: declarations instead of table names. */
export interface PendingRelation extends Omit<SchemaRelation, "target"> {
  targetKey?: string;
  targetText: string;
}

export interface PendingRelations {
  /** `file#name` of the table the relations belong to. */
  tableKey?: string;
  tableText: string;
  file: string;
  line: number;
  relations: PendingRelation[];
}

export interface RelationsScan {
  found: PendingRelations[];
  defineRelations: { file: string; line: number } | null;
  /** Module-level exported consts a `defineRelations` / `defineRelationsPart` call initialises (what a client imports). */
  relationsExports: Array<{ file: string; name: string; part: boolean }>;
  /** The first v0 `relations(table, ...)` call of the file. */
  legacyRelations: { file: string; line: number } | null;
  /** Every Drizzle 1.0 `defineRelations` / `defineRelationsPart` call of the file (define-relations.ts reads them). */
  v2Calls: CallExpression[];
}

const V2_FUNCTIONS = ["defineRelations", "defineRelationsPart"];

/** Reads every `relations()` of a file, wherever it is (beside a table, in a `relations.ts`), and spots Drizzle 1.0's `defineRelations`. */
export function scanRelations(
  graph: SourceGraph,
  file: string,
  report: (node: MorphNode, message: string) => void,
): RelationsScan {
  const { Node, SyntaxKind } = graph.tsMorph;
  const scan: RelationsScan = {
    found: [],
    defineRelations: null,
    v2Calls: [],
    relationsExports: [],
    legacyRelations: null,
  };
  const sourceFile = graph.file(file);
  if (!sourceFile) return scan;
  const text = sourceFile.getFullText();
  if (!text.includes("relations") && !text.includes("Relations")) return scan;
  const scope = fileScope(file);
  const tableKeyOf = (node: MorphNode | undefined): { key?: string; text: string } => {
    if (!node) return { text: "" };
    const resolved = resolveReference(graph, node, scope);
    return {
      key: resolved?.kind === "local" ? declarationKey(resolved.file, resolved.name) : undefined,
      text: unwrap(graph, node).getText(),
    };
  };
  const columnNames = (node: MorphNode | undefined): string[] => {
    const target = node && unwrap(graph, node);
    return target && Node.isArrayLiteralExpression(target)
      ? target.getElements().map((element) => element.getText().split(".").pop() ?? "")
      : [];
  };

  const readRelations = (call: CallExpression): void => {
    const [tableArg, callback] = call.getArguments();
    const table = tableKeyOf(tableArg);
    const entry: PendingRelations = {
      tableKey: table.key,
      tableText: table.text,
      file,
      line: call.getStartLineNumber(),
      relations: [],
    };
    const fn = callback && unwrap(graph, callback);
    const returned = fn && returnedExpression(graph, fn);
    const object = returned && staticObject(graph, returned, scope);
    if (!fn || !object || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) {
      report(call, `relations(${table.text}, ...) does not return an object literal the model can read`);
      scan.found.push(entry);
      return;
    }
    // `({ one, many })`, `({ one: hasOne })` or `(helpers) => helpers.one(...)`.
    const helperNames = new Map<string, "one" | "many">();
    const parameter = fn.getParameters()[0];
    const binding = parameter?.getNameNode();
    if (binding && Node.isObjectBindingPattern(binding)) {
      for (const element of binding.getElements()) {
        const original = element.getPropertyNameNode()?.getText() ?? element.getName();
        if (original === "one" || original === "many") helperNames.set(element.getName(), original);
      }
    }
    const helpersParam = binding && Node.isIdentifier(binding) ? binding.getText() : undefined;
    for (const property of object.object.getProperties()) {
      const value = Node.isPropertyAssignment(property)
        ? unwrap(graph, property.getInitializer() ?? property)
        : undefined;
      if (!value || !Node.isCallExpression(value) || !Node.isPropertyAssignment(property)) {
        report(property, `relation ${property.getText().slice(0, 40)} is not a one()/many() call`);
        continue;
      }
      const callee = unwrap(graph, value.getExpression());
      const kind = Node.isIdentifier(callee)
        ? helperNames.get(callee.getText())
        : Node.isPropertyAccessExpression(callee) &&
            callee.getExpression().getText() === helpersParam &&
            (callee.getName() === "one" || callee.getName() === "many")
          ? callee.getName()
          : undefined;
      const [targetArg, configArg] = value.getArguments();
      if (!kind || !targetArg) {
        report(property, `relation ${property.getName()} is not a one()/many() call`);
        continue;
      }
      const target = tableKeyOf(targetArg);
      const config = configArg ? staticObject(graph, configArg, scope) : undefined;
      const relationName = config && propertyValue(graph, config.object, "relationName");
      entry.relations.push({
        name: property.getName(),
        kind: kind as "one" | "many",
        targetKey: target.key,
        targetText: target.text,
        fields: config ? columnNames(propertyValue(graph, config.object, "fields")) : [],
        references: config ? columnNames(propertyValue(graph, config.object, "references")) : [],
        relationName: relationName ? staticString(graph, relationName, scope) : undefined,
        file,
        line: property.getStartLineNumber(),
      });
    }
    scan.found.push(entry);
  };

  // relations() is a top-level const in practice: looking only there avoids wrapping every node of a big file.
  // defineRelations is rare and may sit anywhere (an export default, a function): the whole file is searched for it.
  const topLevel = sourceFile
    .getVariableStatements()
    .flatMap((statement) => statement.getDeclarations().map((declaration) => declaration.getInitializer()));
  const calls = text.includes("defineRelations")
    ? sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)
    : topLevel
        .map((initializer) => initializer && unwrap(graph, initializer))
        .filter((node): node is CallExpression => node !== undefined && Node.isCallExpression(node));
  for (const call of calls) {
    const callee = call.getExpression();
    if (!Node.isIdentifier(callee) && !Node.isPropertyAccessExpression(callee)) continue;
    const name = Node.isIdentifier(callee) ? callee.getText() : callee.getName();
    if (name !== "relations" && !V2_FUNCTIONS.includes(name)) continue;
    const resolved = resolveReference(graph, callee, scope);
    if (isDrizzleExport(resolved, "relations")) {
      scan.legacyRelations ??= { file, line: call.getStartLineNumber() };
      readRelations(call);
    } else if (isDrizzleExport(resolved, ...V2_FUNCTIONS)) {
      scan.defineRelations ??= { file, line: call.getStartLineNumber() };
      scan.v2Calls.push(call);
      // `export const relations = defineRelations(...)` (through parentheses, `as` or `satisfies`).
      let declaration = call.getParent();
      while (
        declaration &&
        (Node.isParenthesizedExpression(declaration) ||
          Node.isAsExpression(declaration) ||
          Node.isSatisfiesExpression(declaration))
      )
        declaration = declaration.getParent();
      const statement = declaration?.getParent()?.getParent();
      if (
        declaration &&
        Node.isVariableDeclaration(declaration) &&
        Node.isIdentifier(declaration.getNameNode()) &&
        statement &&
        Node.isVariableStatement(statement) &&
        statement.isExported() &&
        Node.isSourceFile(statement.getParent())
      )
        scan.relationsExports.push({ file, name: declaration.getName(), part: name === "defineRelationsPart" });
    }
  }
  return scan;
}
