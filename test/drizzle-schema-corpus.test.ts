import path from "node:path";
import { pathToFileURL } from "node:url";

import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { execa } from "execa";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { readDrizzleSchema } from "../src/schema-model/index.js";
import type { DrizzleSchemaModel, SchemaTable } from "../src/schema-model/index.js";
import {
  DRIZZLE_FIXTURES_DIR,
  DRIZZLE_SHAPES,
  fixtureDir,
  fixtureOptions,
  fixtureTree,
} from "./helpers/drizzle-fixtures.js";
import { createThrowawayDatabase, servicesAvailable } from "./helpers/services.js";
import type { ThrowawayDatabase } from "./helpers/services.js";

const TSC_TIMEOUT_MS = 120_000;
const PUSH_TIMEOUT_MS = 60_000;
const TSC = path.resolve("node_modules/typescript/bin/tsc");
const CORPUS_TSCONFIG = path.join(DRIZZLE_FIXTURES_DIR, "tsconfig.json");
const DEFAULT_PG_SCHEMA = "public";
const NO_ACTION = "no action";

/** The parts of drizzle-kit's snapshot the comparison reads (its exported type is too loose to index). */
interface KitSnapshot {
  tables: Record<
    string,
    {
      name: string;
      schema: string;
      columns: Record<string, { name: string; notNull: boolean; primaryKey: boolean }>;
      compositePrimaryKeys: Record<string, { columns: string[] }>;
      foreignKeys: Record<
        string,
        { columnsFrom: string[]; tableTo: string; schemaTo?: string; columnsTo: string[]; onDelete?: string }
      >;
      indexes: Record<string, { name: string }>;
    }
  >;
}

/** The schema modules as drizzle-kit gets them: every export of every schema file. */
async function schemaExports(shape: string, model: DrizzleSchemaModel): Promise<Record<string, unknown>> {
  const modules = await Promise.all(
    model.schemaFiles.map(
      (file) => import(pathToFileURL(path.join(fixtureDir(shape), file)).href) as Promise<Record<string, unknown>>,
    ),
  );
  return Object.assign({}, ...modules) as Record<string, unknown>;
}

const qualified = (table: SchemaTable): string => `${table.pgSchema ?? DEFAULT_PG_SCHEMA}.${table.sqlName}`;

/** What the model says, in drizzle-kit's terms (SQL names). */
function modelView(model: DrizzleSchemaModel) {
  const tables = [...model.tables.values()];
  const sqlOf = (tableVar: string) => model.tables.get(tableVar);
  return Object.fromEntries(
    tables.map((table) => {
      const column = (name: string): string =>
        table.columns.find((candidate) => candidate.name === name)?.sqlName ?? `?${name}`;
      return [
        qualified(table),
        {
          columns: table.columns.map((candidate) => `${candidate.sqlName}${candidate.notNull ? " not null" : ""}`),
          primaryKey: (table.primaryKey?.columns ?? []).map(column).sort(),
          foreignKeys: table.foreignKeys
            .map((key) => {
              const target = sqlOf(key.foreignTable);
              const targetColumns = key.foreignColumns.map(
                (name) => target?.columns.find((candidate) => candidate.name === name)?.sqlName ?? `?${name}`,
              );
              return `${key.columns.map(column).join(",")} -> ${target ? qualified(target) : "?"}(${targetColumns.join(",")}) on delete ${key.onDelete ?? NO_ACTION}`;
            })
            .sort(),
          indexes: table.indexes.filter((index) => index.kind !== "unique").map((index) => index.name ?? "(unnamed)"),
        },
      ];
    }),
  );
}

/** The same view of drizzle-kit's own snapshot of the schema. */
function kitView(snapshot: KitSnapshot) {
  return Object.fromEntries(
    Object.values(snapshot.tables).map((table) => {
      const columns = Object.values(table.columns);
      const compositeKey = Object.values(table.compositePrimaryKeys)[0];
      return [
        `${table.schema || DEFAULT_PG_SCHEMA}.${table.name}`,
        {
          columns: columns.map((column) => `${column.name}${column.notNull ? " not null" : ""}`),
          primaryKey: (compositeKey
            ? compositeKey.columns
            : columns.filter((column) => column.primaryKey).map((column) => column.name)
          ).sort(),
          foreignKeys: Object.values(table.foreignKeys)
            .map(
              (key) =>
                `${key.columnsFrom.join(",")} -> ${key.schemaTo || DEFAULT_PG_SCHEMA}.${key.tableTo}(${key.columnsTo.join(",")}) on delete ${key.onDelete ?? NO_ACTION}`,
            )
            .sort(),
          indexes: Object.values(table.indexes).map((index) => index.name),
        },
      ];
    }),
  );
}

describe("drizzle schema corpus is real drizzle-orm 0.45", () => {
  it(
    "every fixture typechecks with tsc against drizzle-orm 0.45 (the Drizzle 1.0 one excluded)",
    async () => {
      const listed = await execa("node", [TSC, "-p", CORPUS_TSCONFIG, "--listFilesOnly"]);
      for (const shape of DRIZZLE_SHAPES) expect(listed.stdout, shape).toContain(`drizzle-schemas/${shape}/`);
      expect(listed.stdout).not.toContain("drizzle-schemas/define-relations/");
      const result = await execa("node", [TSC, "-p", CORPUS_TSCONFIG], { reject: false });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
    },
    TSC_TIMEOUT_MS,
  );

  it.each(DRIZZLE_SHAPES)(
    "%s: the model agrees with drizzle-kit's snapshot (tables, SQL column names, not null, keys, FKs, indexes)",
    async (shape) => {
      const model = await readDrizzleSchema(fixtureTree(shape), fixtureOptions(shape));
      const snapshot = generateDrizzleJson(
        await schemaExports(shape, model),
        undefined,
        undefined,
        model.casing ?? undefined,
      );
      const kit = kitView(snapshot as unknown as KitSnapshot);
      const ours = modelView(model);
      // An index the model reports as unreadable is the only allowed difference.
      const unreadable = model.diagnostics.filter((diagnostic) => diagnostic.code === "constraint-not-readable").length;
      const kitIndexes = Object.values(kit).reduce((sum, table) => sum + table.indexes.length, 0);
      const ourIndexes = Object.values(ours).reduce((sum, table) => sum + table.indexes.length, 0);
      expect(kitIndexes - ourIndexes).toBe(unreadable);
      for (const [name, table] of Object.entries(ours)) {
        const named = table.indexes.filter((index) => index !== "(unnamed)");
        expect(kit[name]?.indexes, `${shape} ${name} indexes`).toEqual(expect.arrayContaining(named));
      }
      const strip = (view: typeof ours) =>
        Object.fromEntries(Object.entries(view).map(([name, { indexes: _indexes, ...rest }]) => [name, rest]));
      expect(strip(ours)).toEqual(strip(kit));
    },
  );
});

const postgres = await servicesAvailable("drizzle schema corpus push", ["postgres"]);

describe.skipIf(!postgres)("drizzle schema corpus pushes to PostgreSQL", () => {
  const databases: ThrowawayDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it.each(DRIZZLE_SHAPES)(
    "%s: drizzle-kit's migration of the fixture runs on a throwaway database, with the tables and foreign keys the model found",
    async (shape) => {
      const model = await readDrizzleSchema(fixtureTree(shape), fixtureOptions(shape));
      const snapshot = generateDrizzleJson(
        await schemaExports(shape, model),
        undefined,
        undefined,
        model.casing ?? undefined,
      );
      const statements = await generateMigration(generateDrizzleJson({}), snapshot);
      const database = await createThrowawayDatabase(`corpus_${shape.replaceAll("-", "_")}`);
      databases.push(database);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        for (const statement of statements) await client.query(statement);
        const tables = await client.query<{ name: string }>(
          "select table_schema || '.' || table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE' order by 1",
        );
        expect(tables.rows.map((row) => row.name)).toEqual([...model.tables.values()].map(qualified).sort());
        const foreignKeys = await client.query<{ count: string }>(
          "select count(*) from information_schema.table_constraints where constraint_type = 'FOREIGN KEY'",
        );
        expect(Number(foreignKeys.rows[0]?.count)).toBe(
          [...model.tables.values()].reduce((sum, table) => sum + table.foreignKeys.length, 0),
        );
      } finally {
        await client.end();
      }
    },
    PUSH_TIMEOUT_MS,
  );
});
