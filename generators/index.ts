import type { GeneratorDefinition } from "../src/core/generator-definition.js";
import { cacheDefinition } from "./cache/definition.js";
import { repositoryDefinition } from "./repository/definition.js";
import { schemaDefinition } from "./schema/definition.js";
import { workerDefinition } from "./worker/definition.js";

/** Every feature generator, in the order `--help` and plop list them. */
export const GENERATORS: readonly GeneratorDefinition[] = [schemaDefinition, repositoryDefinition, cacheDefinition, workerDefinition];

export function findGenerator(name: string): GeneratorDefinition | undefined {
  return GENERATORS.find((definition) => definition.name === name);
}
