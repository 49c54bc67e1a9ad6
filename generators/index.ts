import type { GeneratorDefinition } from "../src/core/generator-definition.js";

/** Every feature generator, in the order `--help` and plop list them. */
export const GENERATORS: readonly GeneratorDefinition[] = [];

export function findGenerator(name: string): GeneratorDefinition | undefined {
  return GENERATORS.find((definition) => definition.name === name);
}
