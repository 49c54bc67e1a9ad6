import { describe, expect, it } from "vitest";

import { createAppPackageJson } from "./package-json.js";

describe("createAppPackageJson", () => {
  it("declares engines and pins @types/node for the Node line it runs on", () => {
    const json = createAppPackageJson({
      projectName: "demo",
      server: true,
      toolSpec: "^0.1.0",
      packageManager: "npm",
      drizzleLine: "0",
    }) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    const major = process.versions.node.split(".")[0] ?? "";
    expect(json.engines.node).toMatch(new RegExp(`^>=${major}(\\.|$)`));
    expect(json.devDependencies["@types/node"]).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`));
  });

  it("gives a server project the load shedding and metrics packages, pinned; a library neither", () => {
    const server = createAppPackageJson({
      projectName: "demo",
      server: true,
      toolSpec: "^0.1.0",
      packageManager: "npm",
      drizzleLine: "0",
    }) as { dependencies: Record<string, string> };
    const library = createAppPackageJson({
      projectName: "demo",
      server: false,
      toolSpec: "^0.1.0",
      packageManager: "npm",
      drizzleLine: "0",
    }) as { dependencies: Record<string, string> };
    expect(server.dependencies).toMatchObject({ "@fastify/under-pressure": "9.2.0", "prom-client": "15.1.3" });
    expect(Object.keys(library.dependencies)).not.toContain("prom-client");
    expect(Object.keys(library.dependencies)).not.toContain("@fastify/under-pressure");
  });

  it("lists in allowScripts every install script npm 12 would block, denied, and this tool only when linked from a checkout", () => {
    const published = createAppPackageJson({
      projectName: "demo",
      server: true,
      toolSpec: "^0.1.0",
      packageManager: "npm",
      drizzleLine: "0",
    }) as { allowScripts: Record<string, boolean> };
    const checkout = createAppPackageJson({
      projectName: "demo",
      server: true,
      toolSpec: "file:/src/tool",
      packageManager: "npm",
      drizzleLine: "0",
    }) as { allowScripts: Record<string, boolean> };
    expect(published.allowScripts).toEqual({ esbuild: false });
    expect(checkout.allowScripts).toEqual({ esbuild: false, "file:/src/tool": false });
  });

  it("generates and applies migrations through src/db/migrate.ts, and CI runs the doctor (migration lint) before migrating and testing", () => {
    const scripts = (
      createAppPackageJson({
        projectName: "demo",
        server: true,
        toolSpec: "^0.1.0",
        packageManager: "pnpm",
        drizzleLine: "0",
      }) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts).toMatchObject({
      "db:generate": "tsx src/db/migrate.ts generate",
      "db:migrate": "tsx src/db/migrate.ts",
      doctor: "create-perf-backend doctor",
    });
    expect(scripts["ci"]).toBe(
      "pnpm run typecheck && pnpm run lint && pnpm run doctor && pnpm run db:migrate && pnpm run test",
    );
  });
});
