import { AST_NODE_TYPES, ASTUtils, ESLintUtils } from "@typescript-eslint/utils";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

import { createRule } from "../create-rule.js";
import { calleeName, propertyKeyName } from "../support/ast.js";
import { DATABASE_PACKAGE_PATTERN, typeDeclaredIn } from "../support/type-origin.js";

const INDEX_BUILDERS = new Set(["index", "uniqueIndex"]);
const PG_CORE = "drizzle-orm/pg-core";

type MessageIds = "foreignKeyWithoutIndex" | "addIndex";

/** The calls of a builder chain, outermost first: uuid("x").notNull().references(...) -> [references, notNull, uuid]. */
function chainCalls(expression: TSESTree.Node): TSESTree.CallExpression[] {
  const calls: TSESTree.CallExpression[] = [];
  let current: TSESTree.Node = expression;
  while (current.type === AST_NODE_TYPES.CallExpression) {
    calls.push(current);
    if (current.callee.type !== AST_NODE_TYPES.MemberExpression) break;
    current = current.callee.object;
  }
  return calls;
}

// An index column's order, null placement and operator class (drizzle-kit pull writes `t.a.asc().nullsLast().op("x")`).
const COLUMN_MODIFIERS = new Set(["asc", "desc", "nullsFirst", "nullsLast", "op"]);

function columnOf(input: TSESTree.Node | undefined, tableParam: string): string | undefined {
  let node = input;
  while (
    node?.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.MemberExpression &&
    node.callee.property.type === AST_NODE_TYPES.Identifier &&
    COLUMN_MODIFIERS.has(node.callee.property.name)
  )
    node = node.callee.object;
  if (
    node?.type !== AST_NODE_TYPES.MemberExpression ||
    node.object.type !== AST_NODE_TYPES.Identifier ||
    node.object.name !== tableParam
  )
    return undefined;
  return !node.computed && node.property.type === AST_NODE_TYPES.Identifier ? node.property.name : undefined;
}

function columnsOption(call: TSESTree.CallExpression, tableParam: string): string[] {
  const options = call.arguments[0];
  if (options?.type !== AST_NODE_TYPES.ObjectExpression) return [];
  const columns = options.properties.find(
    (property) => property.type === AST_NODE_TYPES.Property && propertyKeyName(property) === "columns",
  );
  if (columns?.type !== AST_NODE_TYPES.Property || columns.value.type !== AST_NODE_TYPES.ArrayExpression) return [];
  return columns.value.elements.map((element) => (element ? (columnOf(element, tableParam) ?? "") : ""));
}

interface ExtraConfig {
  tableParam: string;
  /** First column of every index, unique constraint and primary key. */
  leadingColumns: Set<string>;
  /** Columns of foreignKey({ columns }) constraints (their first column must lead an index). */
  foreignKeys: { column: string; node: TSESTree.Node }[];
  elements?: TSESTree.ArrayExpression;
}

function readExtraConfig(argument: TSESTree.Node | undefined): ExtraConfig | undefined {
  if (argument?.type !== AST_NODE_TYPES.ArrowFunctionExpression && argument?.type !== AST_NODE_TYPES.FunctionExpression)
    return undefined;
  const param = argument.params[0];
  if (param?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const config: ExtraConfig = { tableParam: param.name, leadingColumns: new Set(), foreignKeys: [] };
  let entries: TSESTree.Node[] = [];
  let body: TSESTree.Node = argument.body;
  if (body.type === AST_NODE_TYPES.BlockStatement) {
    const returned = body.body.find((statement) => statement.type === AST_NODE_TYPES.ReturnStatement);
    if (returned?.type !== AST_NODE_TYPES.ReturnStatement || !returned.argument) return config;
    body = returned.argument;
  }
  if (body.type === AST_NODE_TYPES.ArrayExpression) {
    config.elements = body;
    entries = body.elements.filter(
      (element): element is TSESTree.Expression => element !== null && element.type !== AST_NODE_TYPES.SpreadElement,
    );
  } else if (body.type === AST_NODE_TYPES.ObjectExpression) {
    // The deprecated object form: { byAuthor: index().on(t.authorId) }.
    entries = body.properties.flatMap((property) =>
      property.type === AST_NODE_TYPES.Property ? [property.value] : [],
    );
  }
  for (const entry of entries) {
    const calls = chainCalls(entry);
    const root = calls.at(-1);
    const rootName = root ? calleeName(root) : undefined;
    const on = calls.find((call) => calleeName(call) === "on");
    const using = calls.find((call) => calleeName(call) === "using");
    if (rootName !== undefined && (INDEX_BUILDERS.has(rootName) || rootName === "unique")) {
      const first = on
        ? columnOf(on.arguments[0], param.name)
        : using
          ? columnOf(using.arguments[1], param.name)
          : undefined;
      if (first) config.leadingColumns.add(first);
    } else if (root && rootName === "primaryKey") {
      const first = columnsOption(root, param.name)[0];
      if (first) config.leadingColumns.add(first);
    } else if (root && rootName === "foreignKey") {
      const first = columnsOption(root, param.name)[0];
      if (first) config.foreignKeys.push({ column: first, node: entry });
    }
  }
  return config;
}

function snakeCase(name: string): string {
  return name.replaceAll(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

export const fkNeedsIndex = createRule<[], MessageIds>({
  name: "fk-needs-index",
  meta: {
    type: "problem",
    // Adding an index changes no result, only plans: the fix is safe to apply unattended.
    fixable: "code",
    hasSuggestions: true,
    docs: {
      description: "Require an index led by every foreign-key column of a Drizzle table",
      playbook: "Index foreign keys for JOIN performance (Database indexing: foreign key index).",
      fix: 'Add `index("<table>_<column>_idx").on(table.<column>)` to the table\'s third argument (`generate schema` adds one for every reference).',
      requiresTypeChecking: true,
    },
    messages: {
      foreignKeyWithoutIndex:
        "`{{column}}` references another table but no index of `{{table}}` starts with it: joins and deletes of the parent scan the whole table.",
      addIndex: 'Add index("{{indexName}}").on({{param}}.{{column}})',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const source = context.sourceCode;

    function isTableCall(node: TSESTree.CallExpression): boolean {
      const type = services.getTypeAtLocation(node);
      return (
        checker.getPropertyOfType(type, "$inferInsert") !== undefined &&
        typeDeclaredIn(checker, type, DATABASE_PACKAGE_PATTERN)
      );
    }

    /** The fix (adds the index to the table's extras) and the same change as an editor suggestion. */
    function indexFix(
      node: TSESTree.CallExpression,
      config: ExtraConfig | undefined,
      column: string,
      sqlColumn: string,
      tableName: string,
    ): { fix?: TSESLint.ReportFixFunction; suggest: TSESLint.ReportSuggestionArray<MessageIds> } {
      const indexName = `${tableName}_${sqlColumn}_idx`;
      const param = config?.tableParam ?? "table";
      const entry = `index("${indexName}").on(${param}.${column})`;
      // `index` must be in scope: already imported, or added to the existing pg-core import.
      const inScope = ASTUtils.findVariable(source.getScope(node), "index") !== null;
      const pgCoreImport = source.ast.body.find(
        (statement): statement is TSESTree.ImportDeclaration =>
          statement.type === AST_NODE_TYPES.ImportDeclaration &&
          statement.source.value === PG_CORE &&
          statement.importKind !== "type",
      );
      const lastSpecifier = pgCoreImport?.specifiers.at(-1);
      if (!inScope && lastSpecifier?.type !== AST_NODE_TYPES.ImportSpecifier) return { suggest: [] };
      const columnsArgument = node.arguments[1];
      if (!columnsArgument) return { suggest: [] };
      if (config && !config.elements) return { suggest: [] };
      const fix: TSESLint.ReportFixFunction = (fixer) => {
        const fixes = [];
        if (!inScope && lastSpecifier) fixes.push(fixer.insertTextAfter(lastSpecifier, ", index"));
        const elements = config?.elements;
        if (!elements) fixes.push(fixer.insertTextAfter(columnsArgument, `,\n  (${param}) => [${entry}]`));
        else {
          const last = elements.elements.at(-1);
          if (last) fixes.push(fixer.insertTextAfter(last, `, ${entry}`));
          else fixes.push(fixer.replaceText(elements, `[${entry}]`));
        }
        return fixes;
      };
      return { fix, suggest: [{ messageId: "addIndex", data: { indexName, param, column }, fix }] };
    }

    return {
      CallExpression(node) {
        const columnsArgument = node.arguments[1];
        let columns: TSESTree.Node | undefined = columnsArgument;
        if (columns?.type === AST_NODE_TYPES.ArrowFunctionExpression) columns = columns.body;
        if (columns?.type !== AST_NODE_TYPES.ObjectExpression || !isTableCall(node)) return;
        const nameArgument = node.arguments[0];
        const tableName =
          nameArgument?.type === AST_NODE_TYPES.Literal && typeof nameArgument.value === "string"
            ? nameArgument.value
            : "table";
        const config = readExtraConfig(node.arguments[2]);
        const covered = config?.leadingColumns ?? new Set<string>();
        for (const property of columns.properties) {
          if (property.type !== AST_NODE_TYPES.Property) continue;
          const column = propertyKeyName(property);
          if (column === undefined) continue;
          const calls = chainCalls(property.value);
          const names = calls.map((call) => calleeName(call));
          if (
            !names.includes("references") ||
            names.includes("primaryKey") ||
            names.includes("unique") ||
            covered.has(column)
          )
            continue;
          const builder = calls.at(-1);
          const sqlName =
            builder?.arguments[0]?.type === AST_NODE_TYPES.Literal && typeof builder.arguments[0].value === "string"
              ? builder.arguments[0].value
              : snakeCase(column);
          context.report({
            node: property.key,
            messageId: "foreignKeyWithoutIndex",
            data: { column, table: tableName },
            ...indexFix(node, config, column, sqlName, tableName),
          });
        }
        for (const foreignKey of config?.foreignKeys ?? []) {
          if (covered.has(foreignKey.column)) continue;
          const property = columns.properties.find(
            (candidate) =>
              candidate.type === AST_NODE_TYPES.Property && propertyKeyName(candidate) === foreignKey.column,
          );
          const builder = property?.type === AST_NODE_TYPES.Property ? chainCalls(property.value).at(-1) : undefined;
          const sqlName =
            builder?.arguments[0]?.type === AST_NODE_TYPES.Literal && typeof builder.arguments[0].value === "string"
              ? builder.arguments[0].value
              : snakeCase(foreignKey.column);
          context.report({
            node: foreignKey.node,
            messageId: "foreignKeyWithoutIndex",
            data: { column: foreignKey.column, table: tableName },
            ...indexFix(node, config, foreignKey.column, sqlName, tableName),
          });
        }
      },
    };
  },
});
