import { vi } from "vitest";

import { createTypedRuleTester } from "../../../test/helpers/rule-tester.js";
import { noBlockingInHandler } from "./no-blocking-in-handler.js";

const PRELUDE = `import { pbkdf2Sync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import zlib from "node:zlib";
import { fastify } from "fastify";
import type { FastifyRequest } from "fastify";
const app = fastify();
const ITERATIONS = 100_000;
const KEY_LENGTH = 64;
function hashPassword(password: string): string { return pbkdf2Sync(password, "salt", ITERATIONS, KEY_LENGTH, "sha512").toString("hex"); }
function register(password: string): string { return hashPassword(password); }
`;

// The first case builds the type program (issue 25: 20 s is not enough on a loaded machine); later cases reuse it.
const TYPED_SPEC_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: TYPED_SPEC_TIMEOUT_MS });

createTypedRuleTester().run("no-blocking-in-handler", noBlockingInHandler, {
  valid: [
    // Startup code, not a handler.
    `${PRELUDE}export const CONFIG = readFileSync("config.json", "utf8");`,
    `${PRELUDE}app.get("/file", async () => readFile("a.txt", "utf8"));`,
    `${PRELUDE}app.get("/id", async () => ({ id: randomUUID() }));`,
    // A sync helper that is never called from a handler.
    `${PRELUDE}export function seed() { return register("x"); }`,
    // Runs once at shutdown, not per request.
    `${PRELUDE}app.addHook("onClose", async () => { readFileSync("state.json"); });`,
    // JSON.parse once, not in a loop.
    `${PRELUDE}app.post("/json", async (request) => JSON.parse(String(request.body)) as unknown);`,
  ],
  invalid: [
    {
      code: `${PRELUDE}app.get("/config", async () => readFileSync("config.json", "utf8"));`,
      errors: [
        {
          messageId: "blockingCall",
          data: { api: "fs.readFileSync" },
          // The file already imports readFile from node:fs/promises: reused.
          suggestions: [
            {
              messageId: "useFsPromises",
              data: { name: "readFile" },
              output: `${PRELUDE}app.get("/config", async () => (await readFile("config.json", "utf8")));`,
            },
          ],
        },
      ],
    },
    {
      code: `${PRELUDE}app.post("/users", async (request: FastifyRequest<{ Body: { password: string } }>) => ({ hash: hashPassword(request.body.password) }));`,
      errors: [
        {
          messageId: "blockingViaCall",
          data: { callee: "hashPassword", api: "crypto.pbkdf2Sync", location: "file.ts:11", via: "" },
        },
      ],
    },
    {
      code: `${PRELUDE}app.post("/register", async (request: FastifyRequest<{ Body: { password: string } }>) => register(request.body.password));`,
      errors: [
        {
          messageId: "blockingViaCall",
          data: { callee: "register", api: "crypto.pbkdf2Sync", location: "file.ts:11", via: ", via hashPassword" },
        },
      ],
    },
    {
      code: `${PRELUDE}app.addHook("preHandler", async () => { readFileSync("acl.json"); });`,
      errors: [
        {
          messageId: "blockingCall",
          data: { api: "fs.readFileSync" },
          suggestions: [
            {
              messageId: "useFsPromises",
              output: `${PRELUDE}app.addHook("preHandler", async () => { (await readFile("acl.json")); });`,
            },
          ],
        },
      ],
    },
    {
      code: `${PRELUDE}http.createServer((request, response) => { response.end(zlib.gzipSync("x")); });`,
      // No promise counterpart with the same arguments: no suggestion.
      errors: [{ messageId: "blockingCall", data: { api: "zlib.gzipSync" }, suggestions: [] }],
    },
    {
      code: `${PRELUDE}export async function handle(request: FastifyRequest<{ Body: string[] }>) { return request.body.map((item) => JSON.parse(item) as unknown); }`,
      errors: [{ messageId: "jsonParseInLoop" }],
    },
    {
      code: `${PRELUDE}export async function handle(request: FastifyRequest<{ Body: string[] }>) { const out: unknown[] = []; for (const item of request.body) out.push(JSON.parse(item)); return out; }`,
      errors: [{ messageId: "jsonParseInLoop" }],
    },
    {
      // readdir is not imported yet: the suggestion adds the import after the last one.
      code: `import { readdirSync, existsSync } from "node:fs";\nimport { fastify } from "fastify";\nconst app = fastify();\napp.get("/files", async () => readdirSync("."));\napp.get("/exists", async () => existsSync("x"));`,
      errors: [
        {
          messageId: "blockingCall",
          data: { api: "fs.readdirSync" },
          suggestions: [
            {
              messageId: "useFsPromises",
              output: `import { readdirSync, existsSync } from "node:fs";\nimport { fastify } from "fastify";\nimport { readdir } from "node:fs/promises";\nconst app = fastify();\napp.get("/files", async () => (await readdir(".")));\napp.get("/exists", async () => existsSync("x"));`,
            },
          ],
        },
        // existsSync has no fs/promises counterpart of the same shape.
        { messageId: "blockingCall", data: { api: "fs.existsSync" }, suggestions: [] },
      ],
    },
    {
      // A sync handler cannot await: no suggestion.
      code: `${PRELUDE}http.createServer((request, response) => { response.end(readFileSync("index.html")); });`,
      errors: [{ messageId: "blockingCall", data: { api: "fs.readFileSync" }, suggestions: [] }],
    },
  ],
});
