import { cachedTreeRead } from "../core/read-cache.js";
import type { TreeReadCodec } from "../core/read-cache.js";
import type { Tree } from "../core/tree.js";
import type { DrizzleSchemaModel, ReadSchemaOptions, SchemaTable } from "../schema-model/index.js";
import { readDrizzleSchema } from "../schema-model/index.js";

type StoredModel = Omit<DrizzleSchemaModel, "tables"> & { tables: [string, SchemaTable][] };

const MODEL_CODEC: TreeReadCodec<DrizzleSchemaModel> = {
  // Serialized at once: a generator may change the model it was given.
  serialize: (model): StoredModel => JSON.parse(JSON.stringify({ ...model, tables: [...model.tables] })) as StoredModel,
  deserialize: (stored) => {
    const model = stored as StoredModel;
    return { ...model, tables: new Map(model.tables) };
  },
};

/**
 * The Drizzle schema model, reused across runs while every file and folder listing it read is unchanged (and the
 * tool is the same build): a run on an unchanged schema loads neither ts-morph nor TypeScript to read it.
 */
export function readCachedDrizzleSchema(tree: Tree, options: ReadSchemaOptions = {}): Promise<DrizzleSchemaModel> {
  return cachedTreeRead(
    tree,
    `drizzle-schema-model\0${JSON.stringify(options)}`,
    (recording) => readDrizzleSchema(recording, options),
    MODEL_CODEC,
  );
}
