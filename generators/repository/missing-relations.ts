import {
  addDefineRelationsEntries,
  addTableRelations,
  defineRelationsFile,
  drizzleLineOf,
  manyEntry,
  oneEntry,
  proposeRelations,
} from "../../src/devkit/index.js";
import type {
  DefineRelationsEntry,
  DrizzleSchemaModel,
  ProjectLayout,
  ProposedRelation,
  SchemaTable,
  Tree,
} from "../../src/devkit/index.js";

function expressionOf(proposal: ProposedRelation, model: DrizzleSchemaModel): string {
  const { relation } = proposal;
  const target = relation.target;
  const name = relation.relationName ? `relationName: ${JSON.stringify(relation.relationName)}` : "";
  if (relation.kind === "many") return name ? `many(${target}, { ${name} })` : `many(${target})`;
  const fields = relation.fields.map((field) => `${proposal.table}.${field}`).join(", ");
  const references = relation.references.map((column) => `${target}.${column}`).join(", ");
  const targetTable = model.tables.get(target);
  return `one(${targetTable?.tableVar ?? target}, { fields: [${fields}], references: [${references}]${name ? `, ${name}` : ""} })`;
}

/** The proposals `--with` walks through (and the other side of each one's foreign key, which drizzle needs too). */
function neededProposals(model: DrizzleSchemaModel, entity: SchemaTable, paths: readonly string[]): ProposedRelation[] {
  const proposals = proposeRelations(model);
  const needed = new Set<ProposedRelation>();
  for (const relationPath of paths) {
    let table: SchemaTable | undefined = entity;
    for (const segment of relationPath.split(".")) {
      if (!table) break;
      const declared = table.relations?.find((relation) => relation.name === segment);
      if (declared) {
        table = model.tables.get(declared.target);
        continue;
      }
      const from: string = table.tableVar;
      const proposal = proposals.find((candidate) => candidate.table === from && candidate.relation.name === segment);
      if (!proposal) break;
      needed.add(proposal);
      for (const pair of proposals) if (pair.foreignKey === proposal.foreignKey && pair !== proposal) needed.add(pair);
      table = model.tables.get(proposal.relation.target);
    }
  }
  return [...needed];
}

/**
 * Drizzle's `db.query ... with` needs `relations()`; many repos declare foreign keys only. Adds the `one()`/`many()`
 * pairs the requested `--with` paths need, through the AST: into the table's existing `relations()` wherever the
 * schema declares it, or a new `<table>Relations` beside the table. Returns a note per file changed.
 */
export async function addMissingRelations(
  tree: Tree,
  model: DrizzleSchemaModel,
  entity: SchemaTable,
  paths: readonly string[],
  layout: ProjectLayout,
): Promise<string[]> {
  const notes: string[] = [];
  const needed = neededProposals(model, entity, paths);
  if (needed.length > 0 && drizzleLineOf(tree) === "1") {
    // drizzle-orm 1.0: entries of the repo's own defineRelations, never a v0 relations() beside it.
    const file = defineRelationsFile(model);
    const entries = needed.map(({ table, relation }): DefineRelationsEntry => {
      const [field = "", reference = ""] = [relation.fields[0], relation.references[0]];
      return relation.kind === "one"
        ? oneEntry(table, relation.name, field, relation.target, reference, relation.relationName)
        : manyEntry(table, relation.name, relation.target, relation.relationName);
    });
    await addDefineRelationsEntries(tree, file, entries);
    notes.push(
      `${file}: added ${needed.map(({ table, relation }) => `${table}.${relation.name}: r.${relation.kind}.${relation.target}`).join(", ")} to defineRelations (--with reads them).`,
    );
    return notes;
  }
  const byTable = new Map<string, ProposedRelation[]>();
  for (const proposal of needed) byTable.set(proposal.table, [...(byTable.get(proposal.table) ?? []), proposal]);
  for (const [tableVar, proposals] of byTable) {
    const table = model.tables.get(tableVar);
    if (!table) continue;
    const relations = proposals.flatMap((proposal) => {
      const target = model.tables.get(proposal.relation.target);
      return target
        ? [
            {
              name: proposal.relation.name,
              helper: proposal.relation.kind,
              expression: expressionOf(proposal, model),
              target,
            },
          ]
        : [];
    });
    const file = await addTableRelations(tree, layout, table, relations);
    notes.push(
      `${file}: added ${proposals.map((proposal) => `${proposal.relation.name}: ${proposal.relation.kind}(${proposal.relation.target})`).join(", ")} to ${tableVar}'s relations() (db.query needs them for --with).`,
    );
  }
  return notes;
}
