import type { GeneratorDefinition } from "../src/devkit/index.js";
import { appDefinition } from "./app/definition.js";
import { cacheDefinition } from "./cache/definition.js";
import { initDefinition } from "./init/definition.js";
import { repositoryDefinition } from "./repository/definition.js";
import { schemaDefinition } from "./schema/definition.js";
import { workerDefinition } from "./worker/definition.js";

/** The generators that extend a project (`generate <name>`, plop), in the order `--help` and plop list them. */
export const FEATURE_GENERATORS: readonly GeneratorDefinition[] = [
  schemaDefinition,
  repositoryDefinition,
  cacheDefinition,
  workerDefinition,
];

/** Every generator: `create` is app, `init` is init, the rest are features. */
export const GENERATORS: readonly GeneratorDefinition[] = [appDefinition, initDefinition, ...FEATURE_GENERATORS];

export function findGenerator(name: string): GeneratorDefinition | undefined {
  return GENERATORS.find((definition) => definition.name === name);
}

export { appDefinition, initDefinition };
