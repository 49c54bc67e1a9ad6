import { findTable, UsageError } from "../../src/devkit/index.js";
import type { DrizzleSchemaModel, SchemaModel, SchemaRelation, SchemaTable } from "../../src/devkit/index.js";

/** Paths deeper than this get slow to read and are rarely what a list view needs. */
export const MAX_WITH_DEPTH = 3;
/** PostgreSQL keeps identifiers to NAMEDATALEN - 1 bytes and silently cuts longer ones. */
export const POSTGRES_IDENTIFIER_MAX_BYTES = 63;

/**
 * The name of a relation path's level in SQL: the root table's export and every relation name, joined by `_`
 * (`users_posts_comments`), as the eager read (eager-sql.ts) and Drizzle's relational queries both name it. Past 63
 * bytes PostgreSQL cuts it, and a path's name and its parent's (or a sibling's) could become one: a path is kept
 * within the limit rather than renamed, so the SQL stays readable against the relation path it serves.
 */
export function relationAlias(rootVar: string, segments: readonly string[]): string {
  return [rootVar, ...segments].join("_");
}

export interface WithNode {
  relation: SchemaRelation;
  table: SchemaTable;
  children: WithNode[];
}

/** A table by export or SQL name, any case, plural or singular (`colleges`, `CollegeTable`); a miss lists what exists. */
export function requireTable(
  model: Pick<DrizzleSchemaModel, "tables" | "schemaPackages">,
  table: string,
  schemaDir: string,
): SchemaTable {
  const lookup = findTable(model, table);
  if (lookup.found) return lookup.table;
  if (lookup.reason === "ambiguous") {
    throw new UsageError(`"${table}" matches several tables: ${lookup.candidates.join(", ")}.`, [
      "Use the table's export name or its exact SQL name.",
    ]);
  }
  const names = lookup.available;
  const hints = [
    names.length > 0
      ? `Tables: ${names.join(", ")}. Export or SQL names both work.`
      : `No tables were found in ${schemaDir} nor where your drizzle config and client point.`,
  ];
  // Tables the tool cannot see (a schema it did not find) must not be created twice: point init at them first.
  hints.push(
    `If "${table}" is declared in a file the tool did not find, tell init where: create-perf-backend init --schema <file|folder|glob> (and --db-client <module>#<export> for your drizzle instance). Only for a new table: generate schema ${table} --columns ...`,
  );
  // A workspace db package's tables reach the client by package name; generators read only this package's files.
  if (model.schemaPackages.length > 0) {
    const packages = model.schemaPackages.map((name) => `"${name}"`).join(", ");
    hints.push(
      `Tables that come from ${packages} are not read here: generate their repository in the package that declares them, or declare "${table}" in this package's schema.`,
    );
  }
  throw new UsageError(`There is no table "${table}" in ${schemaDir} (tables: ${names.join(", ") || "none"}).`, hints);
}

/**
 * Dotted relation paths from a table, skipping a step straight back to where it came from (posts.author.posts) and
 * paths whose subquery alias PostgreSQL would cut (`rootVar` is the table the paths start from).
 */
export function withChoices(
  schema: SchemaModel,
  root: string,
  depth = MAX_WITH_DEPTH,
  prefix = "",
  from?: string,
  rootVar = root,
): string[] {
  const choices: string[] = [];
  for (const relation of schema.get(root)?.relations ?? []) {
    if (relation.target === from || unservedRelation(schema, root, relation)) continue;
    const relationPath = prefix ? `${prefix}.${relation.name}` : relation.name;
    if (Buffer.byteLength(relationAlias(rootVar, relationPath.split(".")), "utf8") > POSTGRES_IDENTIFIER_MAX_BYTES)
      continue;
    choices.push(relationPath);
    if (depth > 1) choices.push(...withChoices(schema, relation.target, depth - 1, relationPath, root, rootVar));
  }
  return choices;
}

/**
 * Why the eager read cannot load a Drizzle 1.0 relation, if it cannot: its one statement joins on a foreign key pair,
 * so a many-to-many `through()` a junction table and a `where`-filtered relation would read other rows than
 * `db.query` does. Refused by name rather than served wrong.
 */
export function unservedRelation(schema: SchemaModel, owner: string, relation: SchemaRelation): string | undefined {
  if (relation.through)
    return `is a many-to-many through ${relation.through.table} (.through()), which the eager read does not join yet`;
  // `r.many.members()` with no keys: when the other side is the `.through()`, so is this one.
  const reverse =
    relation.fields.length === 0
      ? schema
          .get(relation.target)
          ?.relations?.find(
            (candidate) =>
              candidate.target === owner && candidate.through && candidate.relationName === relation.relationName,
          )
      : undefined;
  if (reverse?.through)
    return `is the other side of ${relation.target}.${reverse.name}, a many-to-many through ${reverse.through.table} (.through()), which the eager read does not join yet`;
  if (relation.where) return `filters its rows (where: ${relation.where}), which the eager read does not apply yet`;
  return undefined;
}

/** `posts.comments` implies `posts`; every segment must be a relation declared in the schema. */
export function resolveWithTree(schema: SchemaModel, root: SchemaTable, paths: readonly string[]): WithNode[] {
  const nodes: WithNode[] = [];
  for (const relationPath of paths) {
    let level = nodes;
    let table = root;
    const walked: string[] = [];
    for (const segment of relationPath.split(".")) {
      const relation = table.relations?.find((candidate) => candidate.name === segment);
      const at = walked.length > 0 ? `${root.tableVar}.${walked.join(".")} (table ${table.tableVar})` : root.tableVar;
      if (!relation) {
        const existing = (table.relations ?? []).map((candidate) => candidate.name);
        throw new UsageError(
          `--with ${relationPath}: ${at} has no relation "${segment}" (relations: ${existing.join(", ") || "none"}).`,
          [
            existing.length > 0
              ? `Relations of ${table.tableVar}: ${existing.join(", ")}.`
              : `${table.tableVar} declares no relations in its relations().`,
          ],
        );
      }
      const unserved = unservedRelation(schema, table.tableVar, relation);
      if (unserved)
        throw new UsageError(`--with ${relationPath}: relation "${segment}" of ${at} ${unserved}.`, [
          `Leave ${segment} out of --with and read it with db.query (its with applies ${relation.where ? "the where" : "the junction table"}), or generate a repository for ${relation.where ? relation.target : "the junction table"} and read through its own relations.`,
        ]);
      const target = schema.get(relation.target);
      if (!target)
        throw new UsageError(
          `--with ${relationPath}: relation "${segment}" points at ${relation.target}, which is not a table in the schema.`,
        );
      let node = level.find((candidate) => candidate.relation.name === segment);
      if (!node) {
        node = { relation, table: target, children: [] };
        level.push(node);
      }
      walked.push(segment);
      const alias = relationAlias(root.tableVar, walked);
      const bytes = Buffer.byteLength(alias, "utf8");
      if (bytes > POSTGRES_IDENTIFIER_MAX_BYTES) {
        throw new UsageError(
          `--with ${relationPath}: at ${walked.join(".")} SQL alias "${alias}" is ${String(bytes)} bytes; PostgreSQL cuts identifiers at ${String(POSTGRES_IDENTIFIER_MAX_BYTES)} bytes, so aliases of nested relations would collide.`,
          [
            walked.length > 1
              ? `Stop the path at ${walked.slice(0, -1).join(".")} (load deeper rows with a second query), or use shorter relation names in relations().`
              : `Use a shorter relation name than "${segment}" in relations().`,
          ],
        );
      }
      level = node.children;
      table = target;
    }
  }
  return nodes;
}
