import { createTypedRuleTester } from "../../../test/helpers/rule-tester.js";
import { cacheTtlRequired } from "./cache-ttl-required.js";

const PRELUDE = `import { Redis } from "ioredis";
import { createClient } from "redis";
const client = createClient();
const ioredis = new Redis();
const TTL_SECONDS = 60;
const settings = new Map<string, string>();
`;

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
    // Options from a variable: trusted.
    `${PRELUDE}const OPTIONS = { EX: TTL_SECONDS }; export async function f() { await client.set("k", "v", OPTIONS); }`,
  ],
  invalid: [
    {
      code: `${PRELUDE}export async function f() { await client.set("k", "v"); }`,
      errors: [{ messageId: "setWithoutTtl", data: { command: "set", key: `"k"` } }],
    },
    {
      code: `${PRELUDE}export async function f() { await client.set("k", "v", { NX: true }); }`,
      errors: [{ messageId: "setWithoutTtl" }],
    },
    {
      code: `${PRELUDE}export async function f() { await ioredis.set("k", "v"); }`,
      errors: [{ messageId: "setWithoutTtl" }],
    },
    {
      code: `${PRELUDE}export async function f(id: string) { await client.hSet(\`user:\${id}\`, { name: "a" }); }`,
      errors: [{ messageId: "writeWithoutExpire", data: { command: "hSet", key: "`user:${id}`" } }],
    },
    {
      // The expire is on another key.
      code: `${PRELUDE}export async function f() { await ioredis.lpush("queue", "a"); await ioredis.expire("other", TTL_SECONDS); }`,
      errors: [{ messageId: "writeWithoutExpire" }],
    },
    {
      code: `${PRELUDE}export async function f() { await client.mSet({ a: "1", b: "2" }); }`,
      errors: [{ messageId: "multiKeyWrite" }],
    },
    {
      // The expire is in another function.
      code: `${PRELUDE}export async function write() { await client.sAdd("tags", "a"); } export async function touch() { await client.expire("tags", TTL_SECONDS); }`,
      errors: [{ messageId: "writeWithoutExpire" }],
    },
  ],
});
