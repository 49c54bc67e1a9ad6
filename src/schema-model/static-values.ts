import type { Expression, Node as MorphNode, ObjectLiteralExpression } from "ts-morph";

import type { Binding, SourceGraph } from "./source-graph.js";

/**
 * Where an expression is read: its file, and what the parameters of an inlined wrapper function stand for
 * (`auditedTable("projects", {...})` -> `name` = `"projects"` read in the caller's file).
 */
export interface Scope {
  file: string;
  params: ReadonlyMap<string, { node: MorphNode; scope: Scope }>;
  /** The parameter of a columns callback (`(d) => ({ id: d.integer() })`). */
  builderParam?: string;
}

export const fileScope = (file: string): Scope => ({ file, params: new Map() });

export type Resolved = Binding | { kind: "param"; node: MorphNode; scope: Scope };

const MAX_INLINE_DEPTH = 8;

/** Strips `( )`, `as`, `satisfies`, `!` and `<T>x` around an expression. */
export function unwrap(graph: SourceGraph, node: MorphNode): MorphNode {
  const { Node } = graph.tsMorph;
  let current = node;
  while (
    Node.isParenthesizedExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isSatisfiesExpression(current) ||
    Node.isNonNullExpression(current) ||
    Node.isTypeAssertion(current)
  ) {
    current = current.getExpression();
  }
  return current;
}

export function resolveName(graph: SourceGraph, scope: Scope, name: string): Resolved | undefined {
  const param = scope.params.get(name);
  if (param) return { kind: "param", ...param };
  return graph.resolve(scope.file, name);
}

/** What an identifier or `ns.name` callee stands for. */
export function resolveReference(graph: SourceGraph, node: MorphNode, scope: Scope): Resolved | undefined {
  const { Node } = graph.tsMorph;
  const target = unwrap(graph, node);
  if (Node.isIdentifier(target)) return resolveName(graph, scope, target.getText());
  if (Node.isPropertyAccessExpression(target)) {
    const owner = resolveReference(graph, target.getExpression(), scope);
    if (owner?.kind === "package-namespace") return { kind: "package", module: owner.module, name: target.getName() };
    if (owner?.kind === "namespace") return graph.resolveExport(owner.file, target.getName());
  }
  return undefined;
}

/** The initializer of a top-level `const`, with the scope of its file. */
export function constInitializer(
  graph: SourceGraph,
  resolved: Resolved | undefined,
): { node: MorphNode; scope: Scope } | undefined {
  if (!resolved) return undefined;
  if (resolved.kind === "param") return { node: resolved.node, scope: resolved.scope };
  if (resolved.kind !== "local" || !graph.tsMorph.Node.isVariableDeclaration(resolved.node)) return undefined;
  const initializer = resolved.node.getInitializer();
  return initializer ? { node: initializer, scope: fileScope(resolved.file) } : undefined;
}

/** A string known without running anything: literals, templates and `+` of literals, consts and known parameters. */
export function staticString(
  graph: SourceGraph,
  node: MorphNode,
  scope: Scope,
  values: ReadonlyMap<string, string> = new Map(),
  depth = 0,
): string | undefined {
  const { Node } = graph.tsMorph;
  const target = unwrap(graph, node);
  if (depth > MAX_INLINE_DEPTH) return undefined;
  if (Node.isStringLiteral(target) || Node.isNoSubstitutionTemplateLiteral(target)) return target.getLiteralValue();
  if (Node.isTemplateExpression(target)) {
    let text = target.getHead().getLiteralText();
    for (const span of target.getTemplateSpans()) {
      const part = staticString(graph, span.getExpression(), scope, values, depth + 1);
      if (part === undefined) return undefined;
      text += part + span.getLiteral().getLiteralText();
    }
    return text;
  }
  if (Node.isBinaryExpression(target) && target.getOperatorToken().getText() === "+") {
    const left = staticString(graph, target.getLeft(), scope, values, depth + 1);
    const right = staticString(graph, target.getRight(), scope, values, depth + 1);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (Node.isIdentifier(target)) {
    const known = values.get(target.getText());
    if (known !== undefined) return known;
    const initializer = constInitializer(graph, resolveName(graph, scope, target.getText()));
    return initializer ? staticString(graph, initializer.node, initializer.scope, new Map(), depth + 1) : undefined;
  }
  return undefined;
}

/** String elements of an array literal (or a const holding one); undefined when any is not static. */
export function staticStrings(graph: SourceGraph, node: MorphNode, scope: Scope, depth = 0): string[] | undefined {
  const { Node } = graph.tsMorph;
  const target = unwrap(graph, node);
  if (Node.isArrayLiteralExpression(target)) {
    const values = target.getElements().map((element) => staticString(graph, element, scope));
    return values.every((value): value is string => value !== undefined) ? values : undefined;
  }
  if (Node.isIdentifier(target) && depth < MAX_INLINE_DEPTH) {
    const initializer = constInitializer(graph, resolveName(graph, scope, target.getText()));
    return initializer ? staticStrings(graph, initializer.node, initializer.scope, depth + 1) : undefined;
  }
  return undefined;
}

/** An object literal: written inline, a const, or a parameter bound to one. */
export function staticObject(
  graph: SourceGraph,
  node: MorphNode,
  scope: Scope,
  depth = 0,
): { object: ObjectLiteralExpression; scope: Scope } | undefined {
  const { Node } = graph.tsMorph;
  const target = unwrap(graph, node);
  if (Node.isObjectLiteralExpression(target)) return { object: target, scope };
  if (Node.isIdentifier(target) && depth < MAX_INLINE_DEPTH) {
    const initializer = constInitializer(graph, resolveName(graph, scope, target.getText()));
    return initializer ? staticObject(graph, initializer.node, initializer.scope, depth + 1) : undefined;
  }
  return undefined;
}

/** A property of an object literal by name: its value expression (shorthand `{ schema }` gives the identifier). */
export function propertyValue(
  graph: SourceGraph,
  object: ObjectLiteralExpression,
  name: string,
): MorphNode | undefined {
  const { Node } = graph.tsMorph;
  const property = object.getProperty(name);
  if (!property) return undefined;
  if (Node.isPropertyAssignment(property)) return property.getInitializer();
  if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
  return undefined;
}

/** The expression a function returns: an arrow's expression body, or its last `return`. */
export function returnedExpression(graph: SourceGraph, fn: MorphNode): Expression | undefined {
  const { Node } = graph.tsMorph;
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn) && !Node.isFunctionDeclaration(fn)) return undefined;
  const body = fn.getBody();
  if (!body) return undefined;
  if (!Node.isBlock(body)) return body as Expression;
  const last = body.getStatements().at(-1);
  return last && Node.isReturnStatement(last) ? last.getExpression() : undefined;
}

/** The function a binding names: `function f() {}` or `const f = () => ...`. */
export function functionOf(
  graph: SourceGraph,
  resolved: Resolved | undefined,
): { fn: MorphNode; scope: Scope } | undefined {
  const { Node } = graph.tsMorph;
  if (resolved?.kind !== "local") return undefined;
  if (Node.isFunctionDeclaration(resolved.node)) return { fn: resolved.node, scope: fileScope(resolved.file) };
  const initializer = Node.isVariableDeclaration(resolved.node) ? resolved.node.getInitializer() : undefined;
  const fn = initializer && unwrap(graph, initializer);
  return fn && (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))
    ? { fn, scope: fileScope(resolved.file) }
    : undefined;
}

/** The scope inside an inlined call: the function's parameters bound to the call's arguments. */
export function callScope(
  graph: SourceGraph,
  fn: MorphNode,
  fnScope: Scope,
  args: readonly MorphNode[],
  callerScope: Scope,
): Scope {
  const { Node } = graph.tsMorph;
  const params = new Map<string, { node: MorphNode; scope: Scope }>();
  if (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isFunctionDeclaration(fn)) {
    fn.getParameters().forEach((parameter, index) => {
      const arg = args[index];
      if (arg && Node.isIdentifier(parameter.getNameNode()))
        params.set(parameter.getName(), { node: arg, scope: callerScope });
    });
  }
  return { file: fnScope.file, params };
}

/** Key of a top-level declaration: the same table reached through different imports is one table. */
export const declarationKey = (file: string, name: string): string => `${file}#${name}`;

export const MAX_DEPTH = MAX_INLINE_DEPTH;
