import { describe, expect, it } from "vitest";

import { UsageError } from "../../src/devkit/index.js";
import type { SchemaColumn, SchemaTable } from "../../src/devkit/index.js";
import { readDrizzleSchema } from "../../src/schema-model/index.js";
import { checkBounds } from "../../src/schema-model/table-extras.js";
import { fixtureOptions, fixtureTree } from "../../test/helpers/drizzle-fixtures.js";
import { compileWorkspace } from "../compile-workspace.js";
import { createBaseProject, runGenerator } from "../testing.js";
import { compositeUniqueGroups, sampleExpression, sampleSpecOf } from "./sample-values.js";
import type { SampleContext } from "./sample-values.js";

async function numericUnique(): Promise<Map<string, SchemaTable>> {
  return (await readDrizzleSchema(fixtureTree("numeric-unique"), fixtureOptions("numeric-unique"))).tables;
}

/** Every context's value of one column. */
function samples(table: SchemaTable | undefined, name: string): Record<SampleContext, string> {
  const column = table?.columns.find((candidate) => candidate.name === name);
  if (!column) throw new Error(`no column ${name}`);
  const spec = sampleSpecOf(column);
  return {
    seed: sampleExpression(spec, "seed"),
    child: sampleExpression(spec, "child"),
    create: sampleExpression(spec, "create"),
    update: sampleExpression(spec, "update"),
  };
}

describe("check bounds read from a check()'s SQL", () => {
  it("reads column <op> number, number <op> column, between and `and`; anything else bounds nothing", () => {
    expect(checkBounds("\u00010\u0001 > 0", ["price"])).toEqual([
      { column: "price", min: { value: 0, inclusive: false } },
    ]);
    expect(checkBounds("5 >= \u00010\u0001", ["rating"])).toEqual([
      { column: "rating", max: { value: 5, inclusive: true } },
    ]);
    expect(checkBounds("\u00010\u0001 between 1 and 5", ["rating"])).toEqual([
      { column: "rating", min: { value: 1, inclusive: true }, max: { value: 5, inclusive: true } },
    ]);
    expect(checkBounds("(\u00010\u0001 >= 0) and (\u00011\u0001 < 4.5)", ["a", "b"])).toEqual([
      { column: "a", min: { value: 0, inclusive: true } },
      { column: "b", max: { value: 4.5, inclusive: false } },
    ]);
    expect(checkBounds("\u00010\u0001 > 0 or \u00011\u0001 > 0", ["a", "b"])).toEqual([]);
    expect(checkBounds("char_length(\u00010\u0001) > 3", ["name"])).toEqual([]);
  });
});

describe("sample values from the column's kind and constraints (numeric-unique fixture)", () => {
  it("reads sizes, check bounds and foreignKey() references as column facts", async () => {
    const tables = await numericUnique();
    const colleges = tables.get("colleges");
    const column = (table: SchemaTable | undefined, name: string) =>
      table?.columns.find((candidate) => candidate.name === name);
    expect(column(colleges, "tuition")).toMatchObject({ precision: 10, scale: 2, min: { value: 0, inclusive: false } });
    expect(column(colleges, "rating")).toMatchObject({
      precision: 2,
      scale: 1,
      min: { value: 1, inclusive: true },
      max: { value: 5, inclusive: true },
    });
    expect(column(colleges, "code")).toMatchObject({ length: 8, unique: true });
    expect(column(tables.get("invoices"), "membershipId")?.references).toEqual({
      table: "memberships",
      column: "id",
      onDelete: "cascade",
      onUpdate: undefined,
    });
    expect(compositeUniqueGroups(tables.get("memberships") as SchemaTable)).toEqual([["collegeId", "userId"]]);
  });

  it("numbers fit precision, scale and checks, in the mode's type; unique ones never repeat a seeded value", async () => {
    const tables = await numericUnique();
    const colleges = tables.get("colleges");
    // decimal(10, 2) > 0: a numeric string PostgreSQL accepts, never {} (invalid input syntax for type numeric).
    expect(samples(colleges, "tuition")).toMatchObject({
      seed: "(0.01 + index).toFixed(2)",
      create: '"0.01"',
      update: '"0.02"',
    });
    // numeric(2, 1) between 1 and 5: wraps inside the range.
    expect(samples(colleges, "rating")).toMatchObject({
      seed: "(1 + (index % 41) * 0.1).toFixed(1)",
      create: '"1.0"',
      update: '"1.1"',
    });
    expect(samples(tables.get("memberships"), "gpa")).toMatchObject({
      seed: "Number(((index % 401) * 0.01).toFixed(2))",
      create: "0",
    });
    expect(samples(tables.get("memberships"), "credits")).toMatchObject({
      seed: "1 + index",
      create: "1",
      update: "2",
    });
    expect(samples(colleges, "enrollment")).toMatchObject({ seed: "index", create: "0" });
    expect(samples(colleges, "endowmentCents")).toMatchObject({ seed: "BigInt(index)", create: "BigInt(0)" });
    // Unique: a created row draws past the seeded ones.
    expect(samples(colleges, "ledgerNumber")).toMatchObject({
      seed: "index",
      create: "10_000 + Math.floor(Math.random() * 1_000_000_000)",
    });
    // smallint unique with `>= 1`: inside int2, past the seeded ones; children restart index per parent, so they draw too.
    expect(samples(tables.get("users"), "seat")).toMatchObject({
      seed: "1 + index",
      create: "10_001 + Math.floor(Math.random() * 22_767)",
    });
    // Children count by their parent's row (202 random draws over 22,767 values repeat one more often than not).
    expect(samples(tables.get("users"), "seat").child).toBe("1 + parentIndex * CHILDREN_PER_PARENT + index");
  });

  it("a unique number in a narrow range: created values never reach the seeded ones; too narrow is refused (exit 2)", async () => {
    const tables = await numericUnique();
    const seat = tables.get("users")?.columns.find((candidate) => candidate.name === "seat") as SchemaColumn;
    const ranged = (low: number, high: number): SchemaColumn => ({
      ...seat,
      min: { value: low, inclusive: true },
      max: { value: high, inclusive: true },
    });
    // 5,000 values: seeded rows take the first ones, created ones the upper half (past any 1,000 seeded rows).
    expect(sampleExpression(sampleSpecOf(ranged(1, 5_000)), "seed")).toBe("1 + index");
    expect(sampleExpression(sampleSpecOf(ranged(1, 5_000)), "create")).toBe(
      "2_501 + Math.floor(Math.random() * 2_500)",
    );
    // 2,000 values, the narrowest served: created values start past the 1,000 seeded rows at most.
    expect(sampleExpression(sampleSpecOf(ranged(1, 2_000)), "create")).toBe(
      "1_001 + Math.floor(Math.random() * 1_000)",
    );
    // 101 values (the test seeds 101 rows), 150 (created values would meet seeded ones), 1,999: refused, naming the column.
    for (const [low, high] of [
      [1, 101],
      [0, 149],
      [1, 1_999],
    ] as const) {
      const spec = sampleSpecOf(ranged(low, high));
      expect(() => sampleExpression(spec, "seed")).toThrow(UsageError);
      expect(() => sampleExpression(spec, "create")).toThrow("seat is unique with");
    }
    // Not unique: a narrow range wraps as before.
    expect(sampleExpression(sampleSpecOf({ ...ranged(1, 101), unique: false }), "seed")).toBe("1 + (index % 101)");
  });

  it("texts fit their length (unique ones keep the run and the row), enums, arrays, json, dates and times in their modes", async () => {
    const tables = await numericUnique();
    const colleges = tables.get("colleges");
    expect(samples(colleges, "code")).toMatchObject({
      seed: "`code-${RUN_ID}-${index}`.slice(-8)",
      create: "`code-${crypto.randomUUID()}`.slice(-8)",
    });
    expect(samples(colleges, "countryCode")).toMatchObject({
      seed: "`countryCode-${index}`.slice(0, 2)",
      create: '"co"',
    });
    expect(samples(colleges, "name")).toMatchObject({ seed: "`name-${index}`", create: '"name-created"' });
    expect(samples(tables.get("users"), "email")).toMatchObject({ seed: "`email-${RUN_ID}-${index}`" });
    expect(samples(tables.get("memberships"), "role")).toMatchObject({
      seed: '"student" as const',
      update: '"lecturer" as const',
    });
    expect(samples(colleges, "campuses").seed).toBe("[]");
    expect(samples(colleges, "settings").seed).toBe("{}");
    expect(samples(colleges, "accreditedAt").seed).toBe("new Date().toISOString()");
    expect(samples(colleges, "foundedOn").seed).toBe('"2024-01-01"');
    expect(samples(tables.get("users"), "birthDate").seed).toBe('new Date("2024-01-01")');
    expect(samples(colleges, "opensAt").seed).toBe('"12:00:00"');
    expect(samples(colleges, "id").seed).toBe("crypto.randomUUID()");
    // text({ enum }) takes one of its values, as a pgEnum does.
    const status = {
      ...(colleges?.columns.find((candidate) => candidate.name === "name") as SchemaColumn),
      enumValues: ["draft", "live"],
    };
    expect(sampleExpression(sampleSpecOf(status), "update")).toBe('"live" as const');
  });
});

describe("a unique number of a seeded child table", () => {
  it("counts by the parent's row in the generated test, which compiles", async () => {
    let files: Record<string, string> = await createBaseProject();
    for (const [generator, input] of [
      ["schema", { name: "owners", columns: "name:text:notNull", migrate: false }],
      [
        "schema",
        {
          name: "badges",
          columns: "ownerId:integer:notNull:references=owners.id,serial:integer:notNull:unique",
          migrate: false,
        },
      ],
      ["repository", { name: "owners", with: "badges" }],
    ] as const)
      files = (await runGenerator(generator, input, files)).files;
    const test = Object.entries(files).find(([file]) => file.endsWith("owners-repository.test.ts"))?.[1] ?? "";
    expect(test).toContain(
      "ownerRows.flatMap((parent, parentIndex) => Array.from({ length: CHILDREN_PER_PARENT }, (_, index) => ({ ownerId: parent.id, serial: parentIndex * CHILDREN_PER_PARENT + index })))",
    );
    expect(await compileWorkspace(files)).toEqual([]);
  }, 300_000);
});
