import { describe, expect, it } from "vitest";

import type { ProjectLayout } from "../../src/devkit/index.js";
import { runGenerator } from "../testing.js";

// Several generator runs per test (init, repository, a second init): longer than one run's default on a busy machine.
const SLOW_SPEC_TIMEOUT_MS = 60_000;
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
// A NestJS-style CommonJS tsconfig: decorators, no `src/` include list.
const NEST_TSCONFIG = json({
  compilerOptions: {
    module: "commonjs",
    target: "ES2021",
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    skipLibCheck: true,
    outDir: "dist",
  },
});
const layoutOf = (files: Record<string, string>): ProjectLayout =>
  (JSON.parse(files["perf-backend.json"] ?? "{}") as { layout: ProjectLayout }).layout;
const changed = (run: Awaited<ReturnType<typeof runGenerator>>): string[] =>
  run.result.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path);

const entity = (name: string, extra = ""): string =>
  `import { integer, pgTable, serial, text } from "drizzle-orm/pg-core";\n${extra}export const ${name} = pgTable("${name}", { id: serial("id").primaryKey(), label: text("label").notNull() });\n`;

// Modeled on NestJS apps whose drizzle instance is a DI provider and whose drizzle-kit config lives in migrations/.
const NEST_PROVIDER = {
  "package.json": json({
    name: "nest-provider",
    version: "0.0.1",
    scripts: { build: "nest build", "db:generate": "drizzle-kit generate --config migrations/drizzle.config.ts" },
    dependencies: { "@nestjs/common": "^10.0.0", "@nestjs/config": "^3.0.0", "drizzle-orm": "^0.36.0", pg: "^8.11.0" },
    devDependencies: { "drizzle-kit": "^0.28.0", typescript: "^5.4.0" },
  }),
  "package-lock.json": json({ name: "nest-provider", lockfileVersion: 3, requires: true, packages: {} }),
  "tsconfig.json": NEST_TSCONFIG,
  "migrations/drizzle.config.ts": `import { defineConfig } from "drizzle-kit";\n\nexport default defineConfig({ dialect: "postgresql", schema: "./src/**/*.entity.ts", out: "./migrations/sql" });\n`,
  "src/database/entities/index.ts": `export * from "./account.entity";\nexport * from "./invoice.entity";\n`,
  "src/database/entities/account.entity.ts": entity("accounts"),
  "src/database/entities/invoice.entity.ts": entity("invoices"),
  "src/database/database.module.ts": [
    `import { Module } from "@nestjs/common";`,
    `import { ConfigService } from "@nestjs/config";`,
    `import { drizzle } from "drizzle-orm/node-postgres";`,
    `import { Pool } from "pg";`,
    ``,
    `import * as EntitiesSchema from "./entities";`,
    ``,
    `export const DRIZZLE = Symbol("drizzle");`,
    ``,
    `@Module({`,
    `  providers: [`,
    `    {`,
    `      provide: DRIZZLE,`,
    `      inject: [ConfigService],`,
    `      useFactory: (cfg: ConfigService) => drizzle(new Pool({ connectionString: cfg.get<string>("DATABASE_URL") }), { schema: EntitiesSchema }),`,
    `    },`,
    `  ],`,
    `  exports: [DRIZZLE],`,
    `})`,
    `export class DatabaseModule {}`,
    ``,
  ].join("\n"),
};

// Modeled on NestJS apps that build a postgres.js client in a service; `pg` is listed but nothing imports it.
const NEST_POSTGRES_JS = {
  "package.json": json({
    name: "nest-postgres-js",
    version: "0.0.1",
    dependencies: { "@nestjs/common": "^10.0.0", "drizzle-orm": "^0.36.0", pg: "^8.11.0", postgres: "^3.4.0" },
    devDependencies: { "drizzle-kit": "^0.28.0", typescript: "^5.4.0" },
  }),
  "package-lock.json": json({ name: "nest-postgres-js", lockfileVersion: 3, requires: true, packages: {} }),
  "tsconfig.json": NEST_TSCONFIG,
  "drizzle.config.ts": `import { defineConfig } from "drizzle-kit";\n\nexport default defineConfig({ dialect: "postgresql", out: "./drizzle" });\n`,
  "src/drizzle/schema.ts": entity("members"),
  "src/drizzle/drizzle.service.ts": [
    `import { Injectable } from "@nestjs/common";`,
    `import { drizzle, PostgresJsDatabase } from "drizzle-orm/postgres-js";`,
    `import postgres from "postgres";`,
    ``,
    `import * as schema from "./schema";`,
    ``,
    `@Injectable()`,
    `export class DrizzleService {`,
    `  private instance?: PostgresJsDatabase<typeof schema>;`,
    ``,
    `  get db(): PostgresJsDatabase<typeof schema> {`,
    `    this.instance ??= drizzle(postgres(process.env.DATABASE_URL ?? ""), { schema });`,
    `    return this.instance;`,
    `  }`,
    `}`,
    ``,
  ].join("\n"),
};

describe("init finds the Drizzle setup wherever it lives", () => {
  it(
    "NestJS provider factory + config in migrations/: keeps the config, reads the provider's schema, no second config or barrel",
    async () => {
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, NEST_PROVIDER);
      const layout = layoutOf(run.files);
      expect(run.files["drizzle.config.ts"]).toBeUndefined();
      expect(layout.db.schemaBarrel).toBe("src/database/entities/index.ts");
      expect(layout.db.schemaDir).toBe("src/database/entities");
      // drizzle-kit reads `*.entity.ts`: new tables are named so it sees them.
      expect(layout.db.schemaFileSuffix).toBe(".entity");
      expect(layout.db.migrationsDir).toBe("migrations/sql");
      expect(layout.db.driver).toBe("node-postgres");
      expect(run.files["src/database/entities/index.ts"]).toBe(NEST_PROVIDER["src/database/entities/index.ts"]);
      expect(run.result.notes.join("\n")).toContain("src/database/database.module.ts");
      expect(run.result.notes.join("\n")).toContain("Kept your migrations/drizzle.config.ts");
      // The repository over the repo's own table: no "run generate schema first".
      const repository = await runGenerator("repository", { name: "accounts" }, run.files);
      expect(repository.files["src/repositories/accounts-repository.ts"]).toContain(".from(accounts)");
      const again = await runGenerator("init", { toolSpec: "^0.1.0" }, run.files);
      expect(changed(again)).toEqual([]);
    },
    SLOW_SPEC_TIMEOUT_MS,
  );

  it(
    "a provider spreading several entity files: the config's glob survives, new tables get names drizzle-kit reads",
    async () => {
      const files = {
        ...Object.fromEntries(Object.entries(NEST_PROVIDER).filter(([file]) => !file.endsWith("entities/index.ts"))),
        "src/database/database.module.ts": NEST_PROVIDER["src/database/database.module.ts"]
          .replace(
            'import * as EntitiesSchema from "./entities";',
            'import * as accounts from "./entities/account.entity";\nimport * as invoices from "./entities/invoice.entity";',
          )
          .replace("{ schema: EntitiesSchema }", "{ schema: { ...accounts, ...invoices } }"),
      };
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, files);
      const layout = layoutOf(run.files);
      expect(layout.db.schemaDir).toBe("src/database/entities");
      expect(layout.db.schemaFileSuffix).toBe(".entity");
      const schema = await runGenerator(
        "schema",
        { name: "payments", columns: ["invoiceId:integer:notNull:references=invoices.id"], migrate: false },
        run.files,
      );
      expect(Object.keys(schema.files)).toContain("src/database/entities/payments.entity.ts");
    },
    SLOW_SPEC_TIMEOUT_MS,
  );

  it(
    "postgres.js client built in a service: the client in use decides the stack (no pg Pool, no pg dependency added)",
    async () => {
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, NEST_POSTGRES_JS);
      const layout = layoutOf(run.files);
      expect(layout.db.driver).toBe("postgres-js");
      expect(layout.db.schemaBarrel).toBe("src/drizzle/schema.ts");
      const client = run.files[layout.db.client] ?? "";
      expect(client).toContain('import postgres from "postgres";');
      expect(client).toContain("postgres(DATABASE_URL)");
      expect(client).not.toContain("existingDb");
      expect(Object.keys(run.files).filter((file) => /pool\.ts$/.test(file))).toEqual([]);
      const packageJson = JSON.parse(run.files["package.json"] ?? "{}") as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      expect(packageJson.devDependencies["@types/pg"]).toBeUndefined();
      expect(packageJson.dependencies.pg).toBe("^8.11.0");
      const repository = await runGenerator("repository", { name: "members" }, run.files);
      expect(repository.files["src/repositories/members-repository.ts"]).toContain(".from(members)");
      const again = await runGenerator("init", { toolSpec: "^0.1.0" }, run.files);
      expect(changed(again)).toEqual([]);
    },
    SLOW_SPEC_TIMEOUT_MS,
  );

  it(
    "a default-exported drizzle instance is reused, not shadowed by a second pool",
    async () => {
      const files = {
        ...NEST_POSTGRES_JS,
        "drizzle.config.ts": `export default { dialect: "postgresql", schema: "./src/drizzle/schema.ts" };\n`,
        "src/drizzle/drizzle.service.ts": `import { drizzle } from "drizzle-orm/postgres-js";\nimport postgres from "postgres";\n\nimport * as schema from "./schema";\n\nexport default drizzle(postgres(process.env.DATABASE_URL ?? ""), { schema });\n`,
      };
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, files);
      const client = run.files[layoutOf(run.files).db.client] ?? "";
      expect(client).toMatch(/import \{ default as existingDb \} from "\.\.\/drizzle\/drizzle\.service(?:\.js)?";/);
      expect(client).not.toContain("postgres(DATABASE_URL)");
    },
    SLOW_SPEC_TIMEOUT_MS,
  );
});

// Tables and an instance in places nothing names: a builder function returns the client, the tables sit in `model/`.
const HIDDEN = {
  "package.json": json({
    name: "hidden",
    version: "1.0.0",
    type: "module",
    dependencies: { "drizzle-orm": "^0.36.0", pg: "^8.11.0" },
  }),
  "package-lock.json": json({ name: "hidden", lockfileVersion: 3, requires: true, packages: {} }),
  "tsconfig.json": json({
    compilerOptions: { strict: true, module: "NodeNext", skipLibCheck: true },
    include: ["src"],
  }),
  "src/model/ledger.table.ts": entity("ledgers"),
  "src/infra/database.ts": `import { drizzle } from "drizzle-orm/node-postgres";\n\nimport * as tables from "../model/ledger.table.js";\n\nconst build = (url: string) => drizzle(url, { schema: tables });\nexport const database = build(process.env.DATABASE_URL ?? "");\n`,
};

describe("init --schema and --db-client", () => {
  it(
    "points init at tables and an instance it cannot resolve, records both, and later runs read them",
    async () => {
      const run = await runGenerator(
        "init",
        { toolSpec: "^0.1.0", schema: "./src/model/*.table.ts", dbClient: "src/infra/database.ts#database" },
        HIDDEN,
      );
      const layout = layoutOf(run.files);
      expect(layout.db).toMatchObject({
        schema: "src/model/*.table.ts",
        dbClient: "src/infra/database.ts#database",
        schemaDir: "src/model",
        schemaFileSuffix: ".table",
      });
      expect(run.files[layout.db.client]).toContain('import { database as existingDb } from "../infra/database.js";');
      const repository = await runGenerator("repository", { name: "ledgers" }, run.files);
      expect(repository.files["src/repositories/ledgers-repository.ts"]).toContain(".from(ledgers)");
      // A re-run without the flags keeps what the first was told.
      const again = await runGenerator("init", { toolSpec: "^0.1.0" }, run.files);
      expect(changed(again)).toEqual([]);
    },
    SLOW_SPEC_TIMEOUT_MS,
  );

  it(
    "--db-client through a re-export barrel: the driver of the module that makes the instance, not the barrel's text",
    async () => {
      const files = {
        ...HIDDEN,
        "package.json": json({
          name: "hidden",
          version: "1.0.0",
          type: "module",
          dependencies: { "drizzle-orm": "^0.36.0", postgres: "^3.4.0" },
        }),
        "src/infra/database.ts": `import { drizzle } from "drizzle-orm/postgres-js";\nimport postgres from "postgres";\n\nimport * as tables from "../model/ledger.table.js";\n\nexport const client = drizzle(postgres(process.env.DATABASE_URL ?? ""), { schema: tables });\n`,
        "src/infra/index.ts": `export { client as database } from "./database.js";\n`,
        "src/index.ts": `export * from "./infra/index.js";\n`,
      };
      for (const dbClient of ["src/infra/index.ts#database", "src/index.ts#database"]) {
        const run = await runGenerator("init", { toolSpec: "^0.1.0", schema: "src/model/*.table.ts", dbClient }, files);
        expect(layoutOf(run.files).db.driver, dbClient).toBe("postgres-js");
        expect(run.files["package.json"], dbClient).not.toContain('"pg"');
      }
      // A barrel re-exporting from a package: the driver cannot be read; exit 2 naming it, never a guess.
      await expect(
        runGenerator(
          "init",
          { dbClient: "src/infra/index.ts#database" },
          { ...files, "src/infra/index.ts": `export { database } from "@acme/db";\n` },
        ),
      ).rejects.toMatchObject({
        name: "UsageError",
        message: expect.stringContaining("re-exports database from @acme/db"),
      });
    },
    SLOW_SPEC_TIMEOUT_MS,
  );

  it("refuses values that point nowhere (exit 2, naming the flag)", async () => {
    await expect(runGenerator("init", { schema: "src/nowhere" }, HIDDEN)).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("--schema src/nowhere"),
    });
    await expect(runGenerator("init", { dbClient: "src/infra/database.ts" }, HIDDEN)).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("<module>#<export>"),
    });
    await expect(runGenerator("init", { dbClient: "src/infra/database.ts#db" }, HIDDEN)).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("does not export db"),
    });
    await expect(runGenerator("init", { schema: "../elsewhere/schema.ts" }, HIDDEN)).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("inside the package"),
    });
  });

  it(
    "a repository over a table the tool did not find names the flags instead of advising a duplicate table",
    async () => {
      const bare = { ...HIDDEN, "src/infra/database.ts": `export const database = null;\n` };
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, bare);
      const failure = await runGenerator("repository", { name: "ledgers" }, run.files).then(
        () => null,
        (error: unknown) => error as { hints: string[] },
      );
      expect(failure?.hints.join("\n")).toContain("init --schema <file|folder|glob>");
      expect(failure?.hints.join("\n")).toContain("--db-client <module>#<export>");
    },
    SLOW_SPEC_TIMEOUT_MS,
  );
});

describe("init's layout around the repo's schema", () => {
  it(
    "a config naming a folder's index.ts: new tables go beside the repo's tables, never one folder deeper",
    async () => {
      const files = {
        ...HIDDEN,
        "drizzle.config.ts": `export default { dialect: "postgresql", schema: "./src/db/schema/index.ts" };\n`,
        "src/db/schema/index.ts": `export * from "./ledger.js";\n`,
        "src/db/schema/ledger.ts": entity("ledgers"),
      };
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, files);
      expect(layoutOf(run.files).db).toMatchObject({
        schemaDir: "src/db/schema",
        schemaBarrel: "src/db/schema/index.ts",
      });
      const schema = await runGenerator(
        "schema",
        { name: "entries", columns: ["ledgerId:integer:notNull:references=ledgers.id"], migrate: false },
        run.files,
      );
      expect(Object.keys(schema.files).filter((file) => file.startsWith("src/db/schema/schema/"))).toEqual([]);
      expect(schema.files["src/db/schema/entries.ts"]).toMatch(/export const entries = pgTable\(\s*"entries"/);
      expect(schema.files["src/db/schema/index.ts"]).toContain("./entries.js");
    },
    SLOW_SPEC_TIMEOUT_MS,
  );
});

// A Next.js App Router app (no src/) over a database it pulled with drizzle-kit: tables, enums and foreign keys in
// drizzle/schema.ts, relations in drizzle/relations.ts, and a config made for `pull` (no schema).
const NEXT_INTROSPECTED = {
  "package.json": json({
    name: "next-pulled",
    version: "0.1.0",
    private: true,
    scripts: { dev: "next dev", "db:pull": "drizzle-kit pull" },
    dependencies: { next: "15.3.0", "drizzle-orm": "^0.44.0", pg: "^8.13.0" },
    devDependencies: { "drizzle-kit": "^0.31.0", typescript: "^5.8.0" },
  }),
  "package-lock.json": json({ name: "next-pulled", lockfileVersion: 3, requires: true, packages: {} }),
  "tsconfig.json": json({
    compilerOptions: { strict: true, module: "esnext", moduleResolution: "bundler", jsx: "preserve", noEmit: true },
    include: ["**/*.ts", "**/*.tsx"],
  }),
  "next.config.ts": "export default {};\n",
  "drizzle.config.ts": `import { defineConfig } from "drizzle-kit";\n\nexport default defineConfig({\n  out: "./drizzle",\n  dialect: "postgresql",\n});\n`,
  "drizzle/schema.ts": `import { pgTable, uuid, text } from "drizzle-orm/pg-core"\n\nexport const shops = pgTable("shops", {\n\tid: uuid().defaultRandom().primaryKey().notNull(),\n\tname: text().notNull(),\n});\n`,
  "drizzle/relations.ts": `import { relations } from "drizzle-orm/relations";\nimport { shops } from "./schema";\n\nexport const shopsRelations = relations(shops, () => ({}));\n`,
  "lib/db.ts": `import { drizzle } from "drizzle-orm/node-postgres";\n\nimport * as schema from "../drizzle/schema";\nimport * as relations from "../drizzle/relations";\n\nexport const db = drizzle(process.env.DATABASE_URL ?? "", { schema: { ...schema, ...relations } });\n`,
  "app/api/shops/route.ts": `import { db } from "../../../lib/db";\n\nexport async function GET(): Promise<Response> {\n  return Response.json(await db.query.shops.findMany());\n}\n`,
};

describe("init in a Next.js app over a pulled schema", () => {
  it(
    "app/ is not the source root; new tables and infrastructure stay out of app/ and drizzle/; the config gains its schema",
    async () => {
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, NEXT_INTROSPECTED);
      const layout = layoutOf(run.files);
      expect(layout.srcDir).toBe("lib");
      expect(layout.db).toMatchObject({ schemaDir: "lib/db/schema", schemaBarrel: "lib/db/schema/index.ts" });
      const added = changed(run);
      expect(added.filter((file) => file.startsWith("app/") || file.startsWith("drizzle/"))).toEqual([]);
      expect(run.files["lib/db/schema/index.ts"]).toContain('export * from "../../../drizzle/schema";');
      expect(run.files["lib/db/schema/index.ts"]).toContain('export * from "../../../drizzle/relations";');
      expect(run.files["drizzle.config.ts"]).toBe(
        NEXT_INTROSPECTED["drizzle.config.ts"].replace(
          '  out: "./drizzle",',
          '  schema: "./lib/db/schema/index.ts",\n  out: "./drizzle",',
        ),
      );
      const schema = await runGenerator(
        "schema",
        { name: "orders", columns: ["shopId:uuid:notNull:references=shops.id"], migrate: false },
        run.files,
      );
      expect(Object.keys(schema.files)).toContain("lib/db/schema/orders.ts");
      expect(changed(schema).filter((file) => file.startsWith("app/"))).toEqual([]);
      const repository = await runGenerator("repository", { name: "shops" }, schema.files);
      expect(repository.files["lib/repositories/shops-repository.ts"]).toContain(".from(shops)");
      const again = await runGenerator("init", { toolSpec: "^0.1.0" }, run.files);
      expect(changed(again)).toEqual([]);
      // A config that names the pulled file keeps its value; init says what drizzle-kit generate needs instead.
      const named = await runGenerator(
        "init",
        { toolSpec: "^0.1.0" },
        {
          ...NEXT_INTROSPECTED,
          "drizzle.config.ts": NEXT_INTROSPECTED["drizzle.config.ts"].replace(
            '  out: "./drizzle",',
            '  schema: "./drizzle/schema.ts",\n  out: "./drizzle",',
          ),
        },
      );
      expect(layoutOf(named.files).db.schemaDir).toBe("lib/db/schema");
      expect(changed(named)).not.toContain("drizzle.config.ts");
      expect(named.result.notes.join("\n")).toContain("Point drizzle.config.ts's schema at ./lib/db/schema/index.ts");
    },
    SLOW_SPEC_TIMEOUT_MS,
  );
});
