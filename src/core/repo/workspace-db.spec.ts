import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../host.js";
import { findWorkspaceDbPackage, workspaceGlobs } from "./workspace-db.js";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

// A pnpm + turbo monorepo: apps/api consumes packages/db (postgres.js) through `workspace:*`.
const PNPM_WORKSPACE = {
  "package.json": json({ name: "acme", private: true, devDependencies: { turbo: "2.5.0", typescript: "5.5.4" } }),
  "pnpm-workspace.yaml": [
    "packages:",
    '  - "apps/*"',
    "  - packages/* # shared code",
    "catalog:",
    "  zod: 3.25.0",
    "",
  ].join("\n"),
  "packages/db/package.json": json({
    name: "@acme/db",
    private: true,
    type: "module",
    exports: {
      ".": "./src/index.ts",
      "./schema": { types: "./src/schema/index.ts", default: "./dist/schema/index.js" },
    },
    dependencies: { "drizzle-orm": "0.38.4", postgres: "3.4.5" },
  }),
  "packages/db/src/index.ts": 'export * from "./client";\n',
  "packages/db/src/client.ts": [
    'import { drizzle } from "drizzle-orm/postgres-js";',
    'import postgres from "postgres";',
    "",
    'import * as schema from "./schema";',
    "",
    'export const db = drizzle(postgres(process.env.DATABASE_URL ?? ""), { schema });',
    "",
  ].join("\n"),
  "packages/db/src/schema/index.ts":
    'import { pgTable, serial } from "drizzle-orm/pg-core";\n\nexport const accounts = pgTable("accounts", { id: serial("id").primaryKey() });\n',
  "packages/ui/package.json": json({ name: "@acme/ui", private: true }),
  "apps/api/package.json": json({
    name: "@acme/api",
    private: true,
    dependencies: { "@acme/db": "workspace:*", "@acme/ui": "workspace:*" },
  }),
  "apps/web/package.json": json({ name: "@acme/web", private: true }),
};

const consumer = JSON.parse(PNPM_WORKSPACE["apps/api/package.json"]) as Record<string, unknown>;

describe("workspaceGlobs", () => {
  it("reads pnpm-workspace.yaml's packages list only (not its catalog)", () => {
    expect(workspaceGlobs(createMemoryHost(PNPM_WORKSPACE), {})).toEqual(["apps/*", "packages/*"]);
  });

  it("prefers package.json workspaces (npm, yarn), also in yarn's { packages } form", () => {
    expect(workspaceGlobs(createMemoryHost({}), { workspaces: ["packages/*"] })).toEqual(["packages/*"]);
    expect(workspaceGlobs(createMemoryHost({}), { workspaces: { packages: ["libs/*"] } })).toEqual(["libs/*"]);
    expect(workspaceGlobs(createMemoryHost({}), {})).toBeNull();
  });
});

describe("findWorkspaceDbPackage", () => {
  it("finds the db package the app consumes through workspace:*, with the subpaths its db and schema are exported from", () => {
    const found = findWorkspaceDbPackage(
      createMemoryHost(PNPM_WORKSPACE),
      ["apps/*", "packages/*"],
      consumer,
      "apps/api",
    );
    expect(found).toEqual({
      name: "@acme/db",
      dir: "packages/db",
      // src/index.ts re-exports ./client: the package root exposes `db`.
      db: { specifier: "@acme/db", exportName: "db", driver: "postgres-js" },
      schemaSpecifier: "@acme/db/schema",
      declared: { "drizzle-orm": "0.38.4", postgres: "3.4.5" },
    });
  });

  it("ignores a db package the app does not depend on", () => {
    const web = JSON.parse(PNPM_WORKSPACE["apps/web/package.json"]) as Record<string, unknown>;
    expect(
      findWorkspaceDbPackage(createMemoryHost(PNPM_WORKSPACE), ["apps/*", "packages/*"], web, "apps/web"),
    ).toBeNull();
  });

  it("maps a built package's dist entry back to its source, and a wildcard subpath to the file", () => {
    const files = {
      ...PNPM_WORKSPACE,
      "packages/db/package.json": json({
        name: "@acme/db",
        exports: { "./client": "./dist/client.js", "./*": "./src/*.ts" },
        dependencies: { "drizzle-orm": "0.45.4" },
      }),
      "packages/db/src/client.ts": PNPM_WORKSPACE["packages/db/src/client.ts"]
        .replace('"./schema"', '"./tables"')
        .replace("postgres-js", "node-postgres"),
      "packages/db/src/tables.ts": PNPM_WORKSPACE["packages/db/src/schema/index.ts"],
      "packages/db/src/schema/index.ts": "export {};\n",
    };
    const found = findWorkspaceDbPackage(createMemoryHost(files), ["apps/*", "packages/*"], consumer, "apps/api");
    expect(found?.db).toEqual({ specifier: "@acme/db/client", exportName: "db", driver: "node-postgres" });
    expect(found?.schemaSpecifier).toBe("@acme/db/tables");
  });

  it("finds a package that exports only its tables (no client): db is null, the schema subpath is kept", () => {
    const files = {
      ...PNPM_WORKSPACE,
      "packages/db/package.json": json({
        name: "@acme/db",
        exports: { "./schema": "./src/schema/index.ts" },
        dependencies: { "drizzle-orm": "0.44.7" },
      }),
      "packages/db/src/index.ts": "export {};\n",
      "packages/db/src/client.ts": "export {};\n",
    };
    const found = findWorkspaceDbPackage(createMemoryHost(files), ["apps/*", "packages/*"], consumer, "apps/api");
    expect(found).toMatchObject({
      name: "@acme/db",
      db: null,
      schemaSpecifier: "@acme/db/schema",
      declared: { "drizzle-orm": "0.44.7" },
    });
  });

  it("is no db package when nothing it exports holds the db or the tables", () => {
    const files = {
      ...PNPM_WORKSPACE,
      "packages/db/package.json": json({ name: "@acme/db", exports: { "./other": "./src/other.ts" } }),
    };
    expect(findWorkspaceDbPackage(createMemoryHost(files), ["apps/*", "packages/*"], consumer, "apps/api")).toBeNull();
  });
});
