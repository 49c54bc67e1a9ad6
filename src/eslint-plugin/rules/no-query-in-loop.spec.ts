import { vi } from "vitest";

import { createTypedRuleTester } from "../../../test/helpers/rule-tester.js";
import { noQueryInLoop } from "./no-query-in-loop.js";

const PRELUDE = `
import { readFile } from "node:fs/promises";
import pg from "pg";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq, inArray } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { findUserById, usersRepository } from "./repositories/users-repository.js";
const pool = new pg.Pool();
const sql = postgres();
const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().notNull(), title: text() });
const db = drizzle(pool, { schema: { posts } });
declare const ids: number[];
declare const files: string[];
`;

// The first case builds the type program (issue 25: 20 s is not enough on a loaded machine); later cases reuse it.
const TYPED_SPEC_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: TYPED_SPEC_TIMEOUT_MS });

createTypedRuleTester().run("no-query-in-loop", noQueryInLoop, {
  valid: [
    // One statement for all ids.
    `${PRELUDE} export async function f() { return db.select().from(posts).where(inArray(posts.id, ids)); }`,
    // fs in a loop is not a database call.
    `${PRELUDE} export async function f() { const out: string[] = []; for (const file of files) out.push(await readFile(file, "utf8")); return out; }`,
    // Chunked batch insert: each iteration writes a whole chunk.
    `${PRELUDE} declare const chunks: { id: number; authorId: number }[][]; export async function f() { for (const chunk of chunks) await db.insert(posts).values(chunk); }`,
    // A pure repository helper in a loop.
    `${PRELUDE} declare const users: { id: number; name: string }[]; export function f() { return users.map((user) => usersRepository.userLabel(user)); }`,
    // The query runs once; the loop works on its rows.
    `${PRELUDE} export async function f() { const rows = await pool.query("select 1"); for (const row of rows.rows) console.info(row); }`,
    // Building (not running) drizzle conditions in a loop.
    `${PRELUDE} export function f() { return ids.map((id) => eq(posts.id, id)); }`,
    // A Map's forEach is not an array iteration of database rows... and the callback does no query.
    `${PRELUDE} export function f(map: Map<string, number>) { map.forEach((value) => console.info(value)); }`,
    // A stepped loop over windows of the ids: one statement per 500 ids.
    `${PRELUDE} const CHUNK = 500; export async function f() { for (let s = 0; s < ids.length; s += CHUNK) await pool.query("select * from posts where id = any($1)", [ids.slice(s, s + CHUNK)]); }`,
    // A bounded retry around one statement: the loop ends when it succeeds.
    `${PRELUDE} const MAX_ATTEMPTS = 3; export async function f() { for (let attempt = 1; ; attempt += 1) { try { return await pool.query("select 1"); } catch (error) { if (attempt >= MAX_ATTEMPTS) throw error; } } }`,
    `${PRELUDE} export async function f() { let rows; while (true) { try { rows = await pool.query("select 1"); break; } catch { continue; } } return rows; }`,
    // Checking out every connection (a pool-saturation test) sends no statement.
    `${PRELUDE} export async function f(size: number) { const clients = await Promise.all(Array.from({ length: size }, () => pool.connect())); for (const client of clients) client.release(); }`,
    // A retry by recursion: the function calls itself only from its catch clause, after a failed try.
    `${PRELUDE} const MAX_RETRIES = 3; export async function attempt(count: number): Promise<unknown> { try { return await db.transaction(async (tx) => tx.select().from(posts)); } catch (error) { if (count >= MAX_RETRIES) throw error; return attempt(count + 1); } }`,
    // Keyset paging by recursion: each level needs the cursor the previous page returned.
    `${PRELUDE} export async function walk(cursor: number | null, seen: number[]): Promise<number[]> { const page = await pool.query<{ id: number }>("select id from posts where id > $1 order by id limit 50", [cursor ?? 0]); const last = page.rows.at(-1); return last === undefined ? seen : walk(last.id, [...seen, ...page.rows.map((row) => row.id)]); }`,
  ],
  invalid: [
    {
      code: `${PRELUDE} export async function f() { for (const id of ids) await pool.query("select * from posts where id = $1", [id]); }`,
      errors: [{ messageId: "queryInLoop", data: { call: "pool.query" } }],
    },
    {
      code: `${PRELUDE} export async function f() { for (const id of ids) await db.select().from(posts).where(eq(posts.id, id)); }`,
      errors: [{ messageId: "queryInLoop" }],
    },
    {
      code: `${PRELUDE} export async function f() { for (const id of ids) await db.query.posts.findFirst({ where: eq(posts.id, id) }); }`,
      errors: [{ messageId: "queryInLoop", data: { call: "db.query.posts.findFirst" } }],
    },
    {
      code: `${PRELUDE} export async function f() { let i = 0; while (i < ids.length) { await sql\`select * from posts where id = \${ids[i] ?? 0}\`; i += 1; } }`,
      errors: [{ messageId: "queryInLoop", data: { call: "sql`...`" } }],
    },
    {
      // Drizzle's update builder narrows itself with Omit<...>: the method's own declaration decides.
      code: `${PRELUDE} export async function f() { await ids.reduce(async (previous, id) => { await previous; await db.update(posts).set({ title: "x" }).where(eq(posts.id, id)); }, Promise.resolve()); }`,
      errors: [
        {
          messageId: "queryInCallback",
          data: { call: 'db.update(posts).set({ title: "x" }).where', method: ".reduce" },
        },
      ],
    },
    {
      code: `${PRELUDE} export async function f() { return Promise.all(ids.map((id) => findUserById(id))); }`,
      errors: [{ messageId: "queryInCallback", data: { call: "findUserById", method: ".map" } }],
    },
    {
      code: `${PRELUDE} export async function f() { return Promise.all(ids.map(async (id) => usersRepository.findUserById(id))); }`,
      errors: [{ messageId: "queryInCallback" }],
    },
    {
      // A checkout is no statement, but a query on it in the loop is.
      code: `${PRELUDE} export async function f() { for (let i = 0; i < ids.length; i += 1) { const client = await pool.connect(); await client.query("select 1"); client.release(); } }`,
      errors: [{ messageId: "queryInLoop", data: { call: "client.query" } }],
    },
    {
      // Entries are tuples, not chunks of rows.
      code: `${PRELUDE} export async function f(totals: Record<string, number>) { for (const [key, value] of Object.entries(totals)) await db.insert(posts).values({ id: Number(key), authorId: value }); }`,
      errors: [{ messageId: "queryInLoop" }],
    },
    {
      // A row picked apart is one row, even when rows are arrays.
      code: `${PRELUDE} declare const rows: string[][]; export async function f() { for (const row of rows) await pool.query("insert into posts values ($1, $2)", [row[0], row[1]]); }`,
      errors: [{ messageId: "queryInLoop" }],
    },
    {
      code: `${PRELUDE} export async function f(n: number) { return Promise.all(Array.from({ length: n }, () => pool.query("select 1"))); }`,
      errors: [{ messageId: "queryInCallback", data: { call: "pool.query", method: "Array.from" } }],
    },
    {
      code: `${PRELUDE} export async function walk(id: number): Promise<number> { const result = await pool.query<{ id: number }>("select id from posts where parent = $1", [id]); let total = 1; for (const row of result.rows) total += await walk(row.id); return total; }`,
      errors: [{ messageId: "queryPerRecursion", data: { call: "pool.query", name: "walk" } }],
    },
    {
      // A stepped loop that does not slice by its counter is still one statement per step.
      code: `${PRELUDE} export async function f() { for (let s = 0; s < ids.length; s += 2) await pool.query("select 1 where $1", [ids.slice(0, 2)]); }`,
      errors: [{ messageId: "queryInLoop" }],
    },
  ],
});
