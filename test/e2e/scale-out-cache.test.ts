import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";

import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";

import { runCli } from "../helpers/cli.js";
import { inProject, npmInstall } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { execute, servicesAvailable } from "../helpers/services.js";

const E2E_TIMEOUT_MS = 600_000;
const GENERATE_STEPS = [
  ["generate", "schema", "users", "--columns", "email:text:notNull,name:text:notNull", "--unique", "email", "--timestamps", "--no-migrate"],
  ["generate", "repository", "users", "--no-install"],
  // --local is the default with --repository.
  ["generate", "cache", "user", "--repository", "users", "--no-install"],
];
// The bound: a read through instance B this long after a write through instance A returns the new row.
const FRESH_WITHIN_MS = 50;
// The instances' Redis command timeout, and what an answer from the database may take on top (HTTP, a loaded CI box).
const COMMAND_TIMEOUT_MS = 100;
const ANSWER_SLACK_MS = 1000;
// The generated LOCAL_GRACE_MS (2 s) plus scheduling slack: after it, no instance may answer from its L1.
const PAST_GRACE_MS = 2500;
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;
const READS_WHILE_REDIS_IS_DOWN = 5;
const HTTP_OK = 200;

const available = await servicesAvailable("scale-out cache e2e");

// The route a team would add: read through the two-tier cache, write through the repository (which invalidates).
const ROUTES = `import type { FastifyInstance } from "fastify";

import { getOrLoadUser } from "./cache/index.js";
import { updateUser } from "./repositories/index.js";

export function registerUserRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>("/users/:id", async (request, reply) => {
    const user = await getOrLoadUser(Number(request.params.id));
    return user === null ? reply.code(404).send({ error: "not found" }) : user;
  });
  app.patch<{ Params: { id: string }; Body: { name: string } }>("/users/:id", async (request, reply) => {
    const user = await updateUser(Number(request.params.id), { name: request.body.name });
    return user === null ? reply.code(404).send({ error: "not found" }) : user;
  });
}
`;
const MAIN = `import { readIntegerEnv } from "./config/env.js";
import { buildApp } from "./server/index.js";
import { registerUserRoutes } from "./user-routes.js";

const app = buildApp();
registerUserRoutes(app);
await app.listen({ port: readIntegerEnv("PORT", 0, { min: 0, max: 65_535 }), host: "127.0.0.1" });
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await delay(POLL_MS);
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

function start(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Started {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function stop(started: Started | undefined): Promise<void> {
  if (started === undefined || started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = new Promise((resolve) => started.child.once("exit", resolve));
  started.child.kill("SIGKILL");
  await exited;
}

interface UserBody {
  id: number;
  name: string;
}

async function readUser(port: number, id: number): Promise<{ status: number; user: UserBody; ms: number }> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${String(port)}/users/${String(id)}`);
  const user = (await response.json()) as UserBody;
  return { status: response.status, user, ms: performance.now() - started };
}

describe.skipIf(!available)("e2e: two instances of the generated server share a two-tier cache kept coherent by Redis", () => {
  const scaffolded = useScaffoldedProject("scale-out-cache");
  const processes: Started[] = [];

  afterAll(async () => {
    // The server processes first: they hold connections to the throwaway database the suite drops.
    for (const started of processes.reverse()) await stop(started);
  });

  it(
    "a write through A is read fresh through B within 50 ms; with Redis gone both answer from the database",
    async () => {
      const { project, env } = scaffolded.current();
      await scaffolded.scaffold();
      for (const command of GENERATE_STEPS) {
        const generated = await runCli(command, { cwd: project });
        expect(generated.exitCode, generated.stderr).toBe(0);
      }
      await writeFile(path.join(project, "src/user-routes.ts"), ROUTES);
      await writeFile(path.join(project, "src/scale-out-main.ts"), MAIN);
      // The generated two-tier cache is typechecked, linted and its own tests run by the schema-repository suite.
      await npmInstall(project);
      await inProject(project, "npm", ["run", "db:generate"], env);
      await inProject(project, "npm", ["run", "db:migrate"], env);
      await execute(env.DATABASE_URL ?? "", "insert into users (email, name) values ('ada@example.com', 'Ada')");

      // A Redis of our own: killing it must not disturb the shared one other suites use.
      const redisPort = await freePort();
      const redis = start("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], {
        cwd: project,
        env: {},
      });
      processes.push(redis);
      const redisUrl = `redis://127.0.0.1:${String(redisPort)}`;
      const admin = createClient({ url: redisUrl });
      admin.on("error", () => undefined);
      await waitUntil(async () => {
        if (!admin.isOpen) await admin.connect();
        return (await admin.ping()) === "PONG";
      }, `redis-server on ${String(redisPort)}:\n${redis.output()}`);

      const ports = [await freePort(), await freePort()] as const;
      const instanceEnv = { ...env, REDIS_URL: redisUrl, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), LOG_LEVEL: "warn" };
      const instances = ports.map((port) =>
        // One process per instance (node with tsx's loader, not the tsx CLI, whose child a SIGKILL would orphan).
        start(process.execPath, ["--import", "tsx", "src/scale-out-main.ts"], { cwd: project, env: { ...instanceEnv, PORT: String(port) } }),
      );
      processes.push(...instances);
      for (const [index, port] of ports.entries()) {
        await waitUntil(async () => (await fetch(`http://127.0.0.1:${String(port)}/livez`)).ok, `instance ${String(index)}:\n${instances[index]?.output() ?? ""}`);
      }
      const [portA, portB] = ports;

      // Warm both L1s (the first answer from Redis starts each instance's invalidation subscription).
      for (const port of ports) {
        await waitUntil(async () => {
          await readUser(port, 1);
          return (await admin.pubSubNumSub("user:v1:invalidations"))["user:v1:invalidations"] === ports.indexOf(port) + 1;
        }, "the invalidation subscription");
        expect((await readUser(port, 1)).user.name).toBe("Ada");
      }
      // Proof that B answers from its L1: the row changed behind the cache's back and the Redis copy is gone,
      // yet B still has the old name.
      await admin.del("user:v1:1");
      await execute(env.DATABASE_URL ?? "", "update users set name = 'changed behind the cache' where id = 1");
      expect((await readUser(portB, 1)).user.name).toBe("Ada");

      const patched = await fetch(`http://127.0.0.1:${String(portA)}/users/1`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Grace" }),
      });
      expect(patched.status).toBe(HTTP_OK);
      const written = performance.now();
      await delay(FRESH_WITHIN_MS);
      const afterWrite = await readUser(portB, 1);
      console.info(`B, asked ${String(FRESH_WITHIN_MS)} ms after A's write returned, answered "${afterWrite.user.name}" (${(performance.now() - written).toFixed(1)} ms after the write, with its own HTTP round trip)`);
      expect(afterWrite.user.name).toBe("Grace");
      expect((await readUser(portA, 1)).user.name).toBe("Grace");

      // Redis dies. Both instances answer, from the database once the grace period is over.
      await stop(redis);
      await execute(env.DATABASE_URL ?? "", "update users set name = 'Katherine' where id = 1");
      await delay(PAST_GRACE_MS);
      const timings: string[] = [];
      for (const port of ports) {
        for (let read = 0; read < READS_WHILE_REDIS_IS_DOWN; read += 1) {
          const answer = await readUser(port, 1);
          timings.push(answer.ms.toFixed(1));
          expect(answer.status).toBe(HTTP_OK);
          expect(answer.user.name).toBe("Katherine");
          expect(answer.ms).toBeLessThan(COMMAND_TIMEOUT_MS + ANSWER_SLACK_MS);
        }
      }
      console.info(`answers with Redis down (ms, A then B): ${timings.join(", ")}`);
      admin.destroy();
    },
    E2E_TIMEOUT_MS,
  );
});
