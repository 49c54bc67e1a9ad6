import { AST_NODE_TYPES, ESLintUtils } from "@typescript-eslint/utils";
import type { TSESTree } from "@typescript-eslint/utils";
import ts from "typescript";

import { createRule } from "../create-rule.js";
import { enclosingFunction, isFunctionNode, isLoopBody, memberName, PER_ITEM_METHODS } from "../support/ast.js";
import type { FunctionNode } from "../support/ast.js";
import { createDatabaseCallClassifier, DEFAULT_REPOSITORY_PATTERN } from "../support/database-call.js";

type Options = [{ repositoryPattern?: string }];
type MessageIds = "queryInLoop" | "queryInCallback" | "queryPerRecursion";

// Methods that cut a window out of an array: `ids.slice(start, start + CHUNK)` in a stepped for loop is batching.
const WINDOW_METHODS = new Set(["slice", "splice", "subarray"]);
// Pool methods that check out, hand back or close connections: no SQL of their own.
const NO_STATEMENT_METHODS = new Set(["connect", "release", "end"]);

export const noQueryInLoop = createRule<Options, MessageIds>({
  name: "no-query-in-loop",
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow a database call (driver, Drizzle, postgres.js or a repository function) once per iteration of a loop",
      playbook: "Use `with` or eager loading to prevent N+1 queries; never lazy load in loops.",
      fix: "Load the rows in one statement (`db.query.x.findMany({ with })`, `inArray`), or batch through the repository's DataLoader (`generate repository <name> --with <relation>`).",
      requiresTypeChecking: true,
    },
    messages: {
      queryInLoop:
        "`{{call}}` runs one statement per iteration of this loop (N+1). Load the rows in one statement (`with`, `inArray`) or batch with the repository's DataLoader.",
      queryInCallback:
        "`{{call}}` runs one statement per element of `{{method}}()` (N+1), even inside Promise.all. Load the rows in one statement (`with`, `inArray`) or batch with the repository's DataLoader.",
      queryPerRecursion:
        "`{{call}}` runs one statement per level of the recursive `{{name}}` (N+1 on a tree). Load the tree in one statement (`WITH RECURSIVE`) or batch each level with `inArray`.",
    },
    schema: [
      {
        type: "object",
        properties: {
          repositoryPattern: {
            type: "string",
            description:
              "regular expression matched against the file that declares a called function; a match makes the call a database call",
          },
        },
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

    const visitorKeys = context.sourceCode.visitorKeys;

    /** Every node under `root` (`root` included), stopping at nothing. */
    function* descendants(root: TSESTree.Node): Generator<TSESTree.Node> {
      yield root;
      for (const key of visitorKeys[root.type] ?? []) {
        const value = (root as unknown as Record<string, unknown>)[key];
        const children = Array.isArray(value) ? value : [value];
        for (const child of children) {
          if (child && typeof child === "object" && "type" in child) yield* descendants(child as TSESTree.Node);
        }
      }
    }

    /** Names a pattern binds: `row`, `[key, value]`, `{ id }`. */
    function boundNames(pattern: TSESTree.Node | null): Set<string> {
      const names = new Set<string>();
      if (!pattern) return names;
      for (const node of descendants(pattern)) if (node.type === AST_NODE_TYPES.Identifier) names.add(node.name);
      return names;
    }

    /** The loop variable is handed to the call whole (`.values(chunk)`, `inArray(t.id, chunk)`), not picked apart (`row[0]`, `row.id`). */
    function passesWhole(call: TSESTree.Node, names: Set<string>): boolean {
      for (const node of descendants(call)) {
        if (node.type !== AST_NODE_TYPES.Identifier || !names.has(node.name)) continue;
        const parent = node.parent;
        if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) continue;
        if (parent.type === AST_NODE_TYPES.MemberExpression && parent.property === node && !parent.computed) continue;
        return true;
      }
      return false;
    }

    // for (const chunk of chunks) insert(chunk): a loop over arrays of rows handed on whole is batching, not N+1.
    // Tuples are not chunks: `for (const [key, value] of Object.entries(obj))` runs once per entry.
    function iteratesBatches(loop: TSESTree.ForOfStatement, call: TSESTree.Node): boolean {
      const iterated = services.getTypeAtLocation(loop.right);
      const element = checker.getIndexTypeOfType(checker.getApparentType(iterated), ts.IndexKind.Number);
      if (element === undefined || !checker.isArrayType(element) || checker.isTupleType(element)) return false;
      const left =
        loop.left.type === AST_NODE_TYPES.VariableDeclaration ? (loop.left.declarations[0]?.id ?? null) : loop.left;
      return passesWhole(call, boundNames(left));
    }

    // for (let s = 0; s < ids.length; s += CHUNK) query(ids.slice(s, s + CHUNK)): one statement per window of rows.
    function iteratesWindows(loop: TSESTree.ForStatement, call: TSESTree.Node): boolean {
      if (
        loop.init?.type !== AST_NODE_TYPES.VariableDeclaration &&
        loop.init?.type !== AST_NODE_TYPES.AssignmentExpression
      )
        return false;
      const counters =
        loop.init.type === AST_NODE_TYPES.VariableDeclaration ? boundNames(loop.init) : boundNames(loop.init.left);
      for (const node of descendants(call)) {
        if (node.type !== AST_NODE_TYPES.CallExpression || !WINDOW_METHODS.has(memberName(node.callee) ?? "")) continue;
        if (
          node.arguments.some((argument) =>
            [...descendants(argument)].some(
              (part) => part.type === AST_NODE_TYPES.Identifier && counters.has(part.name),
            ),
          )
        )
          return true;
      }
      return false;
    }

    /** `break`/`return` right after the statement (same block, unconditional) or the call inside `return`: the loop ends once it succeeds (a bounded retry). */
    function leavesLoopAfter(node: TSESTree.Node, loop: TSESTree.Node, returnOnly = false): boolean {
      for (
        let child = node, current = node.parent;
        current && current !== loop;
        child = current, current = current.parent
      ) {
        if (current.type === AST_NODE_TYPES.ReturnStatement) return true;
        if (current.type === AST_NODE_TYPES.BlockStatement && !returnOnly) {
          const rest = current.body.slice(current.body.indexOf(child as TSESTree.Statement) + 1);
          if (
            rest.some(
              (statement) =>
                statement.type === AST_NODE_TYPES.ReturnStatement ||
                (statement.type === AST_NODE_TYPES.BreakStatement && statement.label === null),
            )
          )
            return true;
        }
      }
      return false;
    }

    /** `Array.from(source, callback)`: the callback runs once per element. */
    function isArrayFromCallback(fn: TSESTree.Node, call: TSESTree.CallExpression): boolean {
      return (
        call.arguments[1] === fn &&
        call.callee.type === AST_NODE_TYPES.MemberExpression &&
        call.callee.object.type === AST_NODE_TYPES.Identifier &&
        call.callee.object.name === "Array" &&
        memberName(call.callee) === "from"
      );
    }

    /** The loop or per-item callback that runs `node` repeatedly, if any (stops at the first other function). */
    function repeatingContext(node: TSESTree.Node): { loop: TSESTree.Node } | { method: string } | undefined {
      let child: TSESTree.Node = node;
      for (let current = node.parent; current; child = current, current = current.parent) {
        if (isLoopBody(current, child)) {
          if (current.type === AST_NODE_TYPES.ForOfStatement && iteratesBatches(current, node)) return undefined;
          if (current.type === AST_NODE_TYPES.ForStatement && iteratesWindows(current, node)) return undefined;
          if (leavesLoopAfter(node, current)) return undefined;
          return { loop: current };
        }
        if (isFunctionNode(current)) {
          const call = current.parent;
          if (call?.type !== AST_NODE_TYPES.CallExpression) return undefined;
          if (isArrayFromCallback(current, call)) return { method: "Array.from" };
          if (call.arguments[0] !== current) return undefined;
          const method = memberName(call.callee);
          if (
            method === undefined ||
            !PER_ITEM_METHODS.has(method) ||
            call.callee.type !== AST_NODE_TYPES.MemberExpression
          )
            return undefined;
          const receiver = services.getTypeAtLocation(call.callee.object);
          return checker.isArrayType(receiver) || checker.isTupleType(receiver) ? { method: `.${method}` } : undefined;
        }
      }
      return undefined;
    }

    /** The name a function calls itself by: `function walk()`, `const walk = async () => ...`, a method `walk()`. */
    function functionName(fn: FunctionNode): string | undefined {
      if (fn.id) return fn.id.name;
      const parent = fn.parent;
      if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier)
        return parent.id.name;
      if (parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.Property) {
        return !parent.computed && parent.key.type === AST_NODE_TYPES.Identifier ? parent.key.name : undefined;
      }
      return undefined;
    }

    function insideCatch(node: TSESTree.Node, fn: FunctionNode): boolean {
      for (let current = node.parent; current && current !== fn; current = current.parent) {
        if (current.type === AST_NODE_TYPES.CatchClause) return true;
      }
      return false;
    }

    const recursiveNames = new Map<FunctionNode, string | undefined>();

    /** The function's name when its body calls itself (`walk(child)`, `this.walk(child)`). */
    function recursionOf(fn: FunctionNode): string | undefined {
      if (recursiveNames.has(fn)) return recursiveNames.get(fn);
      const name = functionName(fn);
      let recursive: string | undefined;
      if (name !== undefined) {
        for (const node of descendants(fn.body)) {
          if (node.type !== AST_NODE_TYPES.CallExpression) continue;
          const callee = node.callee;
          const self =
            (callee.type === AST_NODE_TYPES.Identifier && callee.name === name) ||
            (callee.type === AST_NODE_TYPES.MemberExpression &&
              callee.object.type === AST_NODE_TYPES.ThisExpression &&
              memberName(callee) === name);
          // A call from a catch clause tries again after a failure (a retry), one level per failure, not per row.
          if (self && !insideCatch(node, fn)) {
            recursive = name;
            break;
          }
        }
      }
      recursiveNames.set(fn, recursive);
      return recursive;
    }

    /** The variable a statement's result lands in: `const page = await repository.listUsers(...)`. */
    function resultVariable(node: TSESTree.Node): string | undefined {
      const parent = node.parent?.type === AST_NODE_TYPES.AwaitExpression ? node.parent.parent : node.parent;
      return parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier
        ? parent.id.name
        : undefined;
    }

    /**
     * The recursive call takes what this level's statement returned (`walk(page.nextCursor)`): each level needs the
     * previous answer, as keyset paging does, so the levels cannot be one statement.
     */
    function recursesOnResult(node: TSESTree.Node, fn: FunctionNode, name: string): boolean {
      const result = resultVariable(node);
      if (result === undefined) return false;
      return [...descendants(fn.body)].some(
        (call) =>
          call.type === AST_NODE_TYPES.CallExpression &&
          call.callee.type === AST_NODE_TYPES.Identifier &&
          call.callee.name === name &&
          call.arguments.some((argument) =>
            [...descendants(argument)].some((part) => part.type === AST_NODE_TYPES.Identifier && part.name === result),
          ),
      );
    }

    /** A pool checkout (`pool.connect()`) or shutdown sends no statement of its own. */
    function sendsNoStatement(node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression): boolean {
      if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.MemberExpression)
        return false;
      return NO_STATEMENT_METHODS.has(memberName(node.callee) ?? "");
    }

    function check(node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression): void {
      // Only the end of a chain runs the statement: db.select().from(t).where(x) is one call.
      if (node.parent.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node) return;
      if (sendsNoStatement(node)) return;
      const repeating = repeatingContext(node);
      if (!repeating) {
        const fn = enclosingFunction(node);
        const name = fn ? recursionOf(fn) : undefined;
        if (!fn || name === undefined || leavesLoopAfter(node, fn, true) || recursesOnResult(node, fn, name)) return;
        const call = classify(node);
        if (call) context.report({ node, messageId: "queryPerRecursion", data: { call: call.label, name } });
        return;
      }
      const call = classify(node);
      if (!call) return;
      if ("loop" in repeating) context.report({ node, messageId: "queryInLoop", data: { call: call.label } });
      else context.report({ node, messageId: "queryInCallback", data: { call: call.label, method: repeating.method } });
    }

    return { CallExpression: check, TaggedTemplateExpression: check };
  },
});
