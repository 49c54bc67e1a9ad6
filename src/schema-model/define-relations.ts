import type { CallExpression, Node as MorphNode, ObjectLiteralExpression } from "ts-morph";

import type { SchemaRelation } from "./model.js";
import type { SourceGraph } from "./source-graph.js";
import { fileScope, propertyValue, returnedExpression, staticObject, staticString, unwrap } from "./static-values.js";

/** One relation of a `defineRelations` entry before tables are linked: the target by its schema key. */
export interface PendingV2Relation extends Omit<SchemaRelation, "target"> {
  targetName: string;
}

/** The relations `defineRelations(schema, (r) => ({ <table>: { ... } }))` gives one table, keyed as in the schema. */
export interface PendingV2Relations {
  table: string;
  file: string;
  line: number;
  relations: PendingV2Relation[];
}

// Spread parts (`...authRelations`) resolve through consts: a bound on how deep the reader follows them.
const MAX_SPREAD_DEPTH = 4;

/**
 * Reads Drizzle 1.0's `defineRelations` / `defineRelationsPart` call: `r.one.<table>({ from, to, alias, optional,
 * where })` and `r.many.<table>(...)`, spread parts of the returned object, and `from: r.a.id.through(r.ab.aId)`
 * (a many-to-many through a junction table). What it cannot read is reported, never guessed.
 */
export function readDefineRelations(
  graph: SourceGraph,
  call: CallExpression,
  file: string,
  report: (node: MorphNode, message: string) => void,
): PendingV2Relations[] {
  const { Node } = graph.tsMorph;
  const scope = fileScope(file);
  const callback = call.getArguments()[1];
  const fn = callback && unwrap(graph, callback);
  const returned = fn && returnedExpression(graph, fn);
  const parameter =
    fn && (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) ? fn.getParameters()[0] : undefined;
  const helpers = parameter && Node.isIdentifier(parameter.getNameNode()) ? parameter.getName() : undefined;
  const root = returned && staticObject(graph, returned, scope);
  if (!fn || !root) {
    // `defineRelations(schema)` with no callback declares no relation: nothing to read, nothing to report.
    if (callback) report(call, "defineRelations(...) does not return an object literal the model can read");
    return [];
  }
  if (!helpers) {
    if (root.object.getProperties().length > 0)
      report(call, "the defineRelations callback's parameter is destructured: the model reads r.one / r.many");
    return [];
  }

  // `r.posts.authorId` -> "authorId"; `[r.a.x, r.a.y]` -> both; `r.a.id.through(r.ab.aId)` -> "id" and the junction column.
  const columnsOf = (
    node: MorphNode | undefined,
  ): { columns: string[]; through: Array<{ table: string; column: string }> } => {
    const result = { columns: [] as string[], through: [] as Array<{ table: string; column: string }> };
    if (!node) return result;
    const target = unwrap(graph, node);
    const items = Node.isArrayLiteralExpression(target) ? target.getElements() : [target];
    for (const item of items) {
      let column = unwrap(graph, item);
      if (Node.isCallExpression(column)) {
        const callee = column.getExpression();
        const [junction] = column.getArguments();
        if (Node.isPropertyAccessExpression(callee) && callee.getName() === "through" && junction) {
          const parts = unwrap(graph, junction).getText().split(".");
          result.through.push({ table: parts.at(-2) ?? "", column: parts.at(-1) ?? "" });
          column = callee.getExpression();
        }
      }
      const name = Node.isPropertyAccessExpression(column) ? column.getName() : undefined;
      if (name) result.columns.push(name);
    }
    return result;
  };

  const readTable = (table: string, object: ObjectLiteralExpression, line: number): PendingV2Relations => {
    const entry: PendingV2Relations = { table, file, line, relations: [] };
    for (const property of object.getProperties()) {
      const value = Node.isPropertyAssignment(property)
        ? unwrap(graph, property.getInitializer() ?? property)
        : undefined;
      const callee = value && Node.isCallExpression(value) ? value.getExpression() : undefined;
      // r.one.users / r.many.posts: the helper, then the target table's schema key.
      const helper = callee && Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
      const kind =
        helper && Node.isPropertyAccessExpression(helper) && helper.getExpression().getText() === helpers
          ? helper.getName()
          : undefined;
      if (
        !value ||
        !Node.isCallExpression(value) ||
        !Node.isPropertyAssignment(property) ||
        !callee ||
        !Node.isPropertyAccessExpression(callee) ||
        (kind !== "one" && kind !== "many")
      ) {
        report(
          property,
          `relation ${property.getText().slice(0, 40)} of ${table} is not an ${helpers}.one / ${helpers}.many call`,
        );
        continue;
      }
      const [configArg] = value.getArguments();
      const config = configArg ? staticObject(graph, configArg, scope) : undefined;
      const from = columnsOf(config && propertyValue(graph, config.object, "from"));
      const to = columnsOf(config && propertyValue(graph, config.object, "to"));
      const alias = config && propertyValue(graph, config.object, "alias");
      // `where` filters the relation's rows and `optional` types a one(): kept, so generators can honour or refuse them.
      const where = config && propertyValue(graph, config.object, "where");
      const optional = config && propertyValue(graph, config.object, "optional");
      const optionalText = optional && unwrap(graph, optional).getText();
      if (optional && optionalText !== "true" && optionalText !== "false")
        report(
          optional,
          `optional of ${table}.${property.getName()} is not true or false: the model takes the default`,
        );
      const [fromJunction] = from.through;
      const [toJunction] = to.through;
      entry.relations.push({
        name: property.getName(),
        kind,
        targetName: callee.getName(),
        fields: from.columns,
        references: to.columns,
        relationName: alias ? staticString(graph, alias, scope) : undefined,
        ...(fromJunction && toJunction
          ? { through: { table: fromJunction.table, fields: [fromJunction.column], references: [toJunction.column] } }
          : {}),
        ...(where ? { where: where.getText() } : {}),
        ...(optionalText === "true" || optionalText === "false" ? { optional: optionalText === "true" } : {}),
        file,
        line: property.getStartLineNumber(),
      });
    }
    return entry;
  };

  const found: PendingV2Relations[] = [];
  const readRoot = (object: ObjectLiteralExpression, depth: number): void => {
    for (const property of object.getProperties()) {
      if (Node.isSpreadAssignment(property)) {
        const part = depth < MAX_SPREAD_DEPTH ? staticObject(graph, property.getExpression(), scope) : undefined;
        if (part) readRoot(part.object, depth + 1);
        else
          report(
            property,
            `spread ${property.getText().slice(0, 40)} in defineRelations is not an object the model can read`,
          );
        continue;
      }
      const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
      const tableObject = value && staticObject(graph, value, scope);
      if (!tableObject || !Node.isPropertyAssignment(property)) {
        report(property, `the relations of ${property.getText().slice(0, 40)} are not an object literal`);
        continue;
      }
      found.push(readTable(property.getName(), tableObject.object, property.getStartLineNumber()));
    }
  };
  readRoot(root.object, 0);
  return found;
}
