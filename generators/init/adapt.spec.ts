import { describe, expect, it } from "vitest";

import { runGenerator } from "../testing.js";

// Three runs (two inits and a cache generator): longer than one run's default on a busy machine.
const SLOW_SPEC_TIMEOUT_MS = 60_000;
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const TSCONFIG = json({ compilerOptions: { strict: true, module: "NodeNext" }, include: ["src"] });

describe("init adapts to the repo it lands in", () => {
  it("gives a CommonJS package vitest.config.mts (a .ts config would load through Vite's deprecated CJS build)", async () => {
    const cjs = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { "package.json": json({ name: "cjs" }), "tsconfig.json": TSCONFIG },
    );
    expect(Object.keys(cjs.files)).toContain("vitest.config.mts");
    expect(Object.keys(cjs.files)).not.toContain("vitest.config.ts");
    const esm = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { "package.json": json({ name: "esm", type: "module" }), "tsconfig.json": TSCONFIG },
    );
    expect(Object.keys(esm.files)).toContain("vitest.config.ts");
  });
});

describe("init's ESLint config", () => {
  it("lints only the files perf-backend.json lists, so a lint script never fails on the repo's own code", async () => {
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { "package.json": json({ name: "esm", type: "module" }), "tsconfig.json": TSCONFIG },
    );
    const config = run.files["eslint.config.js"] ?? "";
    expect(config).toContain('readFileSync(new URL("./perf-backend.json", import.meta.url)');
    expect(config).toContain('ignores: ["dist/", "coverage/", "drizzle/", "node_modules/", ...ONLY_GENERATED]');
    expect(JSON.parse(run.files["package.json"] ?? "{}")).toMatchObject({ scripts: { lint: "eslint ." } });
  });

  it("is not added where the repo has ESLint already, and neither are our lint packages", async () => {
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      {
        "package.json": json({ name: "esm", type: "module", devDependencies: { eslint: "9.31.0" } }),
        "tsconfig.json": TSCONFIG,
        "eslint.config.js": "export default [];\n",
      },
    );
    expect(run.files["eslint.config.js"]).toBe("export default [];\n");
    const packageJson = JSON.parse(run.files["package.json"] ?? "{}") as {
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(Object.keys(packageJson.devDependencies)).not.toContain("@eslint/js");
    expect(packageJson.devDependencies.eslint).toBe("9.31.0");
    expect(packageJson.scripts.lint).toBeUndefined();
  });
});

describe("init keeps the repo's environment variables", () => {
  const repo = {
    "package.json": json({ name: "env-module", type: "module", dependencies: { pg: "8.23.1" } }),
    "tsconfig.json": TSCONFIG,
    "src/env.ts": [
      "const url = process.env.DB_URL;",
      'if (!url) throw new Error("DB_URL is required");',
      "export const env = { DB_URL: url };",
      "",
    ].join("\n"),
    "src/db.ts": [
      'import { Pool } from "pg";',
      "",
      'import { env } from "./env.js";',
      "",
      "export const pool = new Pool({ connectionString: env.DB_URL });",
      "",
    ].join("\n"),
  };

  it("reuses a pool whose URL comes through the repo's env module: .env.example lists DB_URL, not ours", async () => {
    const run = await runGenerator("init", { toolSpec: "^0.1.0" }, repo);
    const example = run.files[".env.example"] ?? "";
    expect(example).toContain("DB_URL=postgres://");
    expect(example).not.toContain("DATABASE_URL");
    // The pool is the repo's: our pool variables would be read by nothing.
    expect(example).not.toContain("POOL_MAX_CONNECTIONS");
    expect(run.files["drizzle.config.ts"]).toContain('process.env["DB_URL"]');
    expect(run.files["src/config/env.ts"]).toContain('readDatabaseUrlEnv("DB_URL"');
    // The repo's export is named `pool` too: imported under another name, no clash with ours.
    expect(run.files["src/db/pool.ts"]).toContain('import { pool as sharedPool } from "../db.js";');
    expect(run.files["src/db/pool.ts"]).toContain("export const pool = sharedPool;");
  });

  it("keeps DATABASE_URL and the pool variables where init places its own pool", async () => {
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { "package.json": json({ name: "bare", type: "module" }), "tsconfig.json": TSCONFIG },
    );
    expect(run.files[".env.example"]).toContain("DATABASE_URL=postgres://");
    expect(run.files[".env.example"]).toContain("POOL_MAX_CONNECTIONS=10");
  });
});

describe("init and the repo's build", () => {
  const BUILD_NOTE = "would also compile the generated *.test.ts files";
  const notesOf = (run: Awaited<ReturnType<typeof runGenerator>>): string => (run.result.notes ?? []).join("\n");

  it("places generated tests in test/ (mirroring src/) when the repo's tsc build would compile them into its output", async () => {
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { "package.json": json({ name: "emits", type: "module", scripts: { build: "tsc" } }), "tsconfig.json": TSCONFIG },
    );
    expect(notesOf(run)).toContain(
      "Generated tests go to test/ (mirroring src/): your build (tsconfig.json) would compile *.test.ts files under src/ into its output.",
    );
    const files = Object.keys(run.files);
    expect(files.filter((file) => file.startsWith("src/") && file.endsWith(".test.ts"))).toEqual([]);
    expect(files).toContain("test/db/transaction.test.ts");
    expect(files).toContain("src/db/transaction.ts");
    expect(run.files["test/db/transaction.test.ts"]).toContain('from "../../src/db/transaction.js"');
    expect(JSON.parse(run.files["perf-backend.json"] ?? "{}")).toMatchObject({ layout: { testsDir: "test" } });
    expect(run.files["vitest.config.ts"]).toContain('include: ["src/**/*.test.ts", "test/**/*.test.ts"]');
  });

  it(
    "uses the repo's own tests folder when its sources hold no tests, and keeps tests beside the modules when they do",
    async () => {
      const base = {
        "package.json": json({ name: "t", type: "module" }),
        "tsconfig.json": TSCONFIG,
        "src/greet.ts": "export const greet = 1;\n",
      };
      const folder = await runGenerator(
        "init",
        { toolSpec: "^0.1.0" },
        { ...base, "__tests__/greet.test.ts": 'import { greet } from "../src/greet.js";\n' },
      );
      expect(notesOf(folder)).toContain("Generated tests go to __tests__/ (where your tests live), mirroring src/.");
      expect(Object.keys(folder.files)).toContain("__tests__/cache/redis-client.test.ts");
      // Every later generator follows the recorded layout.
      const cache = await runGenerator("cache", { name: "user-profile", ttl: 60 }, folder.files);
      expect(cache.changes).toContain("generate __tests__/cache/user-profile-cache.test.ts");
      expect(cache.changes.filter((change) => change.endsWith(".test.ts") && change.includes(" src/"))).toEqual([]);
      expect(cache.files["__tests__/cache/user-profile-cache.test.ts"]).toMatch(
        /from "\.\.\/\.\.\/src\/cache\/user-profile-cache\.js"/,
      );
      const colocated = await runGenerator(
        "init",
        { toolSpec: "^0.1.0" },
        { ...base, "test/e2e.test.ts": "", "src/greet.test.ts": "" },
      );
      expect(Object.keys(colocated.files)).toContain("src/cache/redis-client.test.ts");
      expect(JSON.parse(colocated.files["perf-backend.json"] ?? "{}")).not.toHaveProperty("layout.testsDir");
    },
    SLOW_SPEC_TIMEOUT_MS,
  );

  it("is quiet when the build tsconfig excludes tests (own or inherited exclude) or emits nothing", async () => {
    const excludes = json({ extends: "./tsconfig.json", exclude: ["src/**/*.test.ts"] });
    for (const [build, extra] of [
      ["tsc -p tsconfig.build.json", { "tsconfig.build.json": excludes }],
      [
        "tsc --project tsconfig.build.json && node copy.js",
        {
          "tsconfig.build.json": json({ extends: "./tsconfig.base.json" }),
          "tsconfig.base.json": excludes.replace("./tsconfig.json", "./tsconfig.json"),
        },
      ],
      [
        "tsc --noEmit false -p tsconfig.check.json",
        { "tsconfig.check.json": json({ compilerOptions: { noEmit: true } }) },
      ],
      ["vite build", {}],
    ] as const) {
      const run = await runGenerator(
        "init",
        { toolSpec: "^0.1.0" },
        {
          "package.json": json({ name: "quiet", type: "module", scripts: { build } }),
          "tsconfig.json": TSCONFIG,
          ...extra,
        },
      );
      expect(notesOf(run), build).not.toContain(BUILD_NOTE);
    }
  });
});

describe("init matches the repo's hand-written style when it has no formatter", () => {
  it("indents generated code with tabs and single quotes like the repo's sources; package.json keeps its tabs", async () => {
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      {
        "package.json": '{\n\t"name": "tabs",\n\t"type": "module"\n}\n',
        "tsconfig.json": TSCONFIG,
        "src/app.ts":
          "import { readFileSync } from 'node:fs';\n\nexport function main(): string {\n\treturn readFileSync('x', 'utf8');\n}\n",
      },
    );
    const shutdown = run.files["src/shutdown.ts"] ?? "";
    expect(shutdown).toMatch(/^\t\S/m);
    expect(shutdown).not.toMatch(/^ {2}\S/m);
    expect(shutdown).toMatch(/from '\.\/[\w/-]+\.js';/);
    expect(run.files["package.json"]).toMatch(
      /^\t"devDependencies": \{\n\t\t"@eslint\/js": "10.0.1",\n\t\t"@types\/node"/m,
    );
    expect(run.files["src/app.ts"]).toBe(
      "import { readFileSync } from 'node:fs';\n\nexport function main(): string {\n\treturn readFileSync('x', 'utf8');\n}\n",
    );
  });
});

describe("init and the repo's ECMAScript lib", () => {
  const manifestOf = (run: Awaited<ReturnType<typeof runGenerator>>): { layout: { esLib?: number } } =>
    JSON.parse(run.files["perf-backend.json"] ?? "{}") as { layout: { esLib?: number } };
  const withCompilerOptions = (compilerOptions: Record<string, unknown>) => ({
    "package.json": json({ name: "es", type: "module" }),
    "tsconfig.json": json({
      compilerOptions: { strict: true, module: "NodeNext", ...compilerOptions },
      include: ["src"],
    }),
  });

  it("records an ES2020 target (or lib) and generates code that lib declares: no replaceAll, .at() or bare AggregateError", async () => {
    for (const options of [{ target: "ES2020" }, { target: "ES2022", lib: ["ES2020"] }]) {
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, withCompilerOptions(options));
      expect(manifestOf(run).layout.esLib, JSON.stringify(options)).toBe(2020);
      const generated = Object.entries(run.files).filter(([file]) => file.endsWith(".ts"));
      expect(generated.filter(([, text]) => text.includes(".replaceAll(")).map(([file]) => file)).toEqual([]);
      expect(run.files["src/shutdown.ts"]).toContain("const AggregateError = (globalThis as unknown as");
    }
  });

  it("records nothing for ES2022 and newer, or a tsconfig that names neither", async () => {
    for (const options of [{ target: "ES2022" }, { target: "ES2020", lib: ["ES2023"] }, { target: "ESNext" }, {}]) {
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, withCompilerOptions(options));
      expect(manifestOf(run).layout.esLib, JSON.stringify(options)).toBeUndefined();
      expect(run.files["src/shutdown.ts"]).not.toContain("globalThis");
    }
  });
});

describe("init over a db with a declared type", () => {
  it("reads the client through a typed cast: NodePgDatabase<...> has no $client, the instance has", async () => {
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      {
        "package.json": json({
          name: "typed-db",
          type: "module",
          dependencies: { "drizzle-orm": "0.36.4", pg: "8.23.1" },
        }),
        "tsconfig.json": TSCONFIG,
        "src/db/index.ts": [
          'import { drizzle } from "drizzle-orm/node-postgres";',
          'import type { NodePgDatabase } from "drizzle-orm/node-postgres";',
          'import pg from "pg";',
          "",
          "export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });",
          "export const db: NodePgDatabase = drizzle(pool);",
          "",
        ].join("\n"),
      },
    );
    const client = run.files["src/db/perf-client.ts"] ?? run.files["src/db/client.ts"] ?? "";
    expect(client).toContain('import type { Pool, PoolClient } from "pg";');
    expect(client).toContain("const existingClient = (existingDb as typeof existingDb & { $client: Pool }).$client;");
    expect(client).not.toContain("existingDb.$client");
  });
});

describe("init in a repo without esModuleInterop", () => {
  const manifestOf = (
    run: Awaited<ReturnType<typeof runGenerator>>,
  ): { layout: { defaultImports?: boolean; importStyle: string } } =>
    JSON.parse(run.files["perf-backend.json"] ?? "{}") as { layout: { defaultImports?: boolean; importStyle: string } };
  // TypeScript 5: esModuleInterop is off unless set (6 turns it on by default).
  const withCompilerOptions = (compilerOptions: Record<string, unknown>, typescript = "5.8.3") => ({
    "package.json": json({ name: "no-interop", type: "module", devDependencies: { typescript } }),
    "tsconfig.json": json({ compilerOptions: { strict: true, ...compilerOptions }, include: ["src"] }),
  });

  it("records it under `module: ESNext` + `moduleResolution: node`, keeps .js suffixes, and imports node:path as a namespace", async () => {
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      withCompilerOptions({ module: "ESNext", moduleResolution: "node" }),
    );
    expect(manifestOf(run).layout).toMatchObject({ defaultImports: false, importStyle: "nodenext" });
    const resolveWorkerFile = run.files["src/workers/resolve-worker-file.ts"] ?? "";
    expect(resolveWorkerFile).toContain('import * as path from "node:path";');
    expect(resolveWorkerFile).not.toMatch(/^import path from/m);
    expect(run.files["src/shutdown.ts"]).toMatch(/from "\.\/[\w/-]+\.js";/);
  });

  it("records nothing where default imports compile: esModuleInterop, allowSyntheticDefaultImports, NodeNext or bundler resolution", async () => {
    for (const options of [
      { module: "ESNext", moduleResolution: "node", esModuleInterop: true },
      { module: "ESNext", moduleResolution: "node", allowSyntheticDefaultImports: true },
      { module: "NodeNext" },
      { module: "ESNext", moduleResolution: "bundler" },
    ]) {
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, withCompilerOptions(options));
      expect(manifestOf(run).layout.defaultImports, JSON.stringify(options)).toBeUndefined();
      expect(run.files["src/workers/resolve-worker-file.ts"], JSON.stringify(options)).toContain(
        'import path from "node:path";',
      );
    }
  });

  it("records nothing on TypeScript 6 (interop on by default) or without a TypeScript of its own (init adds ours, 6)", async () => {
    for (const typescript of ["^6.0.0", "6.0.3"]) {
      const run = await runGenerator(
        "init",
        { toolSpec: "^0.1.0" },
        withCompilerOptions({ module: "commonjs", moduleResolution: "node" }, typescript),
      );
      expect(manifestOf(run).layout.defaultImports, typescript).toBeUndefined();
    }
    const bare = {
      ...withCompilerOptions({ module: "commonjs", moduleResolution: "node" }),
      "package.json": json({ name: "no-typescript" }),
    };
    const run = await runGenerator("init", { toolSpec: "^0.1.0" }, bare);
    expect(manifestOf(run).layout.defaultImports).toBeUndefined();
    expect(run.files["src/workers/resolve-worker-file.ts"]).toContain('import path from "node:path";');
  });
});
