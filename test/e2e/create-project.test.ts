import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

import { execa } from "execa";
import { describe, expect, it } from "vitest";

import { REPO_ROOT } from "../helpers/cli.js";
import { inProject, npmInstall } from "../helpers/project.js";
import { useScaffoldedProject } from "../helpers/scaffolded-project.js";
import { servicesAvailable } from "../helpers/services.js";

const E2E_TIMEOUT_MS = 600_000;
const HEALTH_POLL_MS = 200;
const HEALTH_ATTEMPTS = 100;
const SHUTDOWN_TIMEOUT_MS = 10_000;
// Long enough to observe /readyz answering 503 while the server still serves.
const DRAIN_DELAY_MS = 1500;

const available = await servicesAvailable("create-project e2e");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!available)("e2e: a new project installs, typechecks, lints, tests and runs", () => {
  const scaffolded = useScaffoldedProject("create");

  it(
    "runs the whole life of a generated project",
    async () => {
      const started = performance.now();
      const { project, env } = scaffolded.current();
      await scaffolded.scaffold();
      const packageJson = JSON.parse(await readFile(path.join(project, "package.json"), "utf8")) as {
        devDependencies: Record<string, string>;
      };
      // Run from a checkout, the project depends on this very copy so `npm install` works before publishing.
      expect(packageJson.devDependencies["create-perf-backend"]).toBe(`file:${REPO_ROOT}`);

      await npmInstall(project);
      await inProject(project, "npx", ["tsc", "--noEmit"]);
      const lint = await inProject(project, "npm", ["run", "lint"]);
      expect(lint.all).not.toMatch(/\d+ problems?/);
      const tests = await inProject(project, "npm", ["test"], env);
      expect(tests.all).toMatch(/Tests\s+\d+ passed/);
      expect(tests.all).not.toMatch(/skipped|failed/);
      await inProject(project, "npm", ["run", "build"]);

      // The plopfile loads with the generators this package registers.
      const plop = await inProject(project, "node", [
        "--input-type=module",
        "-e",
        "const { default: nodePlop } = await import('node-plop'); const plop = await nodePlop('./plopfile.js'); console.log(JSON.stringify(plop.getGeneratorList().map((g) => g.name)));",
      ]);
      expect(Array.isArray(JSON.parse(String(plop.stdout)))).toBe(true);

      // A production start without DATABASE_URL stops at once, naming the variable, instead of using a local default.
      const unconfigured = await execa("node", ["dist/main.js"], {
        cwd: project,
        env: { NODE_ENV: "production", DATABASE_URL: "", REDIS_URL: env.REDIS_URL },
        reject: false,
        all: true,
        timeout: SHUTDOWN_TIMEOUT_MS,
      });
      expect(unconfigured.exitCode).not.toBe(0);
      expect(unconfigured.all).toContain("DATABASE_URL must be set when NODE_ENV=production");

      // The built server is live and ready; on SIGTERM readiness goes off while it drains, then it exits cleanly.
      const port = await freePort();
      const base = `http://127.0.0.1:${String(port)}`;
      const server = execa("node", ["dist/main.js"], {
        cwd: project,
        env: { ...env, PORT: String(port), HOST: "127.0.0.1", SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS) },
        reject: false,
        all: true,
      });
      let ready: Response | undefined;
      for (let attempt = 0; attempt < HEALTH_ATTEMPTS && !ready; attempt += 1) {
        ready = await fetch(`${base}/readyz`).catch(() => undefined);
        if (!ready) await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
      }
      expect(ready?.status).toBe(200);
      expect(await ready?.json()).toMatchObject({ status: "ok" });
      expect((await fetch(`${base}/livez`)).status).toBe(200);
      server.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
      const draining = await fetch(`${base}/readyz`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toEqual({ status: "draining" });
      expect((await fetch(`${base}/livez`)).status).toBe(200);
      const exited = await Promise.race([server, new Promise((resolve) => setTimeout(() => resolve("timeout"), SHUTDOWN_TIMEOUT_MS))]);
      expect(exited).not.toBe("timeout");
      expect((exited as { exitCode: number }).exitCode, (exited as { all: string }).all).toBe(0);

      console.info(`e2e create-project wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    },
    E2E_TIMEOUT_MS,
  );
});
