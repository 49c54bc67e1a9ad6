import type { ProjectLayout } from "../core/manifest.js";
import type { Tree } from "../core/tree.js";
import type { DrizzleSchemaModel } from "./drizzle-schema/index.js";
import { readCachedDrizzleSchema } from "./schema-model-cache.js";

/**
 * The project's Drizzle schema as generators see it: whatever drizzle.config names and the client's
 * `{ schema }` imports, plus the folder and barrel this tool records; the client searched only in the
 * recorded client module (never the whole repo). Cached across runs by what it read (schema-model-cache.ts).
 */
export function readProjectSchema(tree: Tree, layout: Pick<ProjectLayout, "db">): Promise<DrizzleSchemaModel> {
  // `init --schema` (recorded): the repo's tables where neither the config nor the client says.
  const given = layout.db.schema === undefined ? [] : [layout.db.schema];
  return readCachedDrizzleSchema(tree, { extraEntries: [layout.db.schemaDir, layout.db.schemaBarrel, ...given], clientFiles: [layout.db.client] });
}

/** Tables by variable name (`model.tables`): what most generator code walks. */
export type SchemaModel = DrizzleSchemaModel["tables"];
