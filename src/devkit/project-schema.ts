import type { ProjectLayout } from "../core/manifest.js";
import { UsageError } from "../core/output/errors.js";
import type { Tree } from "../core/tree.js";
import type { DrizzleSchemaModel } from "../schema-model/index.js";
import { drizzleLineOf, drizzleOrmVersion } from "./drizzle-line.js";
import { readCachedDrizzleSchema } from "./schema-model-cache.js";

/**
 * The project's Drizzle schema as generators see it: whatever drizzle.config names and the client's
 * `{ schema }` imports, plus the folder and barrel this tool records; the client searched only in the
 * recorded client module (never the whole repo). Cached across runs by what it read (schema-model-cache.ts).
 */
export async function readProjectSchema(tree: Tree, layout: Pick<ProjectLayout, "db">): Promise<DrizzleSchemaModel> {
  // `init --schema` (recorded): the repo's tables where neither the config nor the client says.
  const given = layout.db.schema === undefined ? [] : [layout.db.schema];
  const model = await readCachedDrizzleSchema(tree, {
    extraEntries: [layout.db.schemaDir, layout.db.schemaBarrel, ...given],
    clientFiles: [layout.db.client],
  });
  assertServedMix(tree, model);
  return model;
}

/**
 * v0 relations() on drizzle-orm 1.0 (its relational queries v2 read only defineRelations), or Drizzle 1.0's
 * defineRelations in a project whose drizzle-orm is on the 0.x line, is a mix no generated code serves
 * (v0 relations() would not compile beside it, 1.0 forms would not compile against 0.x): exit 2, naming both.
 */
function assertServedMix(tree: Tree, model: DrizzleSchemaModel): void {
  const drizzleLine = drizzleLineOf(tree);
  if (drizzleLine === "1" && model.legacyRelations) {
    const { file, line: at } = model.legacyRelations;
    throw new UsageError(
      `${file}:${String(at)} uses v0 relations(), but this project's drizzle-orm is ${drizzleOrmVersion(tree) ?? ""} (the 1.0 line, which reads relations from defineRelations).`,
      [
        "Generated code follows the project's drizzle-orm: move these relations into defineRelations(schema, (r) => ({ ... })) (drizzle-orm 1.0's relations v2), then run again.",
      ],
    );
  }
  if (!model.defineRelations || drizzleLine === "1") return;
  const { file, line } = model.defineRelations;
  const version = drizzleOrmVersion(tree);
  throw new UsageError(
    `${file}:${String(line)} uses defineRelations (Drizzle 1.0, relational queries v2), but this project's drizzle-orm is ${version ?? "not declared"} (the 0.x line).`,
    [
      "Generated code follows the project's drizzle-orm: upgrade it (and drizzle-kit) to the 1.0 line, or keep relations() on 0.x, then run again.",
    ],
  );
}

/** Tables by variable name (`model.tables`): what most generator code walks. */
export type SchemaModel = DrizzleSchemaModel["tables"];
