import { constantCase, pascalCase } from "change-case";

import { GenerationError, isSoftDeletable, SOFT_DELETE_COLUMN } from "../../src/devkit/index.js";
import type { SchemaTable } from "../../src/devkit/index.js";
import { DEFAULT_RELATION_LIMIT } from "./eager-config.js";
import type { RelationLimit } from "./eager-config.js";
import type { WithNode } from "./relation-paths.js";

/**
 * The eager read as one statement: one `left join lateral` per relation that aggregates its rows as positional JSON
 * arrays (`json_build_array`, the SQL Drizzle's relational queries send), limit + 1 rows for hasMore. node-postgres
 * parses the JSON natively; a mapper per level builds each row's object from a per-table plan made once (keys in
 * column order, dates sent as epoch milliseconds, the few columns JSON cannot carry as the driver does decoded by the
 * column itself). Drizzle's own mapping resolves every nested value through a generic decoder loop instead: ~40% of the call.
 */

export interface EagerNode {
  /** `users_posts`: the SQL alias of this level (unique in the statement). */
  alias: string;
  /** `eagerUsersPosts`: the alias() const. */
  aliasVar: string;
  /** `UsersPosts`: the TS type of the relation's value. */
  typeName: string;
  /** A one() whose key cannot be null: its row is always there (set while the plan is built). */
  required?: boolean;
  /** `mapUsersPosts`: builds the relation's value from its JSON. */
  mapperName: string;
  relation: string;
  kind: "one" | "many";
  table: SchemaTable;
  limitName?: string;
  children: EagerNode[];
}

function orderColumns(table: SchemaTable): string[] {
  const key = table.primaryKey?.columns ?? [];
  return key.length > 0 ? key : table.columns.slice(0, 1).map((column) => column.name);
}

/** The join of a relation: `child.column = parent.column`, read from whichever side declares `fields`. */
function joinOf(parent: SchemaTable, node: WithNode): { childColumn: string; parentColumn: string } {
  const { relation, table } = node;
  if (relation.kind === "one" && relation.fields[0] && relation.references[0]) {
    return { childColumn: relation.references[0], parentColumn: relation.fields[0] };
  }
  // many(child), or a one() without fields: the other side's one(parent, { fields }) with the same relationName.
  const back = table.relations?.find(
    (candidate) =>
      candidate.kind === "one" &&
      candidate.target === parent.tableVar &&
      candidate.fields.length > 0 &&
      candidate.relationName === relation.relationName,
  );
  const childColumn = back?.fields[0];
  const parentColumn = back?.references[0];
  if (!childColumn || !parentColumn) {
    throw new GenerationError(
      `${table.file}: ${table.tableVar} has no one(${parent.tableVar}, { fields, references }) relation${relation.relationName ? ` named "${relation.relationName}"` : ""}, which the eager read of ${parent.tableVar}.${relation.name} joins on.`,
    );
  }
  return { childColumn, parentColumn };
}

export interface EagerPlan {
  nodes: EagerNode[];
  /** alias() consts, types, mappers and the FROM clause, as template text. */
  aliases: string[];
  types: string[];
  mappers: string[];
  /** `lateral (...) "users_posts_page"`: the body of one sql`` per `.leftJoin()` of the select. */
  joins: string[];
  /** Extra fields of the select after the entity's own columns: `posts: sql<...>`...``, `postsHasMore: ...`. */
  fields: string[];
  /** Any many() relation: the page is cut by the rows/bytes budget (a tree of one() relations is bounded by its depth). */
  budgeted: boolean;
  tableImports: string[];
}

const q = (identifier: string): string => `"${identifier}"`;

function buildNode(
  node: WithNode,
  parentAlias: string,
  limits: RelationLimit[],
  relationPath: string,
  usedAliases: Set<string>,
): EagerNode {
  let alias = `${parentAlias}_${node.relation.name}`;
  // PostgreSQL truncates identifiers at 63 bytes: keep them distinct.
  if (alias.length > 50) alias = `${alias.slice(0, 44)}_${String(usedAliases.size)}`;
  usedAliases.add(alias);
  const kind = node.relation.kind;
  let limitName: string | undefined;
  if (kind === "many") {
    limitName = `${constantCase(relationPath)}_LIMIT`;
    limits.push({ name: limitName, path: relationPath, value: DEFAULT_RELATION_LIMIT });
  }
  const children = node.children.map((child) =>
    buildNode(child, alias, limits, `${relationPath}.${child.relation.name}`, usedAliases),
  );
  return {
    alias,
    aliasVar: `eager${pascalCase(alias)}`,
    typeName: pascalCase(alias),
    mapperName: `map${pascalCase(alias)}`,
    relation: node.relation.name,
    kind,
    table: node.table,
    limitName,
    children,
  };
}

function rowType(node: EagerNode): string {
  const extras = node.children.flatMap((child) => [
    `${child.relation}: ${child.typeName}`,
    ...(child.kind === "many" ? [`${child.relation}HasMore: boolean`] : []),
  ]);
  const base = `typeof ${node.table.tableVar}.$inferSelect`;
  return extras.length > 0 ? `${base} & { ${extras.join("; ")} }` : base;
}

/** A one() whose foreign key columns are all NOT NULL (on this side): the row it names is always there. */
function isRequiredOne(node: EagerNode, parent: SchemaTable, source: WithNode): boolean {
  const fields = source.relation.fields;
  return (
    node.kind === "one" &&
    fields.length > 0 &&
    fields.every((field) => parent.columns.find((column) => column.name === field)?.notNull === true)
  );
}

/** A one() is null when its key may be null (nullable FK, or the key on the other side); many() is an array. */
function valueType(node: EagerNode, parent: SchemaTable, source: WithNode): string {
  if (node.kind === "many") return `Array<${rowType(node)}>`;
  return isRequiredOne(node, parent, source) ? rowType(node) : `(${rowType(node)}) | null`;
}

/** SQL of one relation level as a lateral subquery named `<alias>_page` (items/item, has_more at the top level, rows). */
function lateralSql(
  node: EagerNode,
  source: WithNode,
  parent: SchemaTable,
  parentRef: string,
  topLevel = false,
): string {
  const a = node.aliasVar;
  const join = joinOf(parent, source);
  // Positional (json_build_array, as Drizzle sends it): no key text per value to build, send and parse. The table's
  // columns are read from the schema at runtime, so a column added later is read without regenerating.
  const jsonFields = [`\${eagerJsonColumns(${a})}`];
  for (const child of node.children) {
    const page = q(`${child.alias}_page`);
    // A nested many() sends its limit + 1 rows only: the mapper reads hasMore from their count.
    jsonFields.push(`${page}.${q(child.kind === "many" ? "items" : "item")}`);
  }
  const childLaterals = node.children
    .map((child, index) => lateralSql(child, source.children[index] as WithNode, node.table, a))
    .join(" ");
  const childRows = node.children.map((child) => `coalesce(${q(`${child.alias}_page`)}."rows", 0)`);
  const object = `json_build_array(${jsonFields.join(", ")})`;
  const where = [`\${${a}.${join.childColumn}} = \${${parentRef}.${join.parentColumn}}`];
  if (node.kind === "many" && isSoftDeletable(node.table)) where.push(`\${${a}.${SOFT_DELETE_COLUMN}} is null`);
  if (node.kind === "one") {
    return `left join lateral (select ${object} as "item", ${["1", ...childRows].join(" + ")} as "rows" from \${${node.table.tableVar}} ${q(node.alias)} ${childLaterals} where ${where.join(" and ")} limit 1) ${q(`${node.alias}_page`)} on true`;
  }
  const limit = `\${${node.limitName ?? ""}}`;
  const order = orderColumns(node.table)
    .map((column) => `\${${a}.${column}}`)
    .join(", ");
  // limit + 1 rows: the extra one only says hasMore (the mapper drops it). No row_number() to tell it apart in SQL: a
  // window per parent cost more than the one extra row. Its rows count in the budget (it errs on the safe side).
  const page = `(select * from \${${node.table.tableVar}} ${q(node.alias)} where ${where.join(" and ")} order by ${order} limit ${limit} + 1) ${q(node.alias)}`;
  const rows = ["count(*)", ...childRows.map((expression) => `coalesce(sum(${expression}), 0)`)].join(" + ");
  // has_more is a column of the top-level relations only; nested ones are counted by their mapper.
  const hasMore = topLevel ? ` count(*) > ${limit} as "has_more",` : "";
  return `left join lateral (select coalesce(json_agg(${object} order by ${order}), '[]'::json) as "items",${hasMore} ${rows} as "rows" from ${page} ${childLaterals}) ${q(`${node.alias}_page`)} on true`;
}

// A column key as an object literal's property: bare when it is an identifier, else quoted.
const propertyKey = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

function mapperSource(node: EagerNode): string {
  const level = camel(`${node.mapperName.replace(/^map/, "")}Level`);
  const rowType = node.kind === "many" ? `${node.typeName}[number]` : `NonNullable<${node.typeName}>`;
  // One object literal of the columns the table had at generation (a fixed shape V8 builds at once, ~4x cheaper than
  // keys copied one by one); a table changed since (a column added, renamed, moved) goes through its runtime plan.
  // Positions by destructuring, not row[2]: a repo's no-magic-numbers rule flags literal indexes.
  const values = node.table.columns.map((_, index) => `v${String(index)}`);
  const literal = `{ ${node.table.columns.map((column, index) => `${propertyKey(column.name)}: ${values[index] ?? ""}`).join(", ")} }`;
  const object = `${level}.generated ? eagerDecoded<${rowType}>(${level}, ${literal}, row) : eagerObject<${rowType}>(${level}, row)`;
  const lines = [`const [${values.join(", ")}] = row;`];
  if (node.children.length > 0) lines.push(`const item = ${object};`);
  // The relations follow the table's columns, one position each.
  if (node.children.length > 0)
    lines.push(`${node.children.length === 1 ? "const" : "let"} next = ${level}.keys.length;`);
  node.children.forEach((child, index) => {
    lines.push(`item.${child.relation} = ${child.mapperName}(row[next]);`);
    if (child.kind === "many")
      lines.push(`item.${child.relation}HasMore = (row[next] as unknown[]).length > ${child.limitName ?? ""};`);
    if (index < node.children.length - 1) lines.push("next += 1;");
  });
  lines.push(node.children.length === 0 ? `return ${object};` : "return item;");
  const body = lines.map((line) => `    ${line}`).join("\n");
  const declaration = `const ${level} = eagerLevel(${node.table.tableVar}, [${node.table.columns.map((column) => JSON.stringify(column.name)).join(", ")}]);`;
  if (node.kind === "many") {
    // The SQL sends limit + 1 rows (the extra one said hasMore): only the first limit are the relation.
    const limit = node.limitName ?? "";
    return `${declaration}\n\nfunction ${node.mapperName}(value: unknown): ${node.typeName} {\n  const rows = parsedJson(value) as unknown[][];\n  return (rows.length > ${limit} ? rows.slice(0, ${limit}) : rows).map((row) => {\n${body}\n  });\n}`;
  }
  // A required one() has its row (NOT NULL key): none means a key without its row, which the type cannot say.
  const none =
    node.required === true
      ? `throw new Error(${JSON.stringify(`${node.relation}: no ${node.table.sqlName} row for a key that cannot be null`)});`
      : "return null;";
  return `${declaration}\n\nfunction ${node.mapperName}(value: unknown): ${node.typeName} {\n  const row = parsedJson(value) as unknown[] | null;\n  if (row === null) ${none}\n${body.replaceAll("\n    ", "\n  ").replace(/^ {4}/, "  ")}\n}`;
}

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** Everything the repository template needs for the eager read of `entity` with `nodes`. */
export function eagerPlan(entity: SchemaTable, nodes: readonly WithNode[], limits: RelationLimit[]): EagerPlan {
  const root = entity.tableVar;
  const usedAliases = new Set<string>();
  const built = nodes.map((node) => buildNode(node, entity.sqlName, limits, node.relation.name, usedAliases));
  const aliases: string[] = [];
  const types: string[] = [];
  const mappers: string[] = [];
  const tableImports = new Set<string>();
  const visit = (node: EagerNode, source: WithNode, parent: SchemaTable): void => {
    aliases.push(`const ${node.aliasVar} = alias(${node.table.tableVar}, "${node.alias}");`);
    node.required = isRequiredOne(node, parent, source);
    types.push(`type ${node.typeName} = ${valueType(node, parent, source)};`);
    mappers.push(mapperSource(node));
    tableImports.add(node.table.tableVar);
    node.children.forEach((child, index) => visit(child, source.children[index] as WithNode, node.table));
  };
  built.forEach((node, index) => visit(node, nodes[index] as WithNode, entity));
  // `.leftJoin(sql\`lateral (...) "x_page"\`, sql\`true\`)` per top-level relation: Drizzle checks that selected columns come from joined tables.
  const joins = built.map((node, index) =>
    lateralSql(node, nodes[index] as WithNode, entity, root, true)
      .replace(/^left join /, "")
      .replace(/ on true$/, ""),
  );
  const budgeted = limits.length > 0;
  const rowsExpression = ["1", ...built.map((node) => `coalesce(${q(`${node.alias}_page`)}."rows", 0)`)].join(" + ");
  const bytesExpression =
    built
      .map(
        (node) =>
          `coalesce(octet_length(${q(`${node.alias}_page`)}.${q(node.kind === "many" ? "items" : "item")}::text), 0)`,
      )
      .join(" + ") || "0";
  // Rows and JSON bytes of this row and every row before it in the page; the first row is always kept.
  const window = `over (order by \${${root}.${orderColumns(entity)[0] ?? "id"}})`;
  const within = `(row_number() ${window} = 1 or (sum(${rowsExpression}) ${window} <= \${sql.placeholder("maxRows")} and sum(${bytesExpression}) ${window} <= \${sql.placeholder("maxBytes")}))`;
  const fields = built.flatMap((node) => {
    const page = q(`${node.alias}_page`);
    const value = `${page}.${q(node.kind === "many" ? "items" : "item")}`;
    // Past the budget a row's relations are not sent; a required one() is one small row, sent so its mapper never sees null.
    const selected = budgeted && node.required !== true ? `case when ${within} then ${value} end` : value;
    const mapped = `sql<${node.typeName}>\`${selected}\`.mapWith(${node.mapperName})`;
    return [
      `${node.relation}: ${mapped}`,
      ...(node.kind === "many" ? [`${node.relation}HasMore: sql<boolean>\`coalesce(${page}."has_more", false)\``] : []),
    ];
  });
  if (budgeted) fields.push(`eagerWithinBudget: sql<boolean>\`${within}\``);
  return { nodes: built, aliases, types, mappers, joins, fields, budgeted, tableImports: [...tableImports].sort() };
}
