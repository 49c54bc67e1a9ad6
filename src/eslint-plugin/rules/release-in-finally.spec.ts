import { vi } from "vitest";

import { createTypedRuleTester } from "../../../test/helpers/rule-tester.js";
import { releaseInFinally } from "./release-in-finally.js";

const PRELUDE = `import pg from "pg";
import type { PoolClient } from "pg";
import postgres from "postgres";
const pool = new pg.Pool();
const sql = postgres();
declare function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
declare function useClient(client: PoolClient): Promise<void>;
`;

// The first case builds the type program (issue 25: 20 s is not enough on a loaded machine); later cases reuse it.
const TYPED_SPEC_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: TYPED_SPEC_TIMEOUT_MS });

createTypedRuleTester().run("release-in-finally", releaseInFinally, {
  valid: [
    // A promise chain that releases in .finally: every use is inside the chain.
    `${PRELUDE}export async function f() { const client = await pool.connect(); return client.query("select 1").then((result) => result.rows).finally(() => client.release()); }`,
    `${PRELUDE}export async function f() {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}`,
    // Checked out inside the try, released with optional chaining.
    `${PRELUDE}export async function f() {
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query("select 1");
  } finally {
    client?.release();
  }
}`,
    // Returned: the caller owns the release.
    `${PRELUDE}export async function checkout(): Promise<PoolClient> { const client = await pool.connect(); return client; }`,
    // Handed to a wrapper that releases it.
    `${PRELUDE}export async function f() { const client = await pool.connect(); await useClient(client); }`,
    // The generated wrapper does the checkout.
    `${PRELUDE}export async function f() { return withClient((client) => client.query("select 1")); }`,
    // A plain pg.Client is connected and ended, not released.
    `${PRELUDE}export async function f() { const client = new pg.Client(); await client.connect(); await client.end(); }`,
    // postgres.js reserved connection released in finally.
    `${PRELUDE}export async function f() { const reserved = await sql.reserve(); try { await reserved\`select 1\`; } finally { reserved.release(); } }`,
  ],
  invalid: [
    {
      // A use before the chain whose .finally releases: an error there leaks the connection.
      code: `${PRELUDE}export async function f() { const client = await pool.connect(); await client.query("BEGIN"); return client.query("select 1").finally(() => client.release()); }`,
      errors: [{ messageId: "usedOutsideTry" }],
    },
    {
      code: `${PRELUDE}export async function f() {
  const client = await pool.connect();
  await client.query("select 1");
}`,
      errors: [
        {
          messageId: "notReleased",
          data: { name: "client" },
          suggestions: [
            {
              messageId: "wrapInTryFinally",
              data: { name: "client" },
              output: `${PRELUDE}export async function f() {
  const client = await pool.connect();
  try {
    await client.query("select 1");
  } finally {
    client.release();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      code: `${PRELUDE}export async function f() {
  const client = await pool.connect();
  await client.query("select 1");
  client.release();
}`,
      errors: [
        {
          messageId: "notInFinally",
          suggestions: [
            {
              messageId: "wrapInTryFinally",
              output: `${PRELUDE}export async function f() {
  const client = await pool.connect();
  try {
    await client.query("select 1");
  } finally {
    client.release();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      // Released in catch only: the success path leaks.
      code: `${PRELUDE}export async function f() {
  const client = await pool.connect();
  try {
    await client.query("select 1");
  } catch (error) {
    client.release();
    throw error;
  }
}`,
      errors: [{ messageId: "notInFinally", suggestions: [] }],
    },
    {
      code: `${PRELUDE}export async function f() {
  const client = await pool.connect();
  await client.query("set statement_timeout = 1000");
  try {
    await client.query("select 1");
  } finally {
    client.release();
  }
}`,
      errors: [{ messageId: "usedOutsideTry", line: 10 }],
    },
    {
      code: `${PRELUDE}export async function f() { await (await pool.connect()).query("select 1"); }`,
      errors: [{ messageId: "notBound" }],
    },
    {
      code: `${PRELUDE}export async function f() {
  const reserved = await sql.reserve();
  await reserved\`select 1\`;
}`,
      errors: [
        {
          messageId: "notReleased",
          suggestions: [
            {
              messageId: "wrapInTryFinally",
              output: `${PRELUDE}export async function f() {
  const reserved = await sql.reserve();
  try {
    await reserved\`select 1\`;
  } finally {
    reserved.release();
  }
}`,
            },
          ],
        },
      ],
    },
  ],
});
