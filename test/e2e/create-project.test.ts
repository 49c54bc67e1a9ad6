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
      expect(JSON.parse(String(plop.stdout))).toEqual(["schema", "repository", "cache", "worker"]);
      // plop takes the CLI's flag names as named arguments; without a terminal it asks nothing and never waits.
      await inProject(project, "npx", ["plop", "worker", "--", "--name", "resize-image", "--max-threads", "2", "--output-type", "Thumbnail"]);
      const task = await readFile(path.join(project, "src/workers/resize-image-task.ts"), "utf8");
      expect(task).toContain("export const RESIZE_IMAGE_MAX_THREADS = 2;");
      expect(task).toContain("ResizeImageInput, Thumbnail");

      // The built server answers /health and shuts down cleanly on SIGTERM.
      const port = await freePort();
      const server = execa("node", ["dist/main.js"], { cwd: project, env: { ...env, PORT: String(port), HOST: "127.0.0.1" }, reject: false, all: true });
      let health: Response | undefined;
      for (let attempt = 0; attempt < HEALTH_ATTEMPTS && !health; attempt += 1) {
        health = await fetch(`http://127.0.0.1:${String(port)}/health`).catch(() => undefined);
        if (!health) await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
      }
      expect(health?.status).toBe(200);
      expect(await health?.json()).toMatchObject({ status: "ok" });
      server.kill("SIGTERM");
      const exited = await Promise.race([server, new Promise((resolve) => setTimeout(() => resolve("timeout"), SHUTDOWN_TIMEOUT_MS))]);
      expect(exited).not.toBe("timeout");
      expect((exited as { exitCode: number }).exitCode, (exited as { all: string }).all).toBe(0);

      console.info(`e2e create-project wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    },
    E2E_TIMEOUT_MS,
  );
});
