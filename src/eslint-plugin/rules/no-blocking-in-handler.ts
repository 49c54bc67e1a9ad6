import { AST_NODE_TYPES, ASTUtils, ESLintUtils } from "@typescript-eslint/utils";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

import { createRule } from "../create-rule.js";
import { isFunctionNode, isLoopBody, memberName, PER_ITEM_METHODS, propertyKeyName } from "../support/ast.js";
import type { FunctionNode } from "../support/ast.js";
import { blockingApiName, findBlockingPath } from "../support/blocking-calls.js";
import { typeDeclaredIn } from "../support/type-origin.js";

// What a request handler receives: Fastify, Express, Koa, Hono, node:http and the fetch Request (route handlers).
const REQUEST_TYPE_NAMES = new Set([
  "FastifyRequest",
  "FastifyReply",
  "Request",
  "IncomingMessage",
  "ServerResponse",
  "Http2ServerRequest",
  "Context",
  "ParameterizedContext",
]);
const REQUEST_TYPE_PACKAGES =
  /[\\/]node_modules[\\/](?:fastify|express|express-serve-static-core|@types[\\/]express(?:-serve-static-core)?|koa|@types[\\/]koa|hono|undici-types|@types[\\/]node[\\/](?:http|http2|globals|web-globals[\\/]fetch)\.d\.ts)|[\\/]lib\.dom\.d\.ts$/;

// Registering a route on one of these frameworks makes every function argument a handler.
const FRAMEWORK_PACKAGES =
  /[\\/]node_modules[\\/](?:fastify|express|express-serve-static-core|@types[\\/]express(?:-serve-static-core)?|koa|@types[\\/]koa|@koa[\\/]router|hono)[\\/]/;
const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "all", "use", "route"]);
// Hooks (Fastify addHook, server.on) that run per request; onReady/onClose and the like run once.
const PER_REQUEST_HOOKS = new Set([
  "onRequest",
  "preParsing",
  "preValidation",
  "preHandler",
  "preSerialization",
  "onSend",
  "onResponse",
  "onError",
  "onTimeout",
  "request",
]);
const HOOK_METHODS = new Set(["addHook", "on"]);
const HANDLER_PROPERTIES = new Set(["handler", "preHandler", "onRequest", "preValidation"]);

type MessageIds = "blockingCall" | "blockingViaCall" | "jsonParseInLoop" | "useFsPromises";

// fs *Sync functions with a same-named, same-argument counterpart in fs/promises (existsSync has none).
const FS_PROMISES_COUNTERPARTS = new Set([
  "readFile",
  "writeFile",
  "appendFile",
  "readdir",
  "stat",
  "lstat",
  "mkdir",
  "rm",
  "rmdir",
  "unlink",
  "copyFile",
  "rename",
  "realpath",
  "access",
  "chmod",
  "truncate",
]);
const FS_PROMISES_MODULES = new Set(["node:fs/promises", "fs/promises"]);

export const noBlockingInHandler = createRule<[], MessageIds>({
  name: "no-blocking-in-handler",
  meta: {
    type: "problem",
    hasSuggestions: true,
    docs: {
      description:
        "Disallow synchronous CPU or I/O calls (crypto *Sync, zlib *Sync, fs *Sync, child_process *Sync, bcrypt *Sync) reachable from a request handler",
      playbook: "Offload CPU-intensive work to Worker Threads: blocking the event loop degrades all requests.",
      fix: "Use the async API (`fs/promises`, `crypto.scrypt` via `promisify`), or move the work to a worker (`generate worker <name>`).",
      requiresTypeChecking: true,
    },
    messages: {
      blockingCall:
        "`{{api}}` blocks the event loop inside a request handler: every other request waits. Use the async API or a worker (`generate worker`).",
      blockingViaCall:
        "`{{callee}}` reaches `{{api}}` ({{location}}{{via}}), which blocks the event loop inside a request handler. Use the async API or a worker (`generate worker`).",
      useFsPromises: "Await `{{name}}` from node:fs/promises instead",
      jsonParseInLoop:
        "`JSON.parse` once per iteration inside a request handler blocks the event loop for large payloads: parse once, or move the work to a worker.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const handlerCache = new Map<FunctionNode, boolean>();

    function isFrameworkCall(call: TSESTree.Node | undefined): boolean {
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.MemberExpression)
        return false;
      const method = memberName(call.callee);
      if (method === undefined) return false;
      const hook = call.arguments[0];
      const perRequestHook =
        HOOK_METHODS.has(method) && hook?.type === AST_NODE_TYPES.Literal && PER_REQUEST_HOOKS.has(String(hook.value));
      if (!ROUTE_METHODS.has(method) && !perRequestHook) return false;
      return typeDeclaredIn(checker, services.getTypeAtLocation(call.callee.object), FRAMEWORK_PACKAGES);
    }

    /** app.get(path, fn), app.route({ handler: fn }) */
    function isRegisteredRoute(fn: FunctionNode): boolean {
      const parent = fn.parent;
      if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(fn as TSESTree.Expression))
        return isFrameworkCall(parent);
      if (
        parent.type === AST_NODE_TYPES.Property &&
        parent.value === fn &&
        HANDLER_PROPERTIES.has(propertyKeyName(parent) ?? "")
      ) {
        return isFrameworkCall(parent.parent.parent);
      }
      return false;
    }

    function isHandler(fn: FunctionNode): boolean {
      const cached = handlerCache.get(fn);
      if (cached !== undefined) return cached;
      const result =
        isRegisteredRoute(fn) ||
        fn.params.some((param) => {
          const type = services.getTypeAtLocation(param);
          const names = [type.getSymbol()?.name, type.aliasSymbol?.name];
          return (
            names.some((name) => name !== undefined && REQUEST_TYPE_NAMES.has(name)) &&
            typeDeclaredIn(checker, type, REQUEST_TYPE_PACKAGES)
          );
        });
      handlerCache.set(fn, result);
      return result;
    }

    /**
     * `readFileSync(...)` directly in an async function: suggest `(await readFile(...))` from node:fs/promises (the
     * import added, or an existing one reused). Not offered when the name is taken by something else.
     */
    function fsPromisesSuggestion(
      node: TSESTree.CallExpression,
      api: string,
    ): TSESLint.ReportSuggestionArray<MessageIds> {
      const name = api.startsWith("fs.") ? api.slice("fs.".length).replace(/Sync$/, "") : undefined;
      if (name === undefined || !FS_PROMISES_COUNTERPARTS.has(name)) return [];
      let fn: TSESTree.Node | undefined = node.parent;
      while (fn && !isFunctionNode(fn)) fn = fn.parent;
      if (!fn || !isFunctionNode(fn) || !fn.async) return [];
      const source = context.sourceCode;
      const existing = ASTUtils.findVariable(source.getScope(node), name);
      const definition = existing?.defs[0];
      const importedFromPromises =
        definition?.type === "ImportBinding" &&
        definition.parent.type === AST_NODE_TYPES.ImportDeclaration &&
        FS_PROMISES_MODULES.has(String(definition.parent.source.value));
      if (existing && !importedFromPromises) return [];
      const imports = source.ast.body.filter((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration);
      const lastImport = imports.at(-1);
      const args = node.arguments.map((argument) => source.getText(argument)).join(", ");
      return [
        {
          messageId: "useFsPromises",
          data: { name },
          fix: (fixer) => [
            fixer.replaceText(node, `(await ${name}(${args}))`),
            ...(importedFromPromises
              ? []
              : lastImport
                ? [fixer.insertTextAfter(lastImport, `\nimport { ${name} } from "node:fs/promises";`)]
                : [fixer.insertTextBeforeRange([0, 0], `import { ${name} } from "node:fs/promises";\n`)]),
          ],
        },
      ];
    }

    /** Whether a handler runs the node, and whether it sits in a loop inside that handler. */
    function handlerContext(node: TSESTree.Node): { inHandler: boolean; inLoop: boolean } {
      let inLoop = false;
      let child: TSESTree.Node = node;
      for (let current = node.parent; current; child = current, current = current.parent) {
        if (isLoopBody(current, child)) inLoop = true;
        if (isFunctionNode(current)) {
          if (isHandler(current)) return { inHandler: true, inLoop };
          const method =
            current.parent.type === AST_NODE_TYPES.CallExpression ? memberName(current.parent.callee) : undefined;
          if (method !== undefined && PER_ITEM_METHODS.has(method)) inLoop = true;
        }
      }
      return { inHandler: false, inLoop };
    }

    return {
      CallExpression(node) {
        const calleeNode = node.callee.type === AST_NODE_TYPES.MemberExpression ? node.callee.property : node.callee;
        const isJsonParse =
          node.callee.type === AST_NODE_TYPES.MemberExpression &&
          node.callee.object.type === AST_NODE_TYPES.Identifier &&
          node.callee.object.name === "JSON" &&
          calleeNode.type === AST_NODE_TYPES.Identifier &&
          calleeNode.name === "parse";
        const where = handlerContext(node);
        if (!where.inHandler) return;
        if (isJsonParse) {
          if (where.inLoop) context.report({ node, messageId: "jsonParseInLoop" });
          return;
        }
        const symbol = services.getSymbolAtLocation(calleeNode);
        const api = blockingApiName(checker, symbol);
        if (api) {
          context.report({ node, messageId: "blockingCall", data: { api }, suggest: fsPromisesSuggestion(node, api) });
          return;
        }
        const path = findBlockingPath(checker, symbol);
        if (path) {
          const via = path.via.length > 1 ? `, via ${path.via.slice(1).join(" -> ")}` : "";
          context.report({
            node,
            messageId: "blockingViaCall",
            data: { callee: context.sourceCode.getText(node.callee), api: path.api, location: path.location, via },
          });
        }
      },
    };
  },
});
