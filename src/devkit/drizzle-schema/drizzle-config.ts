import path from "node:path";

import type { Node as MorphNode, ObjectLiteralExpression } from "ts-morph";

import type { DiagnosticLog } from "./diagnostics.js";
import type { Casing } from "./model.js";
import type { SourceGraph } from "./source-graph.js";
import { fileScope, propertyValue, resolveName, staticObject, staticString, staticStrings, unwrap } from "./static-values.js";

export const DRIZZLE_CONFIG_FILES = ["drizzle.config.ts", "drizzle.config.mts", "drizzle.config.cts", "drizzle.config.js", "drizzle.config.mjs", "drizzle.config.cjs"];

export interface DrizzleConfig {
  file: string;
  /** `schema` entries as tree paths (files, folders or globs); empty when absent or unreadable. */
  schema: string[];
  casing: Casing | null;
}

/** The object a config file exports: `defineConfig({...})`, `{...} satisfies Config`, a const, or `module.exports =`. */
function configObject(graph: SourceGraph, file: string): ObjectLiteralExpression | undefined {
  const { Node } = graph.tsMorph;
  const sourceFile = graph.file(file);
  if (!sourceFile) return undefined;
  const scope = fileScope(file);
  const fromExpression = (expression: MorphNode | undefined): ObjectLiteralExpression | undefined => {
    const target = expression && unwrap(graph, expression);
    if (!target) return undefined;
    if (Node.isCallExpression(target)) return fromExpression(target.getArguments()[0]);
    if (Node.isIdentifier(target)) {
      const resolved = resolveName(graph, scope, target.getText());
      if (resolved?.kind === "local" && Node.isVariableDeclaration(resolved.node)) return fromExpression(resolved.node.getInitializer());
    }
    return staticObject(graph, target, scope)?.object;
  };
  const exported = sourceFile.getExportAssignment((assignment) => !assignment.isExportEquals()) ?? sourceFile.getExportAssignment(() => true);
  if (exported) return fromExpression(exported.getExpression());
  for (const statement of sourceFile.getStatements()) {
    const expression = Node.isExpressionStatement(statement) ? statement.getExpression() : undefined;
    if (expression && Node.isBinaryExpression(expression) && expression.getLeft().getText() === "module.exports") return fromExpression(expression.getRight());
  }
  return undefined;
}

/** Where a `schema` entry points, relative to the config file's folder. */
const fromConfigDir = (configFile: string, entry: string): string => path.posix.normalize(path.posix.join(path.posix.dirname(configFile), entry)).replace(/\/$/, "");

/** The first `drizzle.config.*` under `root`, with its `schema` entries and `casing`. */
export function readDrizzleConfig(graph: SourceGraph, root: string, log: DiagnosticLog): DrizzleConfig | null {
  const file = DRIZZLE_CONFIG_FILES.map((name) => (root ? path.posix.join(root, name) : name)).find((candidate) => graph.tree.read(candidate) !== null);
  if (!file) return null;
  const object = configObject(graph, file);
  if (!object) {
    log.add("config-not-readable", file, 1, "the exported config is not an object literal the model can read");
    return { file, schema: [], casing: null };
  }
  const scope = fileScope(file);
  const schemaNode = propertyValue(graph, object, "schema");
  let schema: string[] = [];
  if (schemaNode) {
    const single = staticString(graph, schemaNode, scope);
    const many = single === undefined ? staticStrings(graph, schemaNode, scope) : [single];
    if (many) schema = many.map((entry) => fromConfigDir(file, entry));
    else log.add("config-not-readable", file, schemaNode, `schema: ${schemaNode.getText()} is not a static string or array of strings`);
  }
  const casingNode = propertyValue(graph, object, "casing");
  const casing = casingNode ? staticString(graph, casingNode, scope) : undefined;
  return { file, schema, casing: casing === "snake_case" || casing === "camelCase" ? casing : null };
}
