import type { ProjectLayout } from "../core/manifest.js";
import type { Tree } from "../core/tree.js";
import type { DrizzleSchemaModel } from "../schema-model/index.js";

/**
 * `readProjectSchema` for the modules every run loads (definitions' dialogues): the schema model, its readers and
 * its cache load with the first call, so a run that reads no schema (create, a run given its answers) loads none.
 */
export async function readProjectSchemaLazily(
  tree: Tree,
  layout: Pick<ProjectLayout, "db">,
): Promise<DrizzleSchemaModel> {
  return (await import("./project-schema.js")).readProjectSchema(tree, layout);
}
