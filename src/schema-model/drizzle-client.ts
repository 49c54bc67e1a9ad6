import path from "node:path";

import type { Node as MorphNode } from "ts-morph";

import type { Tree } from "../core/tree.js";
import type { Casing, DrizzleClient } from "./model.js";
import type { SourceGraph } from "./source-graph.js";
import { isDrizzleModule } from "./source-graph.js";
import { fileScope, propertyValue, resolveReference, staticObject, staticString, unwrap } from "./static-values.js";

const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", ".next", "coverage", ".git", ".turbo", "out"]);
// drizzle-kit's output folders at the package root; deeper, `src/drizzle/` is often the module holding the client.
const SKIPPED_AT_ROOT = new Set(["drizzle", "migrations"]);
const SOURCE_FILE = /\.[cm]?tsx?$/;
const TEST_FILE = /\.(?:test|spec)\.[cm]?tsx?$/;
// Where the drizzle client lives in practice, most likely first; files are only listed, and read in this order.
const RANKS = [
  /(?:^|\/)(?:db|database|drizzle)(?:\/|\.|-|$)/i,
  /(?:^|\/)(?:server|lib|infra|config|client|data)(?:\/|\.|-|$)/i,
];
const MAX_DEPTH = 6;
const MAX_LISTED = 5_000;

const rankOf = (file: string): number => {
  const rank = RANKS.findIndex((pattern) => pattern.test(file));
  return rank === -1 ? RANKS.length : rank;
};

/** Source files under `root` that may hold the drizzle client, the likeliest (a `db` path) first. */
export function clientCandidates(tree: Tree, root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH || found.length >= MAX_LISTED) return;
    for (const name of tree.children(dir)) {
      if (SKIPPED_DIRS.has(name) || name.startsWith(".") || (depth === 0 && SKIPPED_AT_ROOT.has(name))) continue;
      const child = dir ? path.posix.join(dir, name) : name;
      if (SOURCE_FILE.test(name)) {
        if (!TEST_FILE.test(name) && !name.endsWith(".d.ts")) found.push(child);
      } else if (!name.includes(".")) walk(child, depth + 1); // other files are never read, only listed
    }
  };
  walk(root, 0);
  return found
    .map((file, index) => ({ file, index, rank: rankOf(file) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ file }) => file);
}

export interface ClientFacts extends DrizzleClient {
  /** Files the `schema` option is imported from (`import * as schema from "./schema"`). */
  schemaFiles: string[];
  casing: Casing | null;
  /** The instance is exported with a type annotation (`db: NodePgDatabase<typeof schema>`), which has no `$client`. */
  declaredType: boolean;
}

/**
 * How other modules import the instance a `drizzle(...)` call makes: the exported const it initialises,
 * `export default drizzle(...)`, or a const exported later (`export default db`, `export { db }`). Undefined for a
 * call made inside a function or class (a NestJS provider factory, a service method): there is nothing to import.
 */
function exportOf(graph: SourceGraph, call: MorphNode): { name: string; declaredType: boolean } | undefined {
  const { Node, SyntaxKind } = graph.tsMorph;
  const parent = unwrapParents(graph, call);
  if (Node.isExportAssignment(parent) && !parent.isExportEquals()) return { name: "default", declaredType: false };
  if (!Node.isVariableDeclaration(parent) || !Node.isIdentifier(parent.getNameNode())) return undefined;
  const statement = parent.getVariableStatement();
  // Only a module-level const is importable (not one declared inside a function that happens to be exported).
  if (!statement || !Node.isSourceFile(statement.getParent())) return undefined;
  const declaredType = parent.getTypeNode() !== undefined;
  const local = parent.getName();
  if (statement.isExported()) return { name: local, declaredType };
  const sourceFile = call.getSourceFile();
  for (const assignment of sourceFile.getExportAssignments()) {
    if (!assignment.isExportEquals() && assignment.getExpression().getText() === local)
      return { name: "default", declaredType };
  }
  for (const declaration of sourceFile.getDescendantsOfKind(SyntaxKind.ExportDeclaration)) {
    if (declaration.getModuleSpecifier() || declaration.isTypeOnly()) continue;
    const named = declaration.getNamedExports().find((specifier) => specifier.getName() === local);
    if (named) return { name: named.getAliasNode()?.getText() ?? local, declaredType };
  }
  return undefined;
}

/** The node a call's value lands in, past `( )`, `as`, `satisfies` and `!` around it. */
function unwrapParents(graph: SourceGraph, node: MorphNode): MorphNode | undefined {
  const { Node } = graph.tsMorph;
  let current = node.getParent();
  while (
    current &&
    (Node.isParenthesizedExpression(current) ||
      Node.isAsExpression(current) ||
      Node.isSatisfiesExpression(current) ||
      Node.isNonNullExpression(current))
  ) {
    current = current.getParent();
  }
  return current;
}

/**
 * The repo's `drizzle(...)` call wherever it is made (module level, a provider factory, a class method, a default
 * export): whether it passes `{ schema }`, where that schema is imported from, its driver and how it is exported.
 * A call given a schema wins over one without (a migration script's `drizzle(pool)` is not the app's client).
 */
export function findDrizzleClient(graph: SourceGraph, candidates: readonly string[]): ClientFacts | null {
  const { SyntaxKind } = graph.tsMorph;
  let withoutSchema: ClientFacts | null = null;
  for (const file of candidates) {
    const text = graph.tree.read(file);
    if (!text || !/drizzle-orm\//.test(text) || !text.includes("drizzle(")) continue;
    const sourceFile = graph.file(file);
    if (!sourceFile) continue;
    const scope = fileScope(file);
    for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const resolved = resolveReference(graph, call.getExpression(), scope);
      if (resolved?.kind !== "package" || resolved.name !== "drizzle" || !isDrizzleModule(resolved.module)) continue;
      const driver = resolved.module.endsWith("/node-postgres")
        ? "node-postgres"
        : resolved.module.endsWith("/postgres-js")
          ? "postgres-js"
          : "other";
      // drizzle(client, { schema }) or drizzle({ client, schema }); Drizzle 1.0: { relations } from defineRelations.
      const options = call
        .getArguments()
        .map((arg) => staticObject(graph, arg, scope)?.object)
        .find(
          (object) => object && (propertyValue(graph, object, "schema") ?? propertyValue(graph, object, "relations")),
        );
      const schemaNode = options && propertyValue(graph, options, "schema");
      const relationsNode = options && propertyValue(graph, options, "relations");
      const casingNode = options && propertyValue(graph, options, "casing");
      const casing = casingNode ? staticString(graph, casingNode, scope) : undefined;
      const exported = exportOf(graph, call);
      const facts: ClientFacts = {
        file,
        exportName: exported?.name,
        line: call.getStartLineNumber(),
        hasSchema: schemaNode !== undefined || relationsNode !== undefined,
        driver,
        schemaFiles: [
          ...(schemaNode ? schemaSources(graph, schemaNode, file) : []),
          ...(relationsNode ? schemaSources(graph, relationsNode, file) : []),
        ],
        casing: casing === "snake_case" || casing === "camelCase" ? casing : null,
        declaredType: exported?.declaredType ?? false,
      };
      if (facts.hasSchema) return facts;
      withoutSchema ??= facts;
    }
  }
  return withoutSchema;
}

/** `schema` as passed: a namespace import, or `{ ...schema, ...relations }` of them. */
function schemaSources(graph: SourceGraph, node: MorphNode, file: string): string[] {
  const { Node } = graph.tsMorph;
  const scope = fileScope(file);
  const target = unwrap(graph, node);
  const resolved = resolveReference(graph, target, scope);
  if (resolved?.kind === "namespace") return [resolved.file];
  if (resolved?.kind === "package-namespace" && !isDrizzleModule(resolved.module))
    graph.schemaPackages.add(resolved.module);
  const object = staticObject(graph, target, scope);
  // `const schema = { ...shared, ...own }` in the client file: that file, and the packages its spreads name.
  const files = new Set<string>(resolved?.kind === "local" ? [resolved.file] : []);
  if (!object) return [...files];
  for (const property of object.object.getProperties()) {
    const value = Node.isSpreadAssignment(property)
      ? property.getExpression()
      : Node.isShorthandPropertyAssignment(property)
        ? property.getNameNode()
        : Node.isPropertyAssignment(property)
          ? property.getInitializer()
          : undefined;
    const source = value ? resolveReference(graph, value, scope) : undefined;
    if (source?.kind === "namespace" || source?.kind === "local") files.add(source.file);
    else if (source?.kind === "package-namespace" && !isDrizzleModule(source.module))
      graph.schemaPackages.add(source.module);
  }
  return [...files];
}
