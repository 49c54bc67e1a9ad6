import type { Node as MorphNode, ObjectLiteralExpression } from "ts-morph";

import { applyCasing, builderTsType, enumUnion, isSerialBuilder } from "./column-types.js";
import type { Casing, ReferentialAction, SchemaColumn } from "./model.js";
import type { SourceGraph } from "./source-graph.js";
import { isDrizzleExport, isDrizzleModule } from "./source-graph.js";
import type { Resolved, Scope } from "./static-values.js";
import {
  callScope,
  constInitializer,
  declarationKey,
  functionOf,
  MAX_DEPTH,
  propertyValue,
  resolveName,
  resolveReference,
  returnedExpression,
  staticObject,
  staticString,
  staticStrings,
  unwrap,
} from "./static-values.js";

/** A `.references(() => x.id)` before tables are linked: the declaration `x` resolves to. */
export interface PendingReference {
  /** `file#name` of the referenced table's declaration; undefined when it could not be resolved. */
  targetKey?: string;
  targetText: string;
  column: string;
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  file: string;
  line: number;
}

export interface ParsedColumn extends SchemaColumn {
  pendingReference?: PendingReference;
}

export interface ColumnContext {
  graph: SourceGraph;
  casing: Casing | null;
  report: (
    node: MorphNode,
    scope: Scope,
    code: "column-not-readable" | "spread-not-readable" | "reference-not-readable",
    message: string,
  ) => void;
}

const DEFAULT_METHODS = new Set([
  "default",
  "defaultNow",
  "defaultRandom",
  "$default",
  "$defaultFn",
  "$onUpdate",
  "$onUpdateFn",
]);
const IDENTITY_METHODS = new Set(["generatedAlwaysAsIdentity", "generatedByDefaultAsIdentity"]);
const ENUM_FACTORIES = new Set(["pgEnum"]);

// Sizes the test data must fit: varchar/char length, numeric precision and scale.
const SIZE_OPTIONS = ["length", "precision", "scale"] as const;

/** `255` or `1_000` written in place (sizes are literals in real schemas). */
function staticInteger(ctx: ColumnContext, node: MorphNode): number | undefined {
  const target = unwrap(ctx.graph, node);
  if (!ctx.graph.tsMorph.Node.isNumericLiteral(target)) return undefined;
  const value = Number(target.getText().replaceAll("_", ""));
  return Number.isInteger(value) ? value : undefined;
}

interface Method {
  name: string;
  node: MorphNode;
  args: MorphNode[];
  typeArgs: string;
}

/** Whether `owner` in `owner.integer()` is where builders come from: the columns callback parameter or `import * as p`. */
function isBuilderSource(ctx: ColumnContext, owner: MorphNode, scope: Scope): boolean {
  const { Node } = ctx.graph.tsMorph;
  const target = unwrap(ctx.graph, owner);
  if (!Node.isIdentifier(target)) return false;
  if (scope.builderParam === target.getText()) return true;
  const resolved = resolveName(ctx.graph, scope, target.getText());
  return resolved?.kind === "package-namespace" && isDrizzleModule(resolved.module);
}

/** `pgEnum("status", [...])` or `app.enum("plan", [...])` behind a const: its values. */
function enumValuesOf(ctx: ColumnContext, resolved: Resolved | undefined): string[] | null | undefined {
  const { Node } = ctx.graph.tsMorph;
  const initializer = constInitializer(ctx.graph, resolved);
  const call = initializer && unwrap(ctx.graph, initializer.node);
  if (!initializer || !call || !Node.isCallExpression(call)) return undefined;
  const callee = unwrap(ctx.graph, call.getExpression());
  const isEnum =
    isDrizzleExport(resolveReference(ctx.graph, callee, initializer.scope), ...ENUM_FACTORIES) ||
    (Node.isPropertyAccessExpression(callee) && callee.getName() === "enum");
  if (!isEnum) return undefined;
  const valuesArg = call.getArguments()[1];
  return (valuesArg && staticStrings(ctx.graph, valuesArg, initializer.scope)) ?? null;
}

function newColumn(name: string, file: string, line: number): ParsedColumn {
  return {
    name,
    sqlName: name,
    builder: "",
    builderOptions: "",
    notNull: false,
    hasDefault: false,
    updatesItself: false,
    primaryKey: false,
    array: false,
    unique: false,
    tsType: "unknown",
    identity: false,
    generated: false,
    file,
    line,
  };
}

/** The builder call at the base of a chain: `integer("id")`, `d.integer()`, `status()`, or a helper returning a chain. */
function readBase(
  ctx: ColumnContext,
  name: string,
  base: MorphNode,
  scope: Scope,
  column: ParsedColumn,
  depth: number,
): ParsedColumn | undefined {
  const { Node } = ctx.graph.tsMorph;
  const node = unwrap(ctx.graph, base);
  if (Node.isIdentifier(node) && depth < MAX_DEPTH) {
    // `createdAt: createdAtColumn` / `{ id }`: a const holding a builder chain.
    const initializer = constInitializer(ctx.graph, resolveName(ctx.graph, scope, node.getText()));
    return initializer ? readChain(ctx, name, initializer.node, initializer.scope, column, depth + 1) : undefined;
  }
  if (!Node.isCallExpression(node)) return undefined;
  const callee = unwrap(ctx.graph, node.getExpression());
  const args = node.getArguments();
  let builder: string | undefined;
  if (Node.isPropertyAccessExpression(callee) && isBuilderSource(ctx, callee.getExpression(), scope))
    builder = callee.getName();
  const resolved = builder ? undefined : resolveReference(ctx.graph, callee, scope);
  if (resolved?.kind === "package" && isDrizzleModule(resolved.module)) builder = resolved.name;
  if (!builder && resolved) {
    const values = enumValuesOf(ctx, resolved);
    if (values !== undefined) {
      builder = Node.isIdentifier(callee) ? callee.getText() : (callee.getText().split(".").pop() ?? "");
      column.enumValues = values ?? undefined;
      column.tsType = values ? enumUnion(values) : "string";
    } else {
      // A helper (`const id = () => integer().primaryKey()`): read what it returns with its parameters bound.
      const helper = functionOf(ctx.graph, resolved);
      const returned = helper && returnedExpression(ctx.graph, helper.fn);
      if (helper && returned && depth < MAX_DEPTH) {
        return readChain(
          ctx,
          name,
          returned,
          callScope(ctx.graph, helper.fn, helper.scope, args, scope),
          column,
          depth + 1,
        );
      }
      const initializer = constInitializer(ctx.graph, resolved);
      const made = initializer && unwrap(ctx.graph, initializer.node);
      if (
        made &&
        Node.isCallExpression(made) &&
        isDrizzleExport(resolveReference(ctx.graph, made.getExpression(), initializer.scope), "customType")
      ) {
        builder = Node.isIdentifier(callee) ? callee.getText() : callee.getText();
      }
    }
  }
  if (!builder) return undefined;
  column.builder = builder;
  const [first] = args;
  const options = args.map((arg) => staticObject(ctx.graph, arg, scope)).find((found) => found !== undefined);
  const firstIsOptions = first !== undefined && staticObject(ctx.graph, first, scope) !== undefined;
  if (first && !firstIsOptions) {
    const sqlName = staticString(ctx.graph, first, scope);
    if (sqlName === undefined)
      ctx.report(
        first,
        scope,
        "column-not-readable",
        `column "${name}": the SQL name ${first.getText()} is not a static string`,
      );
    else column.sqlName = sqlName;
  } else {
    column.sqlName = applyCasing(name, ctx.casing);
  }
  if (options) {
    column.builderOptions = options.object.getText();
    const mode = propertyValue(ctx.graph, options.object, "mode");
    column.mode = mode ? staticString(ctx.graph, mode, options.scope) : undefined;
    for (const key of SIZE_OPTIONS) {
      const value = propertyValue(ctx.graph, options.object, key);
      const size = value && staticInteger(ctx, value);
      if (size !== undefined) column[key] = size;
    }
    const enumOption = propertyValue(ctx.graph, options.object, "enum");
    const values = enumOption && staticStrings(ctx.graph, enumOption, options.scope);
    if (values) {
      column.enumValues = values;
      column.tsType = enumUnion(values);
    }
  }
  if (!column.enumValues) column.tsType = builderTsType(builder, column.mode);
  if (isSerialBuilder(builder)) {
    column.identity = column.hasDefault = column.notNull = true;
  }
  return column;
}

function readReference(ctx: ColumnContext, method: Method, scope: Scope, column: ParsedColumn): void {
  const { Node } = ctx.graph.tsMorph;
  const [callback, actions] = method.args;
  const fn = callback && unwrap(ctx.graph, callback);
  const body = fn && returnedExpression(ctx.graph, fn);
  const target = body && unwrap(ctx.graph, body);
  const line = method.node.getStartLineNumber();
  if (!target || !Node.isPropertyAccessExpression(target)) {
    ctx.report(
      method.node,
      scope,
      "reference-not-readable",
      `column "${column.name}": .references(${callback?.getText() ?? ""}) is not \`() => table.column\``,
    );
    return;
  }
  const owner = unwrap(ctx.graph, target.getExpression());
  const resolved = resolveReference(ctx.graph, owner, scope);
  const pending: PendingReference = { targetText: owner.getText(), column: target.getName(), file: scope.file, line };
  if (resolved?.kind === "local") pending.targetKey = declarationKey(resolved.file, resolved.name);
  const options = actions ? staticObject(ctx.graph, actions, scope) : undefined;
  for (const key of ["onDelete", "onUpdate"] as const) {
    const value = options && propertyValue(ctx.graph, options.object, key);
    const text = value && staticString(ctx.graph, value, options.scope);
    if (text) pending[key] = text as ReferentialAction;
  }
  column.pendingReference = pending;
}

function applyMethod(ctx: ColumnContext, method: Method, scope: Scope, column: ParsedColumn): void {
  const { name } = method;
  if (name === "notNull") column.notNull = true;
  else if (name === "primaryKey") column.primaryKey = column.notNull = true;
  else if (name === "array") {
    column.array = true;
    column.tsType = `${column.tsType.includes("|") ? `(${column.tsType})` : column.tsType}[]`;
  } else if (name === "unique") column.unique = true;
  else if (DEFAULT_METHODS.has(name)) {
    column.hasDefault = true;
    if (name === "$onUpdate" || name === "$onUpdateFn") column.updatesItself = true;
  } else if (IDENTITY_METHODS.has(name)) column.identity = column.hasDefault = column.notNull = true;
  else if (name === "generatedAlwaysAs") column.generated = column.hasDefault = true;
  else if (name === "$type") {
    column.customType = method.typeArgs;
    column.tsType = method.typeArgs;
  } else if (name === "references") readReference(ctx, method, scope, column);
}

/** Walks `integer("author_id").notNull().references(() => users.id)` down to its builder, then applies the methods. */
function readChain(
  ctx: ColumnContext,
  name: string,
  initializer: MorphNode,
  scope: Scope,
  column: ParsedColumn,
  depth = 0,
): ParsedColumn | undefined {
  const { Node } = ctx.graph.tsMorph;
  const methods: Method[] = [];
  let current = unwrap(ctx.graph, initializer);
  while (Node.isCallExpression(current)) {
    const callee = unwrap(ctx.graph, current.getExpression());
    if (!Node.isPropertyAccessExpression(callee) || isBuilderSource(ctx, callee.getExpression(), scope)) break;
    const owner = unwrap(ctx.graph, callee.getExpression());
    // `app.enum(...)`-made enums are called directly; a property access on a namespace is a builder too.
    if (Node.isIdentifier(owner) && resolveName(ctx.graph, scope, owner.getText())?.kind.endsWith("namespace")) break;
    methods.unshift({
      name: callee.getName(),
      node: current,
      args: current.getArguments(),
      typeArgs: current
        .getTypeArguments()
        .map((arg) => arg.getText())
        .join(", "),
    });
    current = owner;
  }
  const base = readBase(ctx, name, current, scope, column, depth);
  if (!base) return undefined;
  for (const method of methods) applyMethod(ctx, method, scope, base);
  return base;
}

export function parseColumn(
  ctx: ColumnContext,
  name: string,
  initializer: MorphNode,
  scope: Scope,
): ParsedColumn | undefined {
  return readChain(ctx, name, initializer, scope, newColumn(name, scope.file, initializer.getStartLineNumber()));
}

/** Columns of an object literal, spreads (`...timestamps`) followed into the consts they name. */
export function parseColumnsObject(
  ctx: ColumnContext,
  object: ObjectLiteralExpression,
  scope: Scope,
  spreadFrom?: string,
  depth = 0,
): ParsedColumn[] {
  const { Node } = ctx.graph.tsMorph;
  const columns: ParsedColumn[] = [];
  for (const property of object.getProperties()) {
    if (Node.isSpreadAssignment(property)) {
      const expression = unwrap(ctx.graph, property.getExpression());
      const found = depth < MAX_DEPTH ? spreadObject(ctx, expression, scope) : undefined;
      if (!found) {
        ctx.report(
          property,
          scope,
          "spread-not-readable",
          `columns spread from ${expression.getText()} cannot be read statically (make it a const object literal in a schema file)`,
        );
        continue;
      }
      // A wrapper's own parameter (`...columns`) is the caller's columns, not a shared object.
      const isParameter = Node.isIdentifier(expression) && scope.params.has(expression.getText());
      const label =
        spreadFrom ?? (isParameter ? undefined : (expression.getText().split("(")[0] ?? expression.getText()));
      columns.push(...parseColumnsObject(ctx, found.object, found.scope, label, depth + 1));
      continue;
    }
    const key =
      Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property)
        ? property.getName()
        : undefined;
    const value =
      key === undefined
        ? undefined
        : Node.isPropertyAssignment(property)
          ? property.getInitializer()
          : property.getNameNode();
    const name = key?.replace(/^["']|["']$/g, "");
    const column = name && value ? parseColumn(ctx, name, value, scope) : undefined;
    if (!column) {
      ctx.report(
        property,
        scope,
        "column-not-readable",
        `column ${name ?? property.getText().slice(0, 40)} is not a pg-core builder chain the model can read`,
      );
      continue;
    }
    if (spreadFrom) column.spreadFrom = spreadFrom;
    columns.push(column);
  }
  return columns;
}

/** `...timestamps` (a const), `...columns` (a wrapper's parameter) or `...timestamps()` (a function returning an object). */
function spreadObject(
  ctx: ColumnContext,
  expression: MorphNode,
  scope: Scope,
): { object: ObjectLiteralExpression; scope: Scope } | undefined {
  const { Node } = ctx.graph.tsMorph;
  const direct = staticObject(ctx.graph, expression, scope);
  if (direct) return direct;
  if (!Node.isCallExpression(expression)) return undefined;
  const helper = functionOf(ctx.graph, resolveReference(ctx.graph, expression.getExpression(), scope));
  const returned = helper && returnedExpression(ctx.graph, helper.fn);
  return helper && returned
    ? staticObject(ctx.graph, returned, callScope(ctx.graph, helper.fn, helper.scope, expression.getArguments(), scope))
    : undefined;
}

/** The columns argument in any form: an object, a const, or a callback `(d) => ({ ... })`. */
export function parseColumnsArgument(ctx: ColumnContext, node: MorphNode, scope: Scope): ParsedColumn[] | undefined {
  const { Node } = ctx.graph.tsMorph;
  const target = unwrap(ctx.graph, node);
  if (Node.isArrowFunction(target) || Node.isFunctionExpression(target)) {
    const returned = returnedExpression(ctx.graph, target);
    const builderParam = target.getParameters()[0]?.getName();
    const object = returned ? staticObject(ctx.graph, returned, { ...scope, builderParam }) : undefined;
    return object ? parseColumnsObject(ctx, object.object, { ...object.scope, builderParam }) : undefined;
  }
  const object = staticObject(ctx.graph, target, scope);
  return object ? parseColumnsObject(ctx, object.object, object.scope) : undefined;
}
