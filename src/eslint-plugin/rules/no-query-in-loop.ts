import { AST_NODE_TYPES, ESLintUtils } from "@typescript-eslint/utils";
import type { TSESTree } from "@typescript-eslint/utils";
import ts from "typescript";

import { createRule } from "../create-rule.js";
import { isFunctionNode, isLoopBody, memberName, PER_ITEM_METHODS } from "../support/ast.js";
import { createDatabaseCallClassifier, DEFAULT_REPOSITORY_PATTERN } from "../support/database-call.js";

type Options = [{ repositoryPattern?: string }];
type MessageIds = "queryInLoop" | "queryInCallback";

export const noQueryInLoop = createRule<Options, MessageIds>({
  name: "no-query-in-loop",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow a database call (driver, Drizzle, postgres.js or a repository function) once per iteration of a loop",
      playbook: "Use `with` or eager loading to prevent N+1 queries; never lazy load in loops.",
      fix: "Load the rows in one statement (`db.query.x.findMany({ with })`, `inArray`), or batch through the repository's DataLoader (`generate repository <name> --with <relation>`).",
      requiresTypeChecking: true,
    },
    messages: {
      queryInLoop: "`{{call}}` runs one statement per iteration of this loop (N+1). Load the rows in one statement (`with`, `inArray`) or batch with the repository's DataLoader.",
      queryInCallback: "`{{call}}` runs one statement per element of `.{{method}}()` (N+1), even inside Promise.all. Load the rows in one statement (`with`, `inArray`) or batch with the repository's DataLoader.",
    },
    schema: [
      {
        type: "object",
        properties: { repositoryPattern: { type: "string", description: "regular expression matched against the file that declares a called function; a match makes the call a database call" } },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ repositoryPattern: DEFAULT_REPOSITORY_PATTERN }],
  },
  defaultOptions: [{ repositoryPattern: DEFAULT_REPOSITORY_PATTERN }],
  create(context, [options]) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const classify = createDatabaseCallClassifier(context, options.repositoryPattern);

    // for (const chunk of chunks) insert(chunk): a loop over arrays of rows is batching, not N+1.
    function iteratesBatches(loop: TSESTree.ForOfStatement): boolean {
      const iterated = services.getTypeAtLocation(loop.right);
      const element = checker.getIndexTypeOfType(checker.getApparentType(iterated), ts.IndexKind.Number);
      return element !== undefined && (checker.isArrayType(element) || checker.isTupleType(element));
    }

    /** The loop or per-item callback that runs `node` repeatedly, if any (stops at the first other function). */
    function repeatingContext(node: TSESTree.Node): { loop: TSESTree.Node } | { method: string } | undefined {
      let child: TSESTree.Node = node;
      for (let current = node.parent; current; child = current, current = current.parent) {
        if (isLoopBody(current, child)) {
          if (current.type === AST_NODE_TYPES.ForOfStatement && iteratesBatches(current)) return undefined;
          return { loop: current };
        }
        if (isFunctionNode(current)) {
          const call = current.parent;
          if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== current) return undefined;
          const method = memberName(call.callee);
          if (method === undefined || !PER_ITEM_METHODS.has(method) || call.callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
          const receiver = services.getTypeAtLocation(call.callee.object);
          return checker.isArrayType(receiver) || checker.isTupleType(receiver) ? { method } : undefined;
        }
      }
      return undefined;
    }

    function check(node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression): void {
      // Only the end of a chain runs the statement: db.select().from(t).where(x) is one call.
      if (node.parent.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node) return;
      const repeating = repeatingContext(node);
      if (!repeating) return;
      const call = classify(node);
      if (!call) return;
      if ("loop" in repeating) context.report({ node, messageId: "queryInLoop", data: { call: call.label } });
      else context.report({ node, messageId: "queryInCallback", data: { call: call.label, method: repeating.method } });
    }

    return { CallExpression: check, TaggedTemplateExpression: check };
  },
});
