import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runGenerator } from "../testing.js";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

// A turbo monorepo (npm workspaces): packages/db exports its tables only through the `./schema` subpath, the root's
// test task runs the dependencies' tests first, and the repo lints with turbo/no-undeclared-env-vars.
const ROOT = {
  "package.json": json({
    name: "ledger",
    private: true,
    workspaces: ["apps/*", "packages/*"],
    scripts: { test: "turbo test", lint: "turbo lint" },
    devDependencies: { turbo: "2.5.4", typescript: "5.8.3" },
  }),
  "turbo.json": json({
    $schema: "https://turbo.build/schema.json",
    tasks: { build: { dependsOn: ["^build"] }, test: { dependsOn: ["^test"] }, lint: {} },
  }),
  "packages/db/package.json": json({
    name: "@ledger/db",
    private: true,
    type: "module",
    exports: { "./schema": "./src/schema/index.ts" },
    dependencies: { "drizzle-orm": "0.44.7" },
  }),
  "packages/db/src/schema/index.ts": 'export * from "./accounts.js";\n',
  "packages/db/src/schema/accounts.ts":
    'import { pgTable, serial, text } from "drizzle-orm/pg-core";\n\nexport const accounts = pgTable("accounts", { id: serial("id").primaryKey(), name: text("name").notNull() });\n',
};
const APP = {
  "package.json": json({
    name: "@ledger/api",
    private: true,
    type: "module",
    scripts: { test: "vitest run", lint: "eslint . --max-warnings 0" },
    dependencies: { "@ledger/db": "*" },
  }),
  "tsconfig.json": json({ compilerOptions: { strict: true, module: "NodeNext", target: "ES2022" }, include: ["src"] }),
  "src/index.ts": 'import { accounts } from "@ledger/db/schema";\n\nexport const table = accounts;\n',
};

describe("init in a turbo monorepo's app over a subpath-only db package", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "cpb-init-turbo-"));
    const files = {
      ...ROOT,
      ...Object.fromEntries(Object.entries(APP).map(([file, text]) => [`apps/api/${file}`, text])),
    };
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), content);
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const runInit = (files: Record<string, string>) =>
    runGenerator("init", { toolSpec: "^0.1.0" }, files, {
      cwd: path.join(root, "apps/api"),
      packageManager: "npm",
    });

  it("declares the variables generated code reads in the app's own turbo.json test task; the db package and root turbo.json stay as they were", async () => {
    const run = await runInit(APP);
    expect(JSON.parse(run.files["turbo.json"] ?? "{}")).toEqual({
      extends: ["//"],
      tasks: { test: { env: ["DATABASE_URL", "DATABASE_DIRECT_URL", "REDIS_URL", "NODE_ENV"] } },
    });
    // The tables come from the package by its subpath; nothing outside the app (but the root manifest) is planned.
    expect(run.files["src/db/full-schema.ts"]).toContain('export * from "@ledger/db/schema";');
    expect(run.changes.filter((change) => change.includes("../"))).toEqual([]);
    expect((run.result.notes ?? []).join("\n")).toContain("turbo.json: the test task declares DATABASE_URL");
    const again = await runInit(run.files);
    expect(again.result.plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);
  });

  it("an app turbo.json of its own keeps its entries and gains the missing variables", async () => {
    const own = json({
      extends: ["//"],
      tasks: { test: { env: ["REDIS_URL", "STRIPE_KEY"] }, build: { outputs: ["dist/**"] } },
    });
    const run = await runInit({ ...APP, "turbo.json": own });
    expect(JSON.parse(run.files["turbo.json"] ?? "{}")).toEqual({
      extends: ["//"],
      tasks: {
        test: { env: ["REDIS_URL", "STRIPE_KEY", "DATABASE_URL", "DATABASE_DIRECT_URL", "NODE_ENV"] },
        build: { outputs: ["dist/**"] },
      },
    });
  });
});
