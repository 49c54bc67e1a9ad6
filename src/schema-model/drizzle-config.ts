import path from "node:path";

import type { Node as MorphNode, ObjectLiteralExpression } from "ts-morph";

import { locateDrizzleConfig } from "../core/repo/drizzle-config-location.js";
import type { DiagnosticLog } from "./diagnostics.js";
import type { Casing } from "./model.js";
import type { SourceGraph } from "./source-graph.js";
import {
  fileScope,
  propertyValue,
  resolveName,
  staticObject,
  staticString,
  staticStrings,
  unwrap,
} from "./static-values.js";

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
      if (resolved?.kind === "local" && Node.isVariableDeclaration(resolved.node))
        return fromExpression(resolved.node.getInitializer());
    }
    return staticObject(graph, target, scope)?.object;
  };
  const exported =
    sourceFile.getExportAssignment((assignment) => !assignment.isExportEquals()) ??
    sourceFile.getExportAssignment(() => true);
  if (exported) return fromExpression(exported.getExpression());
  for (const statement of sourceFile.getStatements()) {
    const expression = Node.isExpressionStatement(statement) ? statement.getExpression() : undefined;
    if (expression && Node.isBinaryExpression(expression) && expression.getLeft().getText() === "module.exports")
      return fromExpression(expression.getRight());
  }
  return undefined;
}

/** Where a `schema` entry points: drizzle-kit resolves it from where it runs (the package root), not from the config's folder. */
const fromPackageRoot = (root: string, entry: string): string =>
  path.posix.normalize(path.posix.join(root, entry)).replace(/\/$/, "");

/** The package's scripts: the config they pass to drizzle-kit with `--config` is the one it reads. */
function packageScripts(graph: SourceGraph, root: string): Record<string, string> | undefined {
  const text = graph.tree.read(root ? path.posix.join(root, "package.json") : "package.json");
  try {
    const scripts = text ? (JSON.parse(text) as { scripts?: unknown }).scripts : undefined;
    return scripts && typeof scripts === "object" ? (scripts as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** The package's drizzle config (the one its scripts pass, at its root, or in a subfolder), with its `schema` entries and `casing`. */
export function readDrizzleConfig(graph: SourceGraph, root: string, log: DiagnosticLog): DrizzleConfig | null {
  const lookup = { read: (file: string) => graph.tree.read(file), list: (dir: string) => graph.tree.children(dir) };
  const file = locateDrizzleConfig(lookup, root, packageScripts(graph, root));
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
    if (many) schema = many.map((entry) => fromPackageRoot(root, entry));
    else
      log.add(
        "config-not-readable",
        file,
        schemaNode,
        `schema: ${schemaNode.getText()} is not a static string or array of strings`,
      );
  }
  const casingNode = propertyValue(graph, object, "casing");
  const casing = casingNode ? staticString(graph, casingNode, scope) : undefined;
  return { file, schema, casing: casing === "snake_case" || casing === "camelCase" ? casing : null };
}
