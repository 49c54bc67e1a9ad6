import { describe, expect, expectTypeOf, it } from "vitest";

import { DEFAULT_LAYOUT } from "../../../generators/app/layout.js";
import { runGenerator } from "../../../generators/testing.js";
import { fixtureTree } from "../../../test/helpers/drizzle-fixtures.js";
import { createMemoryHost } from "../../core/host.js";
import { serializeManifest } from "../../core/manifest.js";
import { Tree } from "../../core/tree.js";
import { readSchema } from "../drizzle/read-schema.js";
import type { SchemaColumn as LegacyColumn, SchemaModel as LegacyModel, SchemaRelation as LegacyRelation, SchemaTable as LegacyTable } from "../drizzle/read-schema.js";
import type { RawInput } from "../options/parse.js";
import type { DrizzleSchemaModel, SchemaColumn, SchemaRelation, SchemaTable } from "./model.js";
import { readDrizzleSchema } from "./read-model.js";

const TABLES: RawInput[] = [
  { name: "users", columns: "email:text:notNull,name:text:notNull", unique: ["email"], timestamps: true, migrate: false },
  { name: "posts", columns: "authorId:integer:notNull:references=users.id,title:varchar(255):notNull", migrate: false },
];

/** The schema this tool's own `schema` generator writes. */
async function generatedSchema(): Promise<Tree> {
  let files: Record<string, string> = {
    "src/db/schema/index.ts": "export {};\n",
    "package.json": '{\n  "dependencies": {}\n}\n',
    "perf-backend.json": serializeManifest({ version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: {} }),
  };
  for (const raw of TABLES) files = (await runGenerator("schema", raw, files)).files;
  return new Tree(createMemoryHost(files));
}

// Where the new model knows better: a serial column is NOT NULL with a default (drizzle-kit agrees, see the corpus test).
const legacyColumn = ({ name, sqlName, builder, builderOptions, notNull, hasDefault, primaryKey, array, unique, references }: SchemaColumn): LegacyColumn => ({
  name,
  sqlName,
  builder,
  builderOptions,
  notNull: builder.endsWith("serial") ? primaryKey : notNull,
  hasDefault: builder.endsWith("serial") ? false : hasDefault,
  primaryKey,
  array,
  unique,
  ...(references ? { references: { table: references.table, column: references.column } } : {}),
});
const legacyRelation = ({ name, kind, target, fields, references }: SchemaRelation): LegacyRelation => ({ name, kind, target, fields, references });
const legacyTable = (table: SchemaTable): LegacyTable => ({
  tableVar: table.tableVar,
  sqlName: table.sqlName,
  file: table.file,
  ...(table.selectType ? { selectType: table.selectType } : {}),
  ...(table.insertType ? { insertType: table.insertType } : {}),
  columns: table.columns.map(legacyColumn),
  relations: table.relations?.map(legacyRelation) ?? null,
});
const legacyView = (model: DrizzleSchemaModel): LegacyModel => new Map([...model.tables].map(([name, table]) => [name, legacyTable(table)]));

describe("the model supersedes generators/schema/read-schema.ts", () => {
  it("its types are a superset of the legacy ones", () => {
    expectTypeOf<SchemaColumn>().toExtend<LegacyColumn>();
    expectTypeOf<SchemaRelation>().toExtend<LegacyRelation>();
    expectTypeOf<SchemaTable>().toExtend<LegacyTable>();
    expectTypeOf<DrizzleSchemaModel["tables"]>().toExtend<LegacyModel>();
  });

  it("reads this tool's own generated schema exactly as the legacy reader does", async () => {
    const tree = await generatedSchema();
    const legacy = await readSchema(tree, DEFAULT_LAYOUT.db);
    const model = await readDrizzleSchema(tree, { extraEntries: [DEFAULT_LAYOUT.db.schemaDir, DEFAULT_LAYOUT.db.schemaBarrel] });
    expect(legacy.size).toBe(TABLES.length);
    expect(legacyView(model)).toEqual(legacy);
  });

  it.each([
    ["self-reference", "src/db"],
    ["multiple-fks", "db"],
    ["composite-join", "src/db"],
  ])("reads the %s fixture as the legacy reader does, and more", async (shape, schemaDir) => {
    const legacy = await readSchema(fixtureTree(shape), { schemaDir, schemaBarrel: `${schemaDir}/schema.ts` });
    const model = await readDrizzleSchema(fixtureTree(shape));
    expect(legacyView(model)).toEqual(legacy);
  });
});
