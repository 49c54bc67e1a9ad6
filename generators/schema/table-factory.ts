import path from "node:path";

import { createScratchProject } from "../../src/devkit/index.js";
import { GenerationError } from "../../src/devkit/index.js";
import { moduleSpecifier } from "../../src/devkit/index.js";
import type { ProjectLayout } from "../../src/devkit/index.js";
import type { Tree } from "../../src/devkit/index.js";

const MIRROR_FILE = "table-factory.ts";

export interface TableFunction {
  /** `pgTable`, or the repo's `pgTableCreator` factory. */
  name: string;
  /** Where a factory is imported from (null for pgTable). */
  file: string | null;
}

/**
 * The function new tables are declared with. A repo's `pgTableCreator` factory that lives in the schema
 * entry itself is mirrored into its own module: importing it from the entry that re-exports the new table
 * would be an ESM cycle that reaches the factory before it is initialised.
 */
export async function tableFunction(tree: Tree, db: ProjectLayout["db"]): Promise<TableFunction> {
  const factory = db.tableFactory;
  if (!factory) return { name: "pgTable", file: null };
  const inCycle = factory.file === db.schemaBarrel || path.posix.dirname(factory.file) === db.schemaDir;
  if (!inCycle) return { name: factory.exportName, file: factory.file };

  const text = tree.read(factory.file);
  const { project } = await createScratchProject();
  const initializer = text
    ? project
        .createSourceFile(`/${factory.file}`, text)
        .getVariableDeclaration(factory.exportName)
        ?.getInitializer()
        ?.getText()
    : undefined;
  if (!initializer?.startsWith("pgTableCreator(")) {
    throw new GenerationError(`${factory.file} no longer declares ${factory.exportName} = pgTableCreator(...).`, [
      "Update layout.db.tableFactory in perf-backend.json, or remove it to use pgTable.",
    ]);
  }
  const mirror = path.posix.join(db.schemaDir, MIRROR_FILE);
  tree.write(
    mirror,
    [
      'import { pgTableCreator } from "drizzle-orm/pg-core";',
      "",
      `// Mirrors \`${factory.exportName}\` in ${factory.file} (same table names). Its own module, so generated tables never`,
      "// import the schema entry that re-exports them. Keep the two in sync.",
      `export const ${factory.exportName} = ${initializer};`,
      "",
    ].join("\n"),
  );
  return { name: factory.exportName, file: mirror };
}

export function tableFunctionImport(
  layout: ProjectLayout,
  fromFile: string,
  fn: TableFunction,
): { names: string; path: string } | null {
  return fn.file ? { names: fn.name, path: moduleSpecifier(layout, fromFile, fn.file) } : null;
}
