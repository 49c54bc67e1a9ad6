import type { Node as MorphNode } from "ts-morph";

import type { ColumnBound, ReferentialAction, SchemaIndex } from "./model.js";
import type { SourceGraph } from "./source-graph.js";
import { isDrizzleModule } from "./source-graph.js";
import type { Scope } from "./static-values.js";
import {
  declarationKey,
  propertyValue,
  resolveReference,
  returnedExpression,
  staticObject,
  staticString,
  unwrap,
} from "./static-values.js";

/** `foreignKey({ columns, foreignColumns })` before tables are linked. */
export interface PendingForeignKey {
  columns: string[];
  /** `file#name` of the referenced table; "self" for the table's own parameter. */
  targetKey?: string;
  targetText: string;
  foreignColumns: string[];
  name?: string;
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  line: number;
}

/** A bound `check()` puts on one column (`${t.price} > 0`, `${t.rating} between 0 and 5`). */
export interface ColumnCheck {
  column: string;
  min?: ColumnBound;
  max?: ColumnBound;
}

export interface TableExtras {
  primaryKey?: { columns: string[]; name?: string };
  indexes: SchemaIndex[];
  foreignKeys: PendingForeignKey[];
  checks: ColumnCheck[];
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
// A column in the check's text: its position among the template's `${...}` spans.
const COLUMN = String.raw`\u0001(\d+)\u0001`;
const COLUMN_FIRST = new RegExp(String.raw`^${COLUMN}\s*(>=|>|<=|<|=)\s*(${NUMBER})$`);
const NUMBER_FIRST = new RegExp(String.raw`^(${NUMBER})\s*(>=|>|<=|<|=)\s*${COLUMN}$`);
const BETWEEN = new RegExp(String.raw`${COLUMN}\s+between\s+(${NUMBER})\s+and\s+(${NUMBER})`, "gi");
const FLIPPED: Readonly<Record<string, string>> = { ">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=" };

/**
 * Bounds in a check's SQL whose parts are `column <op> number` joined by `and` (`between` too); other parts
 * (functions, `or`, other columns) bound nothing. `columns` are the keys of the template's spans, in order.
 */
export function checkBounds(text: string, columns: readonly string[]): ColumnCheck[] {
  const checks = new Map<string, ColumnCheck>();
  const normalized = text.replaceAll(
    BETWEEN,
    (_match, column: string, low: string, high: string) =>
      `\u0001${column}\u0001 >= ${low} and \u0001${column}\u0001 <= ${high}`,
  );
  if (/\bor\b/i.test(normalized)) return [];
  for (const part of normalized.split(/\s+and\s+/i)) {
    const term = part
      .trim()
      .replace(/^\(+\s*/, "")
      .replace(/\s*\)+$/, "");
    const columnFirst = COLUMN_FIRST.exec(term);
    const numberFirst = columnFirst ? undefined : NUMBER_FIRST.exec(term);
    const [position, operator, value] = columnFirst
      ? [columnFirst[1], columnFirst[2], columnFirst[3]]
      : numberFirst
        ? [numberFirst[3], FLIPPED[numberFirst[2] ?? ""], numberFirst[1]]
        : [];
    const column = position === undefined ? undefined : columns[Number(position)];
    if (!column || !operator || value === undefined) continue;
    const check = checks.get(column) ?? { column };
    const bound = { value: Number(value), inclusive: operator.length === 2 || operator === "=" };
    if (operator.startsWith(">") || operator === "=") check.min = bound;
    if (operator.startsWith("<") || operator === "=") check.max = bound;
    checks.set(column, check);
  }
  return [...checks.values()];
}

interface Chain {
  base: string;
  baseArgs: MorphNode[];
  methods: { name: string; args: MorphNode[] }[];
}

/** `index("x").on(t.a).where(...)`: the drizzle function at the base and the methods after it. */
function readChain(graph: SourceGraph, node: MorphNode, scope: Scope): Chain | undefined {
  const { Node } = graph.tsMorph;
  const methods: Chain["methods"] = [];
  let current = unwrap(graph, node);
  while (Node.isCallExpression(current)) {
    const callee = unwrap(graph, current.getExpression());
    const resolved = resolveReference(graph, callee, scope);
    if (resolved?.kind === "package" && isDrizzleModule(resolved.module))
      return { base: resolved.name, baseArgs: current.getArguments(), methods };
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    methods.unshift({ name: callee.getName(), args: current.getArguments() });
    current = unwrap(graph, callee.getExpression());
  }
  return undefined;
}

// An index column's order, null placement and operator class: the column is what they are called on.
const INDEX_COLUMN_MODIFIERS = new Set(["asc", "desc", "nullsFirst", "nullsLast", "op"]);

export function createExtrasReader(
  graph: SourceGraph,
  report: (node: MorphNode, scope: Scope, message: string) => void,
) {
  const { Node } = graph.tsMorph;

  /**
   * `t.userId` -> `userId`, also as drizzle-kit pull writes index columns (`t.userId.asc().nullsLast().op("uuid_ops")`);
   * an SQL expression is kept as its text.
   */
  const columnKey = (node: MorphNode, param: string | undefined): string => {
    let target = unwrap(graph, node);
    while (Node.isCallExpression(target)) {
      const callee = target.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || !INDEX_COLUMN_MODIFIERS.has(callee.getName())) break;
      target = unwrap(graph, callee.getExpression());
    }
    if (Node.isPropertyAccessExpression(target) && unwrap(graph, target.getExpression()).getText() === param)
      return target.getName();
    return target.getText();
  };

  const columnList = (node: MorphNode | undefined, param: string | undefined): string[] => {
    const target = node && unwrap(graph, node);
    return target && Node.isArrayLiteralExpression(target)
      ? target.getElements().map((element) => columnKey(element, param))
      : [];
  };

  /** `sql\`${t.price} > 0\``: the template's text with its column spans as placeholders. */
  const checkOf = (node: MorphNode | undefined, param: string | undefined): ColumnCheck[] => {
    const target = node && unwrap(graph, node);
    if (!target || !Node.isTaggedTemplateExpression(target)) return [];
    const template = target.getTemplate();
    if (!Node.isTemplateExpression(template)) return [];
    const columns: string[] = [];
    let text = template.getHead().getLiteralText();
    for (const span of template.getTemplateSpans()) {
      const expression = unwrap(graph, span.getExpression());
      // A span that is not one of the table's columns (`${sql.raw(...)}`, a const) makes the check unreadable.
      if (!Node.isPropertyAccessExpression(expression) || unwrap(graph, expression.getExpression()).getText() !== param)
        return [];
      text += `\u0001${String(columns.length)}\u0001${span.getLiteral().getLiteralText()}`;
      columns.push(expression.getName());
    }
    return checkBounds(text, columns);
  };

  const readElement = (element: MorphNode, scope: Scope, param: string | undefined, extras: TableExtras): void => {
    const chain = readChain(graph, element, scope);
    if (!chain) {
      report(element, scope, `${element.getText().slice(0, 60)} is not an index, key or constraint the model can read`);
      return;
    }
    const { base, baseArgs, methods } = chain;
    if (base === "check") {
      // Only what the test data must respect is read; an unreadable check bounds nothing (and is no error).
      extras.checks.push(...checkOf(baseArgs[1], param));
      return;
    }
    const nameOf = (arg: MorphNode | undefined): string | undefined =>
      arg ? staticString(graph, arg, scope) : undefined;
    if (base === "primaryKey") {
      const config = baseArgs[0] && staticObject(graph, baseArgs[0], scope);
      if (config) {
        const name = propertyValue(graph, config.object, "name");
        extras.primaryKey = {
          columns: columnList(propertyValue(graph, config.object, "columns"), param),
          name: name ? staticString(graph, name, config.scope) : undefined,
        };
      } else {
        // Deprecated positional form: primaryKey(t.a, t.b).
        extras.primaryKey = { columns: baseArgs.map((arg) => columnKey(arg, param)) };
      }
      return;
    }
    if (base === "index" || base === "uniqueIndex" || base === "unique") {
      const index: SchemaIndex = { kind: base, name: nameOf(baseArgs[0]), columns: [], unique: base !== "index" };
      for (const method of methods) {
        if (method.name === "on" || method.name === "onOnly")
          index.columns.push(...method.args.map((arg) => columnKey(arg, param)));
        else if (method.name === "using")
          index.columns.push(...method.args.slice(1).map((arg) => columnKey(arg, param)));
        else if (method.name === "where") index.where = method.args[0]?.getText();
      }
      extras.indexes.push(index);
      return;
    }
    if (base === "foreignKey") {
      const config = baseArgs[0] && staticObject(graph, baseArgs[0], scope);
      const foreign = config && propertyValue(graph, config.object, "foreignColumns");
      const foreignTarget = foreign && unwrap(graph, foreign);
      const first =
        foreignTarget && Node.isArrayLiteralExpression(foreignTarget) ? foreignTarget.getElements()[0] : undefined;
      const firstTarget = first && unwrap(graph, first);
      const ownerNode =
        firstTarget && Node.isPropertyAccessExpression(firstTarget)
          ? unwrap(graph, firstTarget.getExpression())
          : undefined;
      if (!config || !ownerNode) {
        report(element, scope, `foreignKey(${baseArgs[0]?.getText().slice(0, 40) ?? ""}) cannot be read statically`);
        return;
      }
      const owner = ownerNode.getText();
      const resolved = owner === param ? undefined : resolveReference(graph, ownerNode, scope);
      const name = propertyValue(graph, config.object, "name");
      const pending: PendingForeignKey = {
        columns: columnList(propertyValue(graph, config.object, "columns"), param),
        targetKey:
          owner === param
            ? "self"
            : resolved?.kind === "local"
              ? declarationKey(resolved.file, resolved.name)
              : undefined,
        targetText: owner,
        foreignColumns: columnList(foreign, owner),
        name: name ? staticString(graph, name, config.scope) : undefined,
        line: element.getStartLineNumber(),
      };
      for (const method of methods) {
        const action = method.args[0] ? staticString(graph, method.args[0], scope) : undefined;
        if (method.name === "onDelete" && action) pending.onDelete = action as ReferentialAction;
        if (method.name === "onUpdate" && action) pending.onUpdate = action as ReferentialAction;
      }
      extras.foreignKeys.push(pending);
      return;
    }
    report(element, scope, `${base}(...) in the table's third argument is not read by the model`);
  };

  /** The third argument of a table call: `(t) => [ ... ]` or the deprecated `(t) => ({ ... })`. */
  return (node: MorphNode, scope: Scope): TableExtras => {
    const extras: TableExtras = { indexes: [], foreignKeys: [], checks: [] };
    const fn = unwrap(graph, node);
    const returned = (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) && returnedExpression(graph, fn);
    const body = returned ? unwrap(graph, returned) : undefined;
    const param =
      Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParameters()[0]?.getName() : undefined;
    if (body && Node.isArrayLiteralExpression(body))
      for (const element of body.getElements()) readElement(element, scope, param, extras);
    else if (body && Node.isObjectLiteralExpression(body)) {
      for (const property of body.getProperties()) {
        const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
        if (value) readElement(value, scope, param, extras);
        else
          report(
            property,
            scope,
            `${property.getText().slice(0, 60)} in the table's third argument cannot be read statically`,
          );
      }
    } else report(node, scope, "the table's third argument is not `(t) => [...]` or `(t) => ({...})`");
    return extras;
  };
}
