import { AST_NODE_TYPES, ESLintUtils } from "@typescript-eslint/utils";
import type { TSESTree } from "@typescript-eslint/utils";

import { createRule } from "../create-rule.js";
import { enclosingFunction, memberName, propertyKeyName } from "../support/ast.js";
import { REDIS_PACKAGE_PATTERN, typeDeclaredIn } from "../support/type-origin.js";

// SET options that give (or keep) an expiry: node-redis option keys and ioredis string tokens.
const SET_EXPIRY_OPTIONS = new Set(["ex", "px", "exat", "pxat", "keepttl", "expiration"]);
// Writes that create a key without an expiry unless an expire on the same key follows.
const WRITES_NEEDING_EXPIRE = new Set([
  "setnx", "hset", "hsetnx", "hmset", "lpush", "rpush", "lpushx", "rpushx", "linsert", "sadd", "zadd", "xadd", "pfadd",
  "geoadd", "append", "setrange", "incr", "incrby", "incrbyfloat", "decr", "decrby", "hincrby", "hincrbyfloat",
]);
// Multi-key writes: no TTL can be given and keys rarely match an expire call.
const MULTI_KEY_WRITES = new Set(["mset", "msetnx"]);
const EXPIRE_COMMANDS = new Set(["expire", "pexpire", "expireat", "pexpireat"]);

type MessageIds = "setWithoutTtl" | "writeWithoutExpire" | "multiKeyWrite";

interface PendingWrite {
  node: TSESTree.CallExpression;
  key: string;
  command: string;
}

export const cacheTtlRequired = createRule<[], MessageIds>({
  name: "cache-ttl-required",
  meta: {
    type: "problem",
    docs: {
      description: "Require every Redis write (node-redis or ioredis) to carry a TTL",
      playbook: "Set a TTL on all cached data to prevent stale data and memory exhaustion.",
      fix: "Pass `{ expiration: { type: \"EX\", value: TTL_SECONDS } }` (node-redis) or `\"EX\", TTL_SECONDS` (ioredis), or `expire` the key in the same function; `generate cache <name>` writes a cache module that always does.",
      requiresTypeChecking: true,
    },
    messages: {
      setWithoutTtl: "`{{command}}` stores `{{key}}` without an expiry: pass EX/PX (node-redis: `{ expiration: { type: \"EX\", value: TTL_SECONDS } }`) so the entry cannot live forever.",
      writeWithoutExpire: "`{{command}}` creates `{{key}}` with no expiry and this function never expires it: call `expire({{key}}, TTL_SECONDS)` after the write.",
      multiKeyWrite: "`{{command}}` cannot set an expiry: write each key with SET ... EX (in a pipeline/multi) instead.",
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
            (property) => property.type === AST_NODE_TYPES.SpreadElement || SET_EXPIRY_OPTIONS.has(propertyKeyName(property)?.toLowerCase() ?? ""),
          );
        }
        if (option.type === AST_NODE_TYPES.Literal) return typeof option.value === "string" && SET_EXPIRY_OPTIONS.has(option.value.toLowerCase());
        // A variable or spread holding the options: trust it rather than guess.
        return option.type !== AST_NODE_TYPES.TemplateLiteral;
      });
    }

    return {
      CallExpression(node) {
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const command = memberName(node.callee);
        if (command === undefined) return;
        const lower = command.toLowerCase();
        const relevant = lower === "set" || WRITES_NEEDING_EXPIRE.has(lower) || MULTI_KEY_WRITES.has(lower) || EXPIRE_COMMANDS.has(lower);
        if (!relevant || !typeDeclaredIn(checker, services.getTypeAtLocation(node.callee.object), REDIS_PACKAGE_PATTERN)) return;
        const keyNode = node.arguments[0];
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
        if (lower === "set" && setHasExpiry(node)) return;
        pending.push({ node, key, command });
      },
      "Program:exit"() {
        for (const write of pending) {
          if (expired.get(enclosingFunction(write.node))?.has(write.key)) continue;
          const messageId = write.command.toLowerCase() === "set" ? "setWithoutTtl" : "writeWithoutExpire";
          context.report({ node: write.node, messageId, data: { command: write.command, key: write.key } });
        }
      },
    };
  },
});
