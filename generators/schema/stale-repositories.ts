import path from "node:path";

import { kebabCase, pascalCase } from "change-case";

import { entityName, isSoftDeletable, pluralOf, UsageError } from "../../src/devkit/index.js";
import type { ProjectLayout, SchemaTable, Tree } from "../../src/devkit/index.js";
import type { ColumnSpec } from "./column-spec.js";

// Rules the database applies itself when the parent row goes: a repository's plain delete stays right.
const HANDLED_BY_DATABASE = new Set(["cascade", "set null", "set default"]);

export interface StaleRepository {
  file: string;
  parent: SchemaTable;
  columns: string[];
}

/** The repository file `generate repository <table>` writes (the repository generator's naming). */
export function repositoryFileOf(layout: ProjectLayout, table: SchemaTable): string {
  return path.posix.join(layout.repositoriesDir, `${kebabCase(pascalCase(pluralOf(entityName(table))))}-repository.ts`);
}

/**
 * Existing repositories whose delete the new foreign keys would break: a key without an onDelete rule the database
 * applies makes PostgreSQL refuse the parent's delete (23503), and a repository generated before any such key has no
 * InUse error to turn that into (its delete would throw a raw foreign-key violation). Soft-delete parents never delete.
 */
export function staleRepositories(
  tree: Tree,
  layout: ProjectLayout,
  table: string,
  columns: readonly ColumnSpec[],
  parents: ReadonlyMap<string, SchemaTable>,
  existing?: SchemaTable,
): StaleRepository[] {
  const stale = new Map<string, StaleRepository>();
  for (const column of columns) {
    // A self-reference's parent is the table itself (resolveParents leaves it out), when it exists already.
    const parent = column.references
      ? column.references.table === table
        ? existing
        : parents.get(column.references.table)
      : undefined;
    // A self-reference counts too: a new `managerId -> users.id` makes deleteUser fail for any user others point at.
    if (!parent || isSoftDeletable(parent) || HANDLED_BY_DATABASE.has(column.references?.onDelete ?? "")) continue;
    // The same table generated again: a key it already had is one the repository was generated with (or chose --cascade for).
    if (
      existing?.columns.some(
        (candidate) => candidate.name === column.name && candidate.references?.table === parent.tableVar,
      )
    )
      continue;
    const file = repositoryFileOf(layout, parent);
    const code = tree.read(file);
    if (code === null || code.includes(`${pascalCase(entityName(parent))}InUseError`)) continue;
    const entry = stale.get(file) ?? { file, parent, columns: [] };
    entry.columns.push(`${table}.${column.name}`);
    stale.set(file, entry);
  }
  return [...stale.values()];
}

/** Stops the run (exit 2) before anything is written when a repository would go stale, naming it and the ways out. */
export function assertRepositoriesCurrent(stale: readonly StaleRepository[], table: string): void {
  const [first] = stale;
  if (!first) return;
  const named = stale
    .map((entry) => `${entry.file} (${entry.columns.join(", ")} -> ${entry.parent.tableVar})`)
    .join("; ");
  const entity = pascalCase(entityName(first.parent));
  throw new UsageError(
    `The new foreign key${stale.length > 1 || first.columns.length > 1 ? "s" : ""} would make an existing repository's delete fail: ${named}. Deleting a ${entity.toLowerCase()} that ${table} rows reference would throw PostgreSQL's foreign-key violation (23503), which that repository does not expect.`,
    [
      `Let the database handle those rows: add onDelete=cascade (or onDelete=set null on a nullable column) to the key, and run again.`,
      `Or add the table with --allow-stale-repositories, then regenerate ${stale.length > 1 ? "each repository" : "the repository"} so its delete refuses with ${entity}InUseError or removes the rows (--cascade ${table}): ${stale.map((entry) => `npx create-perf-backend generate repository ${entry.parent.tableVar} [--with <its paths>] [--cascade ${table}]`).join("; ")}`,
    ],
  );
}
