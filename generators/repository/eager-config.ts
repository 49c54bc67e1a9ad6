import { constantCase } from "change-case";

import { isSoftDeletable, SOFT_DELETE_COLUMN } from "../../src/devkit/index.js";
import type { SchemaTable } from "../../src/devkit/index.js";
import type { WithNode } from "./relation-paths.js";

/** Rows per eager-loaded `many()` relation and parent: a list view rarely needs more, and a parent with 10^5 children must not blow up one response. */
export const DEFAULT_RELATION_LIMIT = 50;

export interface RelationLimit {
  /** `POSTS_COMMENTS_LIMIT` */
  name: string;
  /** `posts.comments` */
  path: string;
  value: number;
}

/** Every key column (a join table's composite key orders by both); a table without a key by its first column. */
function orderColumns(table: SchemaTable): string[] {
  const key = table.primaryKey?.columns ?? [];
  return key.length > 0 ? key : table.columns.slice(0, 1).map((column) => column.name);
}

/**
 * The `with` literal of the relational queries: every `many()` child is filtered on `deletedAt is null` (when it has
 * one), ordered by its primary key (deterministic) and capped by a named limit; `one()` parents load as they are
 * (Drizzle cannot filter a `one()` relation). The limits are appended to `limits`.
 */
export function eagerWith(nodes: readonly WithNode[], limits: RelationLimit[], prefix = ""): string {
  if (nodes.length === 0) return "{}";
  const parts = nodes.map((node) => {
    const relationPath = prefix ? `${prefix}.${node.relation.name}` : node.relation.name;
    const nested = node.children.length > 0 ? eagerWith(node.children, limits, relationPath) : undefined;
    if (node.relation.kind !== "many") return `${node.relation.name}: ${nested ? `{ with: ${nested} }` : "true"}`;
    const limit: RelationLimit = {
      name: `${constantCase(relationPath)}_LIMIT`,
      path: relationPath,
      value: DEFAULT_RELATION_LIMIT,
    };
    limits.push(limit);
    const config = [
      ...(isSoftDeletable(node.table) ? [`where: (row, { isNull }) => isNull(row.${SOFT_DELETE_COLUMN})`] : []),
      `orderBy: (row, { asc }) => [${orderColumns(node.table)
        .map((column) => `asc(row.${column})`)
        .join(", ")}]`,
      `limit: ${limit.name}`,
      ...(nested ? [`with: ${nested}`] : []),
    ];
    return `${node.relation.name}: { ${config.join(", ")} }`;
  });
  return `{ ${parts.join(", ")} }`;
}

/** Soft-deletable `many()` children anywhere in the tree, as `<path>` -> table (for the generated test). */
export function softDeletableChildren(
  nodes: readonly WithNode[],
  prefix = "",
): Array<{ path: string; node: WithNode }> {
  const found: Array<{ path: string; node: WithNode }> = [];
  for (const node of nodes) {
    const relationPath = prefix ? `${prefix}.${node.relation.name}` : node.relation.name;
    if (node.relation.kind === "many" && isSoftDeletable(node.table)) found.push({ path: relationPath, node });
    found.push(...softDeletableChildren(node.children, relationPath));
  }
  return found;
}
