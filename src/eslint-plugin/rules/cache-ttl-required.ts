import { AST_NODE_TYPES, ESLintUtils } from "@typescript-eslint/utils";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

import { createRule } from "../create-rule.js";
import { enclosingFunction, memberName, propertyKeyName } from "../support/ast.js";
import { REDIS_PACKAGE_PATTERN, typeDeclaredIn } from "../support/type-origin.js";

// SET options that give (or keep) an expiry: node-redis option keys and ioredis string tokens.
const SET_EXPIRY_OPTIONS = new Set(["ex", "px", "exat", "pxat", "keepttl", "expiration"]);
// Writes that create a key without an expiry unless an expire on the same key follows.
const WRITES_NEEDING_EXPIRE = new Set([
  "setnx",
  "hset",
  "hsetnx",
  "hmset",
  "lpush",
  "rpush",
  "lpushx",
  "rpushx",
  "linsert",
  "sadd",
  "zadd",
  "xadd",
  "pfadd",
  "geoadd",
  "append",
  "setrange",
  "incr",
  "incrby",
  "incrbyfloat",
  "decr",
  "decrby",
  "hincrby",
  "hincrbyfloat",
  // GETSET replaces the value and drops any expiry the key had.
  "getset",
]);
// Moves that create their destination (the second argument) without an expiry.
const MOVES_TO_DESTINATION = new Set(["lmove", "blmove", "rpoplpush", "brpoplpush", "smove"]);
// Removes the expiry a key has: the entry lives forever from then on.
const PERSIST = "persist";
// Raw command senders: node-redis `sendCommand(["SET", ...])`, ioredis `call("SET", ...)`.
const RAW_SENDERS = new Set(["sendcommand", "call"]);
const IOREDIS_PATTERN = /[\\/]node_modules[\\/]ioredis[\\/]/;
// The constant a fix adds (or reuses) for the expiry the user then sets.
const TTL_CONSTANT = "CACHE_TTL_SECONDS";
const TTL_CONSTANT_SUFFIX = /(?:^|_)TTL_SECONDS$/;
const DEFAULT_TTL_SECONDS = 300;
// Multi-key writes: no TTL can be given and keys rarely match an expire call.
const MULTI_KEY_WRITES = new Set(["mset", "msetnx"]);
const EXPIRE_COMMANDS = new Set(["expire", "pexpire", "expireat", "pexpireat"]);

type MessageIds = "setWithoutTtl" | "writeWithoutExpire" | "multiKeyWrite" | "persistRemovesTtl" | "addExpire";

interface PendingWrite {
  node: TSESTree.CallExpression;
  key: string;
  command: string;
  /** The command went through sendCommand/call: the fix adds tokens, not options. */
  raw?: TSESTree.ArrayExpression | TSESTree.CallExpression;
}

/** A raw command: `sendCommand(["SET", key, value])` or `call("SET", key, value)`, as its name and argument nodes. */
function rawCommand(
  call: TSESTree.CallExpression,
  sender: string,
): { name: string; args: TSESTree.Node[]; holder: TSESTree.ArrayExpression | TSESTree.CallExpression } | undefined {
  if (sender === "sendcommand") {
    const array = call.arguments[0];
    if (array?.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
    const [first, ...args] = array.elements;
    if (first?.type !== AST_NODE_TYPES.Literal || typeof first.value !== "string") return undefined;
    return {
      name: first.value.toLowerCase(),
      args: args.filter((arg): arg is TSESTree.Expression => arg !== null && arg.type !== AST_NODE_TYPES.SpreadElement),
      holder: array,
    };
  }
  const [first, ...args] = call.arguments;
  if (first?.type !== AST_NODE_TYPES.Literal || typeof first.value !== "string") return undefined;
  return { name: first.value.toLowerCase(), args, holder: call };
}

export const cacheTtlRequired = createRule<[], MessageIds>({
  name: "cache-ttl-required",
  meta: {
    type: "problem",
    fixable: "code",
    hasSuggestions: true,
    docs: {
      description: "Require every Redis write (node-redis or ioredis) to carry a TTL",
      playbook: "Set a TTL on all cached data to prevent stale data and memory exhaustion.",
      fix: 'Pass `{ expiration: { type: "EX", value: TTL_SECONDS } }` (node-redis) or `"EX", TTL_SECONDS` (ioredis), or `expire` the key in the same function; `generate cache <name>` writes a cache module that always does.',
      requiresTypeChecking: true,
    },
    messages: {
      setWithoutTtl:
        '`{{command}}` stores `{{key}}` without an expiry: pass EX/PX (node-redis: `{ expiration: { type: "EX", value: TTL_SECONDS } }`) so the entry cannot live forever.',
      writeWithoutExpire:
        "`{{command}}` creates `{{key}}` with no expiry and this function never expires it: call `expire({{key}}, TTL_SECONDS)` after the write.",
      multiKeyWrite:
        "`{{command}}` cannot set an expiry: write each key with SET ... EX (in a pipeline/multi) instead.",
      persistRemovesTtl:
        "`{{command}}` removes the expiry of `{{key}}`: the entry then lives until deleted. Rewrite it with SET ... EX (or `expire` it again) instead.",
      addExpire: "Expire `{{key}}` after the write: `expire({{key}}, {{constant}})`",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const source = context.sourceCode;
    const pending: PendingWrite[] = [];
    // Keys expired per function (module level is `undefined`).
    const expired = new Map<TSESTree.Node | undefined, Set<string>>();

    function setHasExpiry(call: TSESTree.CallExpression): boolean {
      const options = call.arguments.slice(2);
      if (options.length === 0) return false;
      return options.some((option) => {
        if (option.type === AST_NODE_TYPES.ObjectExpression) {
          return option.properties.some(
            (property) =>
              property.type === AST_NODE_TYPES.SpreadElement ||
              SET_EXPIRY_OPTIONS.has(propertyKeyName(property)?.toLowerCase() ?? ""),
          );
        }
        if (option.type === AST_NODE_TYPES.Literal)
          return typeof option.value === "string" && SET_EXPIRY_OPTIONS.has(option.value.toLowerCase());
        // A variable or spread holding the options: trust it rather than guess.
        return option.type !== AST_NODE_TYPES.TemplateLiteral;
      });
    }

    function rawHasExpiry(args: readonly TSESTree.Node[]): boolean {
      return args
        .slice(2)
        .some(
          (arg) =>
            arg.type !== AST_NODE_TYPES.Literal ||
            (typeof arg.value === "string" && SET_EXPIRY_OPTIONS.has(arg.value.toLowerCase())),
        );
    }

    /** The module-level constant the fix uses: an existing `*_TTL_SECONDS`, else CACHE_TTL_SECONDS (declared by the fix). */
    function ttlConstant(node: TSESTree.Node): { name: string; declared: boolean } {
      const names: string[] = [];
      for (let scope: TSESLint.Scope.Scope | null = source.getScope(node); scope; scope = scope.upper)
        names.push(...scope.variables.map((variable) => variable.name));
      if (names.includes(TTL_CONSTANT)) return { name: TTL_CONSTANT, declared: true };
      const existing = names.filter((name) => TTL_CONSTANT_SUFFIX.test(name));
      return existing.length === 1 && existing[0]
        ? { name: existing[0], declared: true }
        : { name: TTL_CONSTANT, declared: false };
    }

    /** Declares the TTL constant after the imports (once: a second fix in the same pass finds it on the next pass). */
    function declareConstant(fixer: TSESLint.RuleFixer): TSESLint.RuleFix {
      const imports = source.ast.body.filter((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration);
      const declaration = `// How long these entries may be served stale: set it for this data.\nconst ${TTL_CONSTANT} = ${String(DEFAULT_TTL_SECONDS)};\n`;
      const last = imports.at(-1);
      return last
        ? fixer.insertTextAfter(last, `\n\n${declaration.trimEnd()}`)
        : fixer.insertTextBeforeRange([0, 0], `${declaration}\n`);
    }

    /** SET with only key and value: append the expiry (node-redis options, ioredis or raw tokens). */
    function setFix(write: PendingWrite): TSESLint.ReportFixFunction | undefined {
      const call = write.node;
      const constant = ttlConstant(call);
      let insertAfter: TSESTree.Node | undefined;
      let text: string;
      if (write.raw?.type === AST_NODE_TYPES.ArrayExpression) {
        if (write.raw.elements.length !== 3) return undefined;
        insertAfter = write.raw.elements[2] ?? undefined;
        text = `, "EX", String(${constant.name})`;
      } else if (write.raw) {
        if (write.raw.arguments.length !== 3) return undefined;
        insertAfter = write.raw.arguments[2];
        text = `, "EX", ${constant.name}`;
      } else {
        if (call.callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
        const ioredis = typeDeclaredIn(checker, services.getTypeAtLocation(call.callee.object), IOREDIS_PATTERN);
        const options = call.arguments[2];
        if (call.arguments.length === 3 && !ioredis && options?.type === AST_NODE_TYPES.ObjectExpression) {
          // node-redis options such as { NX: true }: the expiry joins them.
          const last = options.properties.at(-1);
          const expiration = `expiration: { type: "EX", value: ${constant.name} }`;
          return (fixer) => [
            last ? fixer.insertTextAfter(last, `, ${expiration}`) : fixer.replaceText(options, `{ ${expiration} }`),
            ...(constant.declared ? [] : [declareConstant(fixer)]),
          ];
        }
        if (call.arguments.length !== 2) return undefined;
        insertAfter = call.arguments[1];
        text = ioredis ? `, "EX", ${constant.name}` : `, { expiration: { type: "EX", value: ${constant.name} } }`;
      }
      const after = insertAfter;
      if (!after || after.type === AST_NODE_TYPES.SpreadElement) return undefined;
      return (fixer) => [fixer.insertTextAfter(after, text), ...(constant.declared ? [] : [declareConstant(fixer)])];
    }

    /** `await client.hSet(key, ...);` as a statement of a block: suggest `await client.expire(key, TTL);` after it. */
    function expireSuggestion(write: PendingWrite): TSESLint.ReportSuggestionArray<MessageIds> {
      const call = write.node;
      const awaited = call.parent.type === AST_NODE_TYPES.AwaitExpression ? call.parent : undefined;
      const statement = awaited?.parent;
      if (
        write.raw ||
        !awaited ||
        statement?.type !== AST_NODE_TYPES.ExpressionStatement ||
        call.callee.type !== AST_NODE_TYPES.MemberExpression
      )
        return [];
      const constant = ttlConstant(call);
      const client = source.getText(call.callee.object);
      const indent = /^\s*/.exec(source.lines[statement.loc.start.line - 1] ?? "")?.[0] ?? "";
      return [
        {
          messageId: "addExpire",
          data: { key: write.key, constant: constant.name },
          fix: (fixer) => [
            fixer.insertTextAfter(statement, `\n${indent}await ${client}.expire(${write.key}, ${constant.name});`),
            ...(constant.declared ? [] : [declareConstant(fixer)]),
          ],
        },
      ];
    }

    function remember(
      node: TSESTree.CallExpression,
      lower: string,
      command: string,
      args: readonly TSESTree.Node[],
      raw?: PendingWrite["raw"],
    ): void {
      const keyNode = MOVES_TO_DESTINATION.has(lower) ? args[1] : args[0];
      const key = keyNode ? source.getText(keyNode) : "";
      if (EXPIRE_COMMANDS.has(lower)) {
        const scope = enclosingFunction(node);
        const keys = expired.get(scope) ?? new Set<string>();
        keys.add(key);
        expired.set(scope, keys);
        return;
      }
      if (MULTI_KEY_WRITES.has(lower)) {
        context.report({ node, messageId: "multiKeyWrite", data: { command } });
        return;
      }
      if (lower === PERSIST) {
        context.report({ node, messageId: "persistRemovesTtl", data: { command, key } });
        return;
      }
      if (lower === "set" && (raw ? rawHasExpiry(args) : setHasExpiry(node))) return;
      pending.push({ node, key, command, ...(raw ? { raw } : {}) });
    }

    return {
      CallExpression(node) {
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = memberName(node.callee);
        if (method === undefined) return;
        const lower = method.toLowerCase();
        const relevant = (name: string): boolean =>
          name === "set" ||
          name === PERSIST ||
          WRITES_NEEDING_EXPIRE.has(name) ||
          MOVES_TO_DESTINATION.has(name) ||
          MULTI_KEY_WRITES.has(name) ||
          EXPIRE_COMMANDS.has(name);
        const raw = RAW_SENDERS.has(lower) ? rawCommand(node, lower) : undefined;
        if (raw ? !relevant(raw.name) : !relevant(lower)) return;
        if (!typeDeclaredIn(checker, services.getTypeAtLocation(node.callee.object), REDIS_PACKAGE_PATTERN)) return;
        if (raw) remember(node, raw.name, `${method}(${raw.name.toUpperCase()})`, raw.args, raw.holder);
        else remember(node, lower, method, node.arguments);
      },
      "Program:exit"() {
        for (const write of pending) {
          if (expired.get(enclosingFunction(write.node))?.has(write.key)) continue;
          const isSet = write.raw ? write.command.endsWith("(SET)") : write.command.toLowerCase() === "set";
          if (isSet) {
            const fix = setFix(write);
            context.report({
              node: write.node,
              messageId: "setWithoutTtl",
              data: { command: write.command, key: write.key },
              ...(fix ? { fix } : {}),
            });
          } else {
            context.report({
              node: write.node,
              messageId: "writeWithoutExpire",
              data: { command: write.command, key: write.key },
              suggest: expireSuggestion(write),
            });
          }
        }
      },
    };
  },
});
