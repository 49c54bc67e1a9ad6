import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../core/host.js";
import { configsFromScripts, locateDrizzleConfig } from "../core/repo/drizzle-config-location.js";
import { Tree } from "../core/tree.js";
import { locateDrizzleClient, readDrizzleSchema } from "./read-model.js";

const repo = (files: Record<string, string>): Tree => new Tree(createMemoryHost(files));
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const ENTITY = (name: string): string =>
  `import { pgTable, serial, text } from "drizzle-orm/pg-core";\nexport const ${name} = pgTable("${name}", { id: serial("id").primaryKey(), label: text("label") });\n`;

// NestJS: the client is made by a DI provider's factory; drizzle-kit's config sits in migrations/ and the scripts pass it.
const NEST_PROVIDER = {
  "package.json": json({
    name: "nest-provider",
    scripts: { "db:generate": "drizzle-kit generate --config migrations/drizzle.config.ts", start: "nest start" },
    dependencies: { "@nestjs/common": "^10.0.0", "drizzle-orm": "^0.36.0", pg: "^8.11.0" },
  }),
  "migrations/drizzle.config.ts": `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "postgresql", schema: "./src/database/entities/*.entity.ts", out: "./migrations/sql" });\n`,
  "src/database/entities/index.ts": `export * from "./account.entity";\nexport * from "./invoice.entity";\n`,
  "src/database/entities/account.entity.ts": ENTITY("accounts"),
  "src/database/entities/invoice.entity.ts": ENTITY("invoices"),
  "src/database/database.module.ts": [
    `import { Module } from "@nestjs/common";`,
    `import { ConfigService } from "@nestjs/config";`,
    `import { drizzle } from "drizzle-orm/node-postgres";`,
    `import { Pool } from "pg";`,
    `import * as EntitiesSchema from "./entities";`,
    `export const DRIZZLE = Symbol("drizzle");`,
    `@Module({`,
    `  providers: [{ provide: DRIZZLE, inject: [ConfigService], useFactory: (cfg: ConfigService) => {`,
    `    const pool = new Pool({ connectionString: cfg.get("DATABASE_URL") });`,
    `    return drizzle(pool, { schema: EntitiesSchema });`,
    `  } }],`,
    `  exports: [DRIZZLE],`,
    `})`,
    `export class DatabaseModule {}`,
    ``,
  ].join("\n"),
};

describe("locateDrizzleConfig", () => {
  it("takes the config the scripts pass with --config, in either spelling", () => {
    expect(
      configsFromScripts({
        a: "drizzle-kit generate --config migrations/drizzle.config.ts",
        b: "drizzle-kit migrate --config=./db/kit.ts && echo done",
      }),
    ).toEqual(["migrations/drizzle.config.ts", "./db/kit.ts"]);
    expect(configsFromScripts({ lint: "eslint --config eslint.config.js" })).toEqual([]);
  });

  it("prefers the scripts' config, then the root's, then one in a subfolder; skips files an earlier run wrote", () => {
    const files = {
      "drizzle.config.ts": "export default {};",
      "migrations/drizzle.config.ts": "export default {};",
      "kit/x.ts": "export default {};",
    };
    const lookup = (extra: Record<string, string> = {}) => repo({ ...files, ...extra });
    const tree = lookup();
    const host = { read: (file: string) => tree.read(file), list: (dir: string) => tree.children(dir) };
    expect(locateDrizzleConfig(host, "", { gen: "drizzle-kit generate --config kit/x.ts" })).toBe("kit/x.ts");
    expect(locateDrizzleConfig(host, "", undefined)).toBe("drizzle.config.ts");
    expect(locateDrizzleConfig(host, "", undefined, new Set(["drizzle.config.ts"]))).toBe(
      "migrations/drizzle.config.ts",
    );
    // A missing --config target does not hide the others.
    expect(locateDrizzleConfig(host, "", { gen: "drizzle-kit generate --config nowhere.ts" })).toBe(
      "drizzle.config.ts",
    );
  });

  it("never takes a config from test fixtures, examples or installed copies, even when it is the shallowest", () => {
    const tree = repo({
      "test/drizzle.config.ts": "export default {};",
      "examples/drizzle.config.ts": "export default {};",
      "vendor/drizzle.config.ts": "export default {};",
      "apps/fixtures/drizzle.config.ts": "export default {};",
      "db/migrations/drizzle.config.ts": "export default {};",
    });
    const host = { read: (file: string) => tree.read(file), list: (dir: string) => tree.children(dir) };
    expect(locateDrizzleConfig(host, "", undefined)).toBe("db/migrations/drizzle.config.ts");
    const onlyFixtures = repo({
      "test/fixtures/drizzle.config.ts": "export default {};",
      "examples/drizzle.config.ts": "",
    });
    expect(
      locateDrizzleConfig(
        { read: (file) => onlyFixtures.read(file), list: (dir) => onlyFixtures.children(dir) },
        "",
        undefined,
      ),
    ).toBeNull();
  });
});

describe("locateDrizzleClient", () => {
  it("follows drizzle() into a NestJS provider factory: driver, schema namespace, nothing to import", async () => {
    const client = await locateDrizzleClient(repo(NEST_PROVIDER));
    expect(client).toMatchObject({
      file: "src/database/database.module.ts",
      driver: "node-postgres",
      hasSchema: true,
      schemaFiles: ["src/database/entities/index.ts"],
    });
    expect(client?.exportName).toBeUndefined();
  });

  it("finds a postgres.js client built in a service method, whatever else package.json lists", async () => {
    const client = await locateDrizzleClient(
      repo({
        "package.json": json({
          name: "svc",
          dependencies: { pg: "^8.0.0", postgres: "^3.4.0", "drizzle-orm": "^0.36.0" },
        }),
        "src/db/schema.ts": ENTITY("notes"),
        "src/db/db.service.ts": [
          `import { Injectable, OnModuleInit } from "@nestjs/common";`,
          `import { drizzle, PostgresJsDatabase } from "drizzle-orm/postgres-js";`,
          `import postgres from "postgres";`,
          `import * as schema from "./schema";`,
          `@Injectable()`,
          `export class DbService implements OnModuleInit {`,
          `  db!: PostgresJsDatabase<typeof schema>;`,
          `  onModuleInit() { this.db = drizzle(postgres(process.env.DATABASE_URL ?? ""), { schema }); }`,
          `}`,
          ``,
        ].join("\n"),
      }),
    );
    expect(client).toMatchObject({
      file: "src/db/db.service.ts",
      driver: "postgres-js",
      schemaFiles: ["src/db/schema.ts"],
    });
    expect(client?.exportName).toBeUndefined();
  });

  it("reads default exports and `export { db as name }`, and a client with a schema wins over a migration script's", async () => {
    const schema = { "src/db/schema.ts": ENTITY("notes") };
    const direct = await locateDrizzleClient(
      repo({
        ...schema,
        "src/db/index.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nimport * as schema from "./schema";\nexport default drizzle(process.env.DATABASE_URL!, { schema });\n`,
      }),
    );
    expect(direct).toMatchObject({ exportName: "default", schemaFiles: ["src/db/schema.ts"] });
    const later = await locateDrizzleClient(
      repo({
        ...schema,
        "src/db/migrate.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nexport const migrator = drizzle(process.env.DATABASE_URL!);\n`,
        "src/db/client.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nimport type { NodePgDatabase } from "drizzle-orm/node-postgres";\nimport * as schema from "./schema";\nconst db: NodePgDatabase<typeof schema> = drizzle(process.env.DATABASE_URL!, { schema });\nexport { db as database };\n`,
      }),
    );
    expect(later).toMatchObject({ file: "src/db/client.ts", exportName: "database", declaredType: true });
    const ignored = await locateDrizzleClient(
      repo({
        ...schema,
        "src/db/index.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nexport default drizzle("x");\n`,
      }),
      { ignore: new Set(["src/db/index.ts"]) },
    );
    expect(ignored).toBeNull();
  });
});

describe("readDrizzleSchema with the config in a subfolder", () => {
  it("reads the config the scripts pass, its schema relative to the package root (where drizzle-kit runs)", async () => {
    const model = await readDrizzleSchema(repo(NEST_PROVIDER));
    expect(model.configFile).toBe("migrations/drizzle.config.ts");
    expect([...model.tables.keys()].sort()).toEqual(["accounts", "invoices"]);
    expect(model.client).toMatchObject({ file: "src/database/database.module.ts", driver: "node-postgres" });
  });
});

describe("readDrizzleSchema over drizzle-kit pull's output", () => {
  it("reads index columns written with order, nulls and operator class, and foreignKey() in the third argument", async () => {
    const model = await readDrizzleSchema(
      repo({
        "drizzle.config.ts": 'export default { dialect: "postgresql", schema: "./drizzle/schema.ts" };\n',
        "drizzle/schema.ts": [
          'import { pgTable, foreignKey, uuid, index } from "drizzle-orm/pg-core"',
          "",
          'export const shops = pgTable("shops", {',
          "\tid: uuid().defaultRandom().primaryKey().notNull(),",
          "});",
          "",
          'export const orders = pgTable("orders", {',
          "\tid: uuid().defaultRandom().primaryKey().notNull(),",
          '\tshopId: uuid("shop_id").notNull(),',
          "}, (table) => [",
          '\tindex("orders_shop_id_idx").using("btree", table.shopId.asc().nullsLast().op("uuid_ops"), table.id.desc()),',
          '\tforeignKey({ columns: [table.shopId], foreignColumns: [shops.id], name: "orders_shop_id_fk" }),',
          "]);",
          "",
        ].join("\n"),
      }),
    );
    const orders = model.tables.get("orders");
    expect(orders?.indexes.map((entry) => entry.columns)).toEqual([["shopId", "id"]]);
    expect(orders?.columns.find((column) => column.name === "shopId")?.references?.table).toBe("shops");
  });
});
