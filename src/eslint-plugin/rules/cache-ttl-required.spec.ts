import { vi } from "vitest";

import { createTypedRuleTester } from "../../../test/helpers/rule-tester.js";
import { cacheTtlRequired } from "./cache-ttl-required.js";

const PRELUDE = `import { Redis } from "ioredis";
import { createClient } from "redis";
const client = createClient();
const ioredis = new Redis();
const TTL_SECONDS = 60;
const settings = new Map<string, string>();
`;

// The first case builds the type program (issue 25: 20 s is not enough on a loaded machine); later cases reuse it.
const TYPED_SPEC_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: TYPED_SPEC_TIMEOUT_MS });

createTypedRuleTester().run("cache-ttl-required", cacheTtlRequired, {
  valid: [
    `${PRELUDE}export async function f() { await client.set("k", "v", { expiration: { type: "EX", value: TTL_SECONDS } }); }`,
    `${PRELUDE}export async function f() { await client.set("k", "v", { EX: TTL_SECONDS, NX: true }); }`,
    `${PRELUDE}export async function f() { await client.setEx("k", TTL_SECONDS, "v"); }`,
    `${PRELUDE}export async function f() { await ioredis.set("k", "v", "EX", TTL_SECONDS); }`,
    `${PRELUDE}export async function f() { await ioredis.set("k", "v", "KEEPTTL"); }`,
    // hSet followed by an expire of the same key in the same function.
    `${PRELUDE}export async function f(id: string) { await client.hSet(\`user:\${id}\`, { name: "a" }); await client.expire(\`user:\${id}\`, TTL_SECONDS); }`,
    // In a transaction chain.
    `${PRELUDE}export async function f(key: string) { await client.multi().incr(key).expire(key, TTL_SECONDS).exec(); }`,
    // A Map is not Redis.
    `${PRELUDE}export function f() { settings.set("k", "v"); }`,
    // Raw commands with their expiry, and a move whose destination is expired right after.
    `${PRELUDE}export async function f(key: string) { await client.sendCommand(["SET", key, "v", "EX", String(TTL_SECONDS)]); }`,
    `${PRELUDE}export async function f(key: string) { await ioredis.call("SET", key, "v", "PX", 1000); }`,
    `${PRELUDE}export async function f() { await client.lMove("pending", "working", "LEFT", "RIGHT"); await client.expire("working", TTL_SECONDS); }`,
    `${PRELUDE}export async function f(key: string) { await client.sendCommand(["GET", key]); }`,
    // Options from a variable: trusted.
    `${PRELUDE}const OPTIONS = { EX: TTL_SECONDS }; export async function f() { await client.set("k", "v", OPTIONS); }`,
  ],
  invalid: [
    {
      code: `${PRELUDE}export async function f() { await client.set("k", "v"); }`,
      // The file's one *_TTL_SECONDS constant is reused.
      output: `${PRELUDE}export async function f() { await client.set("k", "v", { expiration: { type: "EX", value: TTL_SECONDS } }); }`,
      errors: [{ messageId: "setWithoutTtl", data: { command: "set", key: `"k"` } }],
    },
    {
      code: `${PRELUDE}export async function f() { await client.set("k", "v", { NX: true }); }`,
      output: `${PRELUDE}export async function f() { await client.set("k", "v", { NX: true, expiration: { type: "EX", value: TTL_SECONDS } }); }`,
      errors: [{ messageId: "setWithoutTtl" }],
    },
    {
      code: `${PRELUDE}export async function f() { await ioredis.set("k", "v"); }`,
      output: `${PRELUDE}export async function f() { await ioredis.set("k", "v", "EX", TTL_SECONDS); }`,
      errors: [{ messageId: "setWithoutTtl" }],
    },
    {
      code: `${PRELUDE}export async function f(id: string) { await client.hSet(\`user:\${id}\`, { name: "a" }); }`,
      errors: [
        {
          messageId: "writeWithoutExpire",
          data: { command: "hSet", key: "`user:${id}`" },
          suggestions: [
            {
              messageId: "addExpire",
              output: `${PRELUDE}export async function f(id: string) { await client.hSet(\`user:\${id}\`, { name: "a" });\nawait client.expire(\`user:\${id}\`, TTL_SECONDS); }`,
            },
          ],
        },
      ],
    },
    {
      // The expire is on another key.
      code: `${PRELUDE}export async function f() { await ioredis.lpush("queue", "a"); await ioredis.expire("other", TTL_SECONDS); }`,
      errors: [
        {
          messageId: "writeWithoutExpire",
          suggestions: [
            {
              messageId: "addExpire",
              output: `${PRELUDE}export async function f() { await ioredis.lpush("queue", "a");\nawait ioredis.expire("queue", TTL_SECONDS); await ioredis.expire("other", TTL_SECONDS); }`,
            },
          ],
        },
      ],
    },
    {
      code: `${PRELUDE}export async function f() { await client.mSet({ a: "1", b: "2" }); }`,
      errors: [{ messageId: "multiKeyWrite" }],
    },
    {
      // The expire is in another function.
      code: `${PRELUDE}export async function write() { await client.sAdd("tags", "a"); } export async function touch() { await client.expire("tags", TTL_SECONDS); }`,
      errors: [
        {
          messageId: "writeWithoutExpire",
          suggestions: [
            {
              messageId: "addExpire",
              output: `${PRELUDE}export async function write() { await client.sAdd("tags", "a");\nawait client.expire("tags", TTL_SECONDS); } export async function touch() { await client.expire("tags", TTL_SECONDS); }`,
            },
          ],
        },
      ],
    },
    {
      // No TTL constant in the file: the fix declares CACHE_TTL_SECONDS after the imports for the user to set.
      code: `import { createClient } from "redis";\nconst client = createClient();\nexport async function f() { await client.set("k", "v"); }`,
      output: `import { createClient } from "redis";\n\n// How long these entries may be served stale: set it for this data.\nconst CACHE_TTL_SECONDS = 300;\nconst client = createClient();\nexport async function f() { await client.set("k", "v", { expiration: { type: "EX", value: CACHE_TTL_SECONDS } }); }`,
      errors: [{ messageId: "setWithoutTtl" }],
    },
    {
      // A raw SET through sendCommand: the fix adds the EX token (node-redis sends strings).
      code: `${PRELUDE}export async function f(key: string) { await client.sendCommand(["SET", key, "v"]); }`,
      output: `${PRELUDE}export async function f(key: string) { await client.sendCommand(["SET", key, "v", "EX", String(TTL_SECONDS)]); }`,
      errors: [{ messageId: "setWithoutTtl", data: { command: "sendCommand(SET)", key: "key" } }],
    },
    {
      code: `${PRELUDE}export async function f(key: string) { await ioredis.call("SET", key, "v"); }`,
      output: `${PRELUDE}export async function f(key: string) { await ioredis.call("SET", key, "v", "EX", TTL_SECONDS); }`,
      errors: [{ messageId: "setWithoutTtl" }],
    },
    {
      code: `${PRELUDE}export async function f(key: string) { await client.persist(key); }`,
      errors: [{ messageId: "persistRemovesTtl", data: { command: "persist", key: "key" } }],
    },
    {
      code: `${PRELUDE}export async function f(key: string) { return client.getSet(key, "v"); }`,
      errors: [{ messageId: "writeWithoutExpire", data: { command: "getSet", key: "key" }, suggestions: [] }],
    },
    {
      // The destination (second argument) is created without an expiry.
      code: `${PRELUDE}export async function f() { return client.lMove("pending", "working", "LEFT", "RIGHT"); }`,
      errors: [{ messageId: "writeWithoutExpire", data: { command: "lMove", key: `"working"` }, suggestions: [] }],
    },
    {
      code: `${PRELUDE}export async function f(key: string) { await client.sendCommand(["HSET", key, "a", "1"]); }`,
      errors: [
        { messageId: "writeWithoutExpire", data: { command: "sendCommand(HSET)", key: "key" }, suggestions: [] },
      ],
    },
  ],
});
