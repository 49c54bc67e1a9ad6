import { editSourceFile } from "../../core/ast/edit-source.js";
import type { ProjectLayout } from "../../core/manifest.js";
import { moduleSpecifier } from "../../core/module-specifier.js";
import type { Tree } from "../../core/tree.js";
import type { SchemaTable } from "../../schema-model/index.js";
import { addRelation, ensureNamedImport, findRelationsCall } from "./relations-edit.js";

export interface TableRelation {
  name: string;
  helper: "one" | "many";
  /** `many(comments)`, `one(users, { fields: [...], references: [...] })`. */
  expression: string;
  /** The table the relation points at (imported where needed). */
  target: Pick<SchemaTable, "tableVar" | "file">;
}

/**
 * Adds relations to a table's `relations()` wherever the schema declares it (beside the table or in one
 * relations file); a table without one gets `export const <table>Relations = relations(...)` beside its
 * declaration. Returns the file edited.
 */
export async function addTableRelations(
  tree: Tree,
  layout: Pick<ProjectLayout, "importStyle" | "aliases">,
  table: Pick<SchemaTable, "tableVar" | "file" | "relations">,
  relations: readonly TableRelation[],
): Promise<string> {
  const file = table.relations?.[0]?.file ?? table.file;
  await editSourceFile(tree, file, (sourceFile, tsMorph) => {
    if (!findRelationsCall(sourceFile, table.tableVar, tsMorph)) {
      ensureNamedImport(sourceFile, "relations", "drizzle-orm");
      if (file !== table.file) ensureNamedImport(sourceFile, table.tableVar, moduleSpecifier(layout, file, table.file));
      sourceFile.addStatements(`\nexport const ${table.tableVar}Relations = relations(${table.tableVar}, () => ({}));`);
    }
    for (const relation of relations) {
      addRelation(sourceFile, tsMorph, {
        file,
        tableVar: table.tableVar,
        relationName: relation.name,
        helper: relation.helper,
        expression: relation.expression,
        importName: relation.target.tableVar,
        importPath: relation.target.file === file ? null : moduleSpecifier(layout, file, relation.target.file),
      });
    }
  });
  return file;
}
