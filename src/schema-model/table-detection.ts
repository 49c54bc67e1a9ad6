import type { CallExpression, Node as MorphNode } from "ts-morph";

import type { Casing, SchemaTable } from "./model.js";
import type { SourceGraph } from "./source-graph.js";
import { isDrizzleExport } from "./source-graph.js";
import type { Scope } from "./static-values.js";
import {
  callScope,
  constInitializer,
  functionOf,
  MAX_DEPTH,
  resolveReference,
  returnedExpression,
  staticString,
  unwrap,
} from "./static-values.js";

/** A call that makes a table, with its arguments and the scope to read them in. */
export interface TableCall {
  via: SchemaTable["via"];
  call: CallExpression;
  scope: Scope;
  nameArg?: MorphNode;
  columnsArg?: MorphNode;
  extraArg?: MorphNode;
  pgSchema?: string;
  /** drizzle-orm 1.0's `snakeCase.table` / `snakeCase.schema(..).table`: how unnamed columns get their SQL names. */
  casing?: Casing;
  /** SQL name from the declared name (a `pgTableCreator` prefix); undefined when the prefix cannot be read. */
  sqlName: (declared: string) => string | undefined;
}

const identity = (name: string): string => name;
const DEFAULT_PG_SCHEMA = "public";

// drizzle-orm 1.0's casing helpers (`snakeCase.table`, `snakeCase.schema("app")`): its client has no `casing` option.
const CASING_HELPERS: Record<string, Casing> = { snakeCase: "snake_case", camelCase: "camelCase" };

/** `snakeCase` / `camelCase` of drizzle-orm/pg-core (1.0): the casing its tables map unnamed columns with. */
function casingHelper(graph: SourceGraph, node: MorphNode, scope: Scope): Casing | undefined {
  const resolved = resolveReference(graph, unwrap(graph, node), scope);
  const name = Object.keys(CASING_HELPERS).find((helper) => isDrizzleExport(resolved, helper));
  return name ? CASING_HELPERS[name] : undefined;
}

/** `pgSchema("app")` or 1.0's `snakeCase.schema("app")`, or a const holding it: the schema name (and casing). */
function pgSchemaName(
  graph: SourceGraph,
  node: MorphNode,
  scope: Scope,
  depth = 0,
): { name: string; casing?: Casing } | undefined {
  const { Node } = graph.tsMorph;
  const target = unwrap(graph, node);
  if (Node.isCallExpression(target)) {
    const expression = unwrap(graph, target.getExpression());
    const [nameArg] = target.getArguments();
    const name = nameArg && staticString(graph, nameArg, scope);
    if (name === undefined) return undefined;
    if (Node.isPropertyAccessExpression(expression) && expression.getName() === "schema") {
      const casing = casingHelper(graph, expression.getExpression(), scope);
      return casing ? { name, casing } : undefined;
    }
    return isDrizzleExport(resolveReference(graph, expression, scope), "pgSchema") ? { name } : undefined;
  }
  if (Node.isIdentifier(target) && depth < MAX_DEPTH) {
    const initializer = constInitializer(graph, resolveReference(graph, target, scope));
    return initializer ? pgSchemaName(graph, initializer.node, initializer.scope, depth + 1) : undefined;
  }
  return undefined;
}

/** `pgTableCreator((name) => \`acme_${name}\`)`: the name function, when its body is static. */
function creatorNaming(
  graph: SourceGraph,
  creatorCall: CallExpression,
  scope: Scope,
): (declared: string) => string | undefined {
  const { Node } = graph.tsMorph;
  const [callback] = creatorCall.getArguments();
  const fn = callback && unwrap(graph, callback);
  if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return () => undefined;
  const parameter = fn.getParameters()[0]?.getName();
  const body = returnedExpression(graph, fn);
  if (!parameter || !body) return () => undefined;
  return (declared) => staticString(graph, body, scope, new Map([[parameter, declared]]));
}

function withArgs(
  call: CallExpression,
  scope: Scope,
  rest: Omit<TableCall, "call" | "scope" | "nameArg" | "columnsArg" | "extraArg">,
): TableCall {
  const [nameArg, columnsArg, extraArg] = call.getArguments();
  return { ...rest, call, scope, nameArg, columnsArg, extraArg };
}

/**
 * Whether `node` makes a table, by what it IS (never by its name): a call of `pgTable`, of a
 * `pgTableCreator` factory, of `pgSchema(...).table` (or a pgSchema const's `.table`), or of a local
 * function that returns one of those.
 */
export function detectTableCall(graph: SourceGraph, node: MorphNode, scope: Scope, depth = 0): TableCall | undefined {
  const { Node } = graph.tsMorph;
  const call = unwrap(graph, node);
  if (!Node.isCallExpression(call) || depth > MAX_DEPTH) return undefined;
  const callee = unwrap(graph, call.getExpression());

  // `pgTable(...).enableRLS()` is the table itself.
  if (Node.isPropertyAccessExpression(callee) && callee.getName() === "enableRLS")
    return detectTableCall(graph, callee.getExpression(), scope, depth + 1);

  if (Node.isPropertyAccessExpression(callee) && callee.getName() === "table") {
    const schema = pgSchemaName(graph, callee.getExpression(), scope);
    if (schema !== undefined)
      return withArgs(call, scope, {
        via: "pgSchema",
        pgSchema: schema.name === DEFAULT_PG_SCHEMA ? undefined : schema.name,
        ...(schema.casing ? { casing: schema.casing } : {}),
        sqlName: identity,
      });
    const casing = casingHelper(graph, callee.getExpression(), scope);
    if (casing) return withArgs(call, scope, { via: "pgTable", casing, sqlName: identity });
  }

  const resolved = resolveReference(graph, callee, scope);
  if (isDrizzleExport(resolved, "pgTable")) return withArgs(call, scope, { via: "pgTable", sqlName: identity });

  const initializer = constInitializer(graph, resolved);
  const creator = initializer && unwrap(graph, initializer.node);
  if (
    creator &&
    Node.isCallExpression(creator) &&
    isDrizzleExport(resolveReference(graph, creator.getExpression(), initializer.scope), "pgTableCreator")
  ) {
    return withArgs(call, scope, { via: "pgTableCreator", sqlName: creatorNaming(graph, creator, initializer.scope) });
  }

  const wrapper = functionOf(graph, resolved);
  const returned = wrapper && returnedExpression(graph, wrapper.fn);
  if (wrapper && returned) {
    const inner = detectTableCall(
      graph,
      returned,
      callScope(graph, wrapper.fn, wrapper.scope, call.getArguments(), scope),
      depth + 1,
    );
    if (inner) return { ...inner, via: "wrapper" };
  }
  return undefined;
}
