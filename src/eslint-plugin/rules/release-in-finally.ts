import { AST_NODE_TYPES, ASTUtils, ESLintUtils } from "@typescript-eslint/utils";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

import { createRule } from "../create-rule.js";
import { isFunctionNode, isInside, memberName } from "../support/ast.js";
import { DATABASE_PACKAGE_PATTERN, typeDeclaredIn } from "../support/type-origin.js";

// Methods that check a connection out of a pool (pg Pool#connect, postgres.js sql.reserve(), generic pools).
const CHECKOUT_METHODS = new Set(["connect", "reserve", "acquire", "getConnection"]);

type MessageIds = "notBound" | "notReleased" | "notInFinally" | "usedOutsideTry" | "wrapInTryFinally";

interface Usage {
  /** What guards the uses: a try statement whose finally releases, or a promise chain ending in `.finally(() => client.release())`. */
  releasesInFinally: TSESTree.Node[];
  otherReleases: TSESTree.Node[];
  handedOver: boolean;
  uses: TSESTree.Node[];
}

/** `client.release()` / `client?.release()` for a reference to `client`, or undefined. */
function releaseCallOf(reference: TSESTree.Identifier): TSESTree.CallExpression | undefined {
  const member = reference.parent;
  if (
    member.type !== AST_NODE_TYPES.MemberExpression ||
    member.object !== reference ||
    memberName(member) !== "release"
  )
    return undefined;
  return member.parent.type === AST_NODE_TYPES.CallExpression && member.parent.callee === member
    ? member.parent
    : undefined;
}

/** The try statement whose `finally` holds the node, within the same function. */
function finallyAround(node: TSESTree.Node): TSESTree.TryStatement | undefined {
  for (let child = node, current = node.parent; current; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.finalizer === child) return current;
    if (isFunctionNode(current)) return undefined;
  }
  return undefined;
}

/** `chain.finally(() => client.release())` around the release: the chain's whole expression is guarded. */
function promiseFinallyAround(release: TSESTree.CallExpression): TSESTree.CallExpression | undefined {
  let fn: TSESTree.Node | undefined = release.parent;
  if (fn.type === AST_NODE_TYPES.ExpressionStatement && fn.parent.type === AST_NODE_TYPES.BlockStatement)
    fn = fn.parent.parent;
  if (fn?.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn?.type !== AST_NODE_TYPES.FunctionExpression)
    return undefined;
  const call = fn.parent;
  return call.type === AST_NODE_TYPES.CallExpression &&
    call.arguments[0] === fn &&
    memberName(call.callee) === "finally"
    ? call
    : undefined;
}

export const releaseInFinally = createRule<[], MessageIds>({
  name: "release-in-finally",
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description: "Require a pooled connection checked out with `pool.connect()` to be released in a `finally` block",
      playbook: "Always release database connections back to the pool using `finally` blocks.",
      fix: "Use the generated `withClient`/`withTransaction` wrappers, or `try { ... } finally { client.release(); }` right after the checkout.",
      requiresTypeChecking: true,
    },
    messages: {
      notBound:
        "This checked-out connection is never stored, so nothing can release it: the pool loses a connection per call.",
      notReleased:
        "`{{name}}` is checked out of the pool but never released: release it in `finally` (or use withClient/withTransaction).",
      notInFinally:
        "`{{name}}` is released only on some paths: an error before `{{name}}.release()` leaks the connection. Release it in `finally`.",
      usedOutsideTry:
        "`{{name}}` is used outside the `try` whose `finally` releases it: an error there leaks the connection. Start the `try` right after the checkout.",
      wrapInTryFinally: "Wrap the code after the checkout in try { ... } finally { {{name}}.release(); }",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const source = context.sourceCode;

    function isCheckout(node: TSESTree.AwaitExpression): boolean {
      const call = node.argument.type === AST_NODE_TYPES.CallExpression ? node.argument : undefined;
      if (!call || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      const method = memberName(call.callee);
      if (method === undefined || !CHECKOUT_METHODS.has(method)) return false;
      if (!typeDeclaredIn(checker, services.getTypeAtLocation(call.callee.object), DATABASE_PACKAGE_PATTERN))
        return false;
      // A pooled connection has release(); pg.Client#connect() resolves to void and is ended, not released.
      return checker.getPropertyOfType(services.getTypeAtLocation(node), "release") !== undefined;
    }

    function usageOf(identifier: TSESTree.Identifier): Usage | undefined {
      const variable = ASTUtils.findVariable(source.getScope(identifier), identifier);
      if (!variable) return undefined;
      const usage: Usage = { releasesInFinally: [], otherReleases: [], handedOver: false, uses: [] };
      for (const reference of variable.references) {
        const node = reference.identifier;
        if (node.type !== AST_NODE_TYPES.Identifier || reference.isWrite()) continue;
        const release = releaseCallOf(node);
        if (release) {
          const tryStatement = finallyAround(release) ?? promiseFinallyAround(release);
          if (tryStatement) usage.releasesInFinally.push(tryStatement);
          else usage.otherReleases.push(release);
          continue;
        }
        const parent = node.parent;
        // Returned or passed on: the receiver owns the release (a wrapper such as withClient).
        if (
          parent.type === AST_NODE_TYPES.ReturnStatement ||
          (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(node))
        ) {
          usage.handedOver = true;
        }
        usage.uses.push(node);
      }
      return usage;
    }

    function wrapSuggestion(
      declaration: TSESTree.Node,
      name: string,
      usage: Usage,
    ): TSESLint.ReportSuggestionArray<MessageIds> {
      const statement = declaration.parent;
      if (
        statement?.type !== AST_NODE_TYPES.VariableDeclaration ||
        statement.parent.type !== AST_NODE_TYPES.BlockStatement
      )
        return [];
      const body = statement.parent.body;
      let rest = body.slice(body.indexOf(statement) + 1);
      const last = rest.at(-1);
      const trailingRelease =
        last &&
        usage.otherReleases.length === 1 &&
        last.type === AST_NODE_TYPES.ExpressionStatement &&
        last.expression === usage.otherReleases[0];
      if (usage.otherReleases.length > (trailingRelease ? 1 : 0) || usage.releasesInFinally.length > 0) return [];
      if (trailingRelease) rest = rest.slice(0, -1);
      const first = rest[0];
      const end = rest.at(-1);
      if (!first || !end) return [];
      const indent = " ".repeat(statement.loc.start.column);
      const inner = source.text
        .slice(first.range[0], end.range[1])
        .split("\n")
        .map((line, index) => (index === 0 ? `${indent}  ${line}` : line.length > 0 ? `  ${line}` : line))
        .join("\n");
      const replaced = trailingRelease && last ? last.range[1] : end.range[1];
      return [
        {
          messageId: "wrapInTryFinally",
          data: { name },
          fix: (fixer) =>
            fixer.replaceTextRange(
              [first.range[0], replaced],
              `try {\n${inner}\n${indent}} finally {\n${indent}  ${name}.release();\n${indent}}`,
            ),
        },
      ];
    }

    return {
      AwaitExpression(node) {
        if (!isCheckout(node)) return;
        const parent = node.parent;
        let identifier: TSESTree.Identifier | undefined;
        if (
          parent.type === AST_NODE_TYPES.VariableDeclarator &&
          parent.init === node &&
          parent.id.type === AST_NODE_TYPES.Identifier
        )
          identifier = parent.id;
        if (
          parent.type === AST_NODE_TYPES.AssignmentExpression &&
          parent.right === node &&
          parent.left.type === AST_NODE_TYPES.Identifier
        )
          identifier = parent.left;
        if (!identifier) {
          // `return await pool.connect()` hands the client to the caller.
          if (parent.type !== AST_NODE_TYPES.ReturnStatement && parent.type !== AST_NODE_TYPES.ArrowFunctionExpression)
            context.report({ node, messageId: "notBound" });
          return;
        }
        const name = identifier.name;
        const usage = usageOf(identifier);
        if (!usage) return;
        if (usage.releasesInFinally.length === 0) {
          if (usage.handedOver && usage.otherReleases.length === 0) return;
          const messageId = usage.otherReleases.length > 0 ? "notInFinally" : "notReleased";
          context.report({ node, messageId, data: { name }, suggest: wrapSuggestion(parent, name, usage) });
          return;
        }
        // Every use must sit inside a try whose finally releases the client.
        const outside = usage.uses.find(
          (use) => !usage.releasesInFinally.some((tryStatement) => isInside(use, tryStatement)),
        );
        if (outside) context.report({ node: outside, messageId: "usedOutsideTry", data: { name } });
      },
    };
  },
});
