import { describe, expect, it } from "vitest";

import { syntheticDrizzleSchema } from "../../test/helpers/synthetic-drizzle-schema.js";
import { createMemoryHost } from "../core/host.js";
import { Tree } from "../core/tree.js";
import { inboundReferences } from "./foreign-keys.js";
import { readDrizzleSchema } from "./read-model.js";

const TABLES = 200;
const FILES_PER_TABLE_GROUP = 10;
// Generous: a slow shared CI core must not flake it; measured figures are in the bench script.
const BUDGET_MS = 15_000;

describe("drizzle schema model at scale", () => {
  it(`reads a ${TABLES}-table schema spread over files, completely and within ${BUDGET_MS} ms`, async () => {
    const tree = new Tree(createMemoryHost(syntheticDrizzleSchema(TABLES)));
    const started = performance.now();
    const model = await readDrizzleSchema(tree);
    const elapsed = performance.now() - started;
    expect(model.tables.size).toBe(TABLES);
    expect(model.schemaFiles).toHaveLength(TABLES / FILES_PER_TABLE_GROUP + 2);
    expect(model.diagnostics).toEqual([]);
    const last = model.tables.get(`entity${TABLES - 1}`);
    expect(last?.columns.map((column) => column.sqlName)).toEqual([
      "id",
      "name",
      "state",
      "payload",
      "parent_id",
      "created_at",
      "updated_at",
    ]);
    // Relations beside every other table: the last (odd) one has none, the one before has its one().
    expect(last?.relations).toBeNull();
    expect(model.tables.get(`entity${TABLES - 2}`)?.relations).toMatchObject([
      { name: "parent", kind: "one", target: `entity${TABLES - 3}` },
    ]);
    expect(inboundReferences(model, "entity0")).toEqual([
      expect.objectContaining({ table: "entity1", columns: ["parentId"], onDelete: "cascade" }),
    ]);
    expect([...model.tables.values()].filter((table) => table.relations !== null)).toHaveLength(TABLES / 2 - 1);
    expect(elapsed).toBeLessThan(BUDGET_MS);
  });
});
