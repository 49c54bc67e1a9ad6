import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runGenerator } from "../testing.js";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

// A pnpm monorepo on disk (init reads what surrounds the package from there): the root keeps the shared
// toolchain, packages/db owns the database on postgres.js at drizzle-orm 0.38, apps/api consumes it.
const ROOT_FILES = {
  "package.json": json({ name: "acme", private: true, devDependencies: { typescript: "5.5.4", vitest: "3.2.4" } }),
  "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
  "packages/db/package.json": json({
    name: "@acme/db",
    private: true,
    type: "module",
    exports: { ".": "./src/index.ts", "./schema": "./src/schema.ts" },
    dependencies: { "drizzle-orm": "0.38.4", postgres: "3.4.5" },
  }),
  "packages/db/src/index.ts": [
    'import { drizzle } from "drizzle-orm/postgres-js";',
    'import postgres from "postgres";',
    "",
    'import * as schema from "./schema.js";',
    "",
    'export const db = drizzle(postgres(process.env.DATABASE_URL ?? ""), { schema });',
    "",
  ].join("\n"),
  "packages/db/src/schema.ts":
    'import { pgTable, serial } from "drizzle-orm/pg-core";\n\nexport const accounts = pgTable("accounts", { id: serial("id").primaryKey() });\n',
};
const APP_FILES = {
  "package.json": json({
    name: "@acme/api",
    private: true,
    type: "module",
    dependencies: { "@acme/db": "workspace:*" },
  }),
  "tsconfig.json": json({ compilerOptions: { strict: true, module: "NodeNext", target: "ES2022" }, include: ["src"] }),
  "src/index.ts": 'import { db } from "@acme/db";\n\nexport const database = db;\n',
};

describe("init in an app package of a monorepo with a shared db package", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "cpb-init-workspace-"));
    for (const [file, content] of Object.entries({
      ...ROOT_FILES,
      ...Object.fromEntries(Object.entries(APP_FILES).map(([file, text]) => [`apps/api/${file}`, text])),
    })) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), content);
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const runInit = () =>
    runGenerator("init", { toolSpec: "^0.1.0" }, APP_FILES, {
      cwd: path.join(root, "apps/api"),
      packageManager: "pnpm",
    });

  it("reuses the package's db and schema by package name; no second pool", async () => {
    const run = await runInit();
    const client = run.files["src/db/client.ts"] ?? "";
    expect(client).toContain('import { db as existingDb } from "@acme/db";');
    expect(client).toContain('import * as sharedSchema from "@acme/db/schema";');
    expect(client).toContain('import * as ownSchema from "./schema/index.js";');
    expect(client).toContain("const schema = { ...sharedSchema, ...ownSchema };");
    expect(client).toContain("drizzle(existingClient, { schema })");
    expect(Object.keys(run.files).filter((file) => file.startsWith("src/db/pool"))).toEqual([]);
    expect(run.files["src/db/transaction.ts"]).toContain("postgres.js");
    expect((run.result.notes ?? []).join("\n")).toContain(
      "Reusing your drizzle instance `db` (postgres-js) from @acme/db",
    );
  });

  it("names the shared package when a repository is asked for one of its tables", async () => {
    const init = await runInit();
    const attempt = runGenerator("repository", { name: "accounts" }, init.files, {
      cwd: path.join(root, "apps/api"),
      packageManager: "pnpm",
    });
    await expect(attempt).rejects.toMatchObject({
      name: "UsageError",
      hints: expect.arrayContaining([
        expect.stringContaining('Tables that come from "@acme/db/schema" are not read here'),
      ]),
    });
  });

  it("adds drizzle-orm at the db package's version, no pg, and leaves the root's tools to the root", async () => {
    const run = await runInit();
    const packageJson = JSON.parse(run.files["package.json"] ?? "{}") as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(packageJson.dependencies["drizzle-orm"]).toBe("0.38.4");
    expect(packageJson.dependencies["@acme/db"]).toBe("workspace:*");
    expect(packageJson.dependencies.pg).toBeUndefined();
    expect(packageJson.devDependencies["@types/pg"]).toBeUndefined();
    expect(packageJson.devDependencies.typescript).toBeUndefined();
    expect(packageJson.devDependencies.vitest).toBeUndefined();
    const notes = (run.result.notes ?? []).join("\n");
    expect(notes).toContain("drizzle-orm@0.38.4 as your workspace's @acme/db has them");
    expect(notes).toContain("using the workspace root's vitest@3.2.4, typescript@5.5.4 (not added here)");
  });

  it("puts the dev tools it adds in the workspace root's package.json (sorted, in its indentation); runtime ones stay in the package", async () => {
    // The root as the package's tree sees it: tab-indented, devDependencies sorted.
    const rootPackageJson = `${JSON.stringify(JSON.parse(ROOT_FILES["package.json"]), null, "\t")}\n`;
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { ...APP_FILES, "../../package.json": rootPackageJson },
      { cwd: path.join(root, "apps/api"), packageManager: "pnpm", workspaceRoot: "../.." },
    );
    expect(run.changes).toContain("edit ../../package.json");
    const rootAfter = run.files["../../package.json"] ?? "";
    const rootJson = JSON.parse(rootAfter) as { devDependencies: Record<string, string> };
    expect(Object.keys(rootJson.devDependencies)).toEqual(
      expect.arrayContaining(["drizzle-kit", "tsx", "plop", "typescript", "vitest"]),
    );
    expect(Object.keys(rootJson.devDependencies)).toEqual(Object.keys(rootJson.devDependencies).sort());
    expect(rootJson.devDependencies.typescript).toBe("5.5.4");
    expect(rootAfter).toMatch(/^\t"devDependencies": \{\n\t\t"@eslint\/js": "10\.0\.1",\n\t\t"@types\/node"/m);
    const app = JSON.parse(run.files["package.json"] ?? "{}") as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(app.devDependencies).toEqual({ "create-perf-backend": "^0.1.0" });
    expect(Object.keys(app.dependencies)).toEqual(expect.arrayContaining(["@acme/db", "drizzle-orm", "pino", "redis"]));
    expect(app.dependencies["drizzle-kit"]).toBeUndefined();
    expect((run.result.notes ?? []).join("\n")).toContain(
      "../../package.json (the workspace root keeps the dev toolchain): added devDependencies drizzle-kit@",
    );
    // One install task: it runs at the workspace root (tasks.ts).
    expect(run.result.tasks.filter((task) => task.kind === "install")).toEqual([
      { kind: "install", packageManager: "pnpm" },
    ]);
  });

  it("leaves the root alone when it keeps no dev toolchain", async () => {
    const bareRoot = json({ name: "acme", private: true });
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { ...APP_FILES, "../../package.json": bareRoot },
      { cwd: path.join(root, "apps/api"), packageManager: "pnpm", workspaceRoot: "../.." },
    );
    expect(run.changes).not.toContain("edit ../../package.json");
    expect(run.files["../../package.json"]).toBe(bareRoot);
  });
});

// npm workspaces: packages/db exports only its tables (no client) and migrates them with its own drizzle config.
const SCHEMA_ONLY_ROOT = {
  "package.json": json({
    name: "acme",
    private: true,
    workspaces: ["packages/*"],
    devDependencies: { typescript: "5.8.3" },
  }),
  "packages/db/package.json": json({
    name: "@acme/db",
    private: true,
    type: "module",
    exports: { "./schema": "./src/schema.ts" },
    dependencies: { "drizzle-orm": "0.44.7" },
    devDependencies: { "drizzle-kit": "0.31.4" },
  }),
  "packages/db/drizzle.config.ts":
    'import { defineConfig } from "drizzle-kit";\n\nexport default defineConfig({ dialect: "postgresql", schema: "./src/schema.ts", out: "./drizzle" });\n',
  "packages/db/src/schema.ts":
    'import { pgTable, serial } from "drizzle-orm/pg-core";\n\nexport const accounts = pgTable("accounts", { id: serial("id").primaryKey() });\n',
};
const SCHEMA_ONLY_APP = {
  "package.json": json({ name: "@acme/api", private: true, type: "module", dependencies: { "@acme/db": "1.0.0" } }),
  "tsconfig.json": json({ compilerOptions: { strict: true, module: "NodeNext", target: "ES2022" }, include: ["src"] }),
  "src/index.ts": 'import { accounts } from "@acme/db/schema";\n\nexport const table = accounts;\n',
};

describe("init in an app package whose workspace db package exports only tables", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "cpb-init-schema-only-"));
    const files = {
      ...SCHEMA_ONLY_ROOT,
      ...Object.fromEntries(Object.entries(SCHEMA_ONLY_APP).map(([file, text]) => [`packages/api/${file}`, text])),
    };
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), content);
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const runInit = () =>
    runGenerator("init", { toolSpec: "^0.1.0" }, SCHEMA_ONLY_APP, {
      cwd: path.join(root, "packages/api"),
      packageManager: "npm",
    });

  it("opens its own pool, with a client over the shared tables and its own", async () => {
    const run = await runInit();
    expect(run.files["src/db/full-schema.ts"]).toContain(
      'export * from "@acme/db/schema";\n\nexport * from "./schema/index.js";',
    );
    const client = run.files["src/db/client.ts"] ?? "";
    expect(client).toContain('import * as schema from "./full-schema.js";');
    expect(client).toContain('from "./pool.js";');
    expect(run.files["src/db/pool.ts"]).toContain("createMeasuredPool(");
    // drizzle-kit here generates migrations for this package's own tables only.
    expect(run.files["drizzle.config.ts"]).toContain('schema: "./src/db/schema/index.ts"');
    expect((run.result.notes ?? []).join("\n")).toContain(
      "queries the tables of @acme/db/schema (through src/db/full-schema.ts)",
    );
  });

  it("gives the package's drizzle config its own migrations table, apart from the db package's default one", async () => {
    const run = await runInit();
    expect(run.files["drizzle.config.ts"]).toContain('migrations: { table: "__drizzle_migrations_acme_api" },');
    const packageJson = JSON.parse(run.files["package.json"] ?? "{}") as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(packageJson.dependencies["drizzle-orm"]).toBe("0.44.7");
    expect(packageJson.devDependencies["drizzle-kit"]).toBe("0.31.4");
    // 0.31.4 cannot load the NodeNext `.js` imports of the package's schema barrel: the user is told.
    expect((run.result.notes ?? []).join("\n")).toContain("db:generate needs drizzle-kit >= 0.31.10");
  });

  it("a repository over the app's own tables reads through the merged client", async () => {
    const init = await runInit();
    const schema = await runGenerator("schema", { name: "users", columns: "email:text:notNull" }, init.files, {
      cwd: path.join(root, "packages/api"),
      packageManager: "npm",
    });
    expect(schema.files["src/db/schema/users.ts"]).toContain('"users",');
    const repository = await runGenerator("repository", { name: "users" }, schema.files, {
      cwd: path.join(root, "packages/api"),
      packageManager: "npm",
    });
    expect(repository.files["src/repositories/users-repository.ts"]).toContain(
      'import { db, statementName } from "../db/client.js";',
    );
  });

  it("a repository over a shared table says where the table lives instead of only 'no table'", async () => {
    const init = await runInit();
    const attempt = runGenerator("repository", { name: "accounts" }, init.files, {
      cwd: path.join(root, "packages/api"),
      packageManager: "npm",
    });
    await expect(attempt).rejects.toMatchObject({
      name: "UsageError",
      hints: expect.arrayContaining([
        expect.stringContaining('Tables that come from "@acme/db/schema" are not read here'),
      ]),
    });
  });
});
