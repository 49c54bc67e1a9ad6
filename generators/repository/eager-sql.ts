import { constantCase, pascalCase } from "change-case";

import { GenerationError } from "../../src/devkit/index.js";
import type { SchemaColumn, SchemaTable } from "../../src/devkit/index.js";
import { DEFAULT_RELATION_LIMIT, isSoftDeletable, SOFT_DELETE_COLUMN } from "./eager-config.js";
import type { RelationLimit } from "./eager-config.js";
import type { WithNode } from "./relation-paths.js";

/**
 * The eager read as one statement: one `left join lateral` per relation that aggregates its rows as positional JSON
 * arrays (`json_build_array`, the SQL Drizzle's relational queries send), limit + 1 rows for hasMore. node-postgres
 * parses the JSON natively; a generated mapper per level builds each row's object literal from its positions and
 * decodes only what JSON cannot carry as the driver does (timestamps as Date, bigint mode bigint). Drizzle's own
 * mapping walks every nested value through a generic decoder loop instead: ~40% of the call.
 */

// Builders whose JSON value is what node-postgres returns for the column: no cast, no decoding.
const JSON_NATIVE_BUILDERS = new Set(["integer", "smallint", "serial", "smallserial", "real", "doublePrecision", "boolean", "text", "varchar", "char", "uuid", "json", "jsonb"]);

export interface EagerColumn {
  key: string;
  /** `castText`: sent as text (JSON would round a bigint or numeric, or format a timestamp string differently). */
  castText: boolean;
  /** Decoded through the column's own mapFromDriverValue (Date, BigInt, custom types). */
  decode: boolean;
  notNull: boolean;
}

export interface EagerNode {
  /** `users_posts`: the SQL alias of this level (unique in the statement). */
  alias: string;
  /** `eagerUsersPosts`: the alias() const. */
  aliasVar: string;
  /** `UsersPosts`: the TS type of the relation's value. */
  typeName: string;
  /** `mapUsersPosts`: decodes the relation's JSON in place. */
  mapperName: string;
  relation: string;
  kind: "one" | "many";
  table: SchemaTable;
  /** Does this subtree carry a value to decode (the mapper walks it), or is JSON.parse's result final. */
  needsDecoding: boolean;
  columns: EagerColumn[];
  limitName?: string;
  children: EagerNode[];
}

function isJsonNative(column: SchemaColumn): boolean {
  if (column.enumValues !== undefined) return true;
  if (column.customType !== undefined) return false;
  if (JSON_NATIVE_BUILDERS.has(column.builder)) return true;
  // bigint/bigserial read as numbers, date as its "yyyy-mm-dd" string: JSON carries them as the driver does.
  if ((column.builder === "bigint" || column.builder === "bigserial") && column.tsType === "number") return true;
  return column.builder === "date" && column.tsType === "string";
}

function eagerColumn(column: SchemaColumn): EagerColumn {
  const native = isJsonNative(column) && (!column.array || column.builder !== "date");
  // A Date column: JSON's ISO text is what the column decodes (Drizzle's relational queries do the same).
  const isDate = column.tsType === "Date" && !column.array;
  return { key: column.name, castText: !native && !isDate, decode: !native, notNull: column.notNull };
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
    (candidate) => candidate.kind === "one" && candidate.target === parent.tableVar && candidate.fields.length > 0 && candidate.relationName === relation.relationName,
  );
  const childColumn = back?.fields[0];
  const parentColumn = back?.references[0];
  if (!childColumn || !parentColumn) {
    throw new GenerationError(`${table.file}: ${table.tableVar} has no one(${parent.tableVar}, { fields, references }) relation${relation.relationName ? ` named "${relation.relationName}"` : ""}, which the eager read of ${parent.tableVar}.${relation.name} joins on.`);
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
  /** The entity's own columns and its relations: what a row of the result carries (the budget flag stays behind). */
  entityKeys: string[];
  /** Any column to decode: the template emits decodeColumn. */
  decodes: boolean;
  tableImports: string[];
}

const q = (identifier: string): string => `"${identifier}"`;

function buildNode(node: WithNode, parentAlias: string, limits: RelationLimit[], relationPath: string, usedAliases: Set<string>): EagerNode {
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
  const children = node.children.map((child) => buildNode(child, alias, limits, `${relationPath}.${child.relation.name}`, usedAliases));
  const columns = node.table.columns.map(eagerColumn);
  return {
    alias,
    aliasVar: `eager${pascalCase(alias)}`,
    typeName: pascalCase(alias),
    mapperName: `map${pascalCase(alias)}`,
    relation: node.relation.name,
    kind,
    table: node.table,
    needsDecoding: columns.some((column) => column.decode) || children.some((child) => child.needsDecoding),
    columns,
    limitName,
    children,
  };
}

function rowType(node: EagerNode): string {
  const extras = node.children.flatMap((child) => [`${child.relation}: ${child.typeName}`, ...(child.kind === "many" ? [`${child.relation}HasMore: boolean`] : [])]);
  const base = `typeof ${node.table.tableVar}.$inferSelect`;
  return extras.length > 0 ? `${base} & { ${extras.join("; ")} }` : base;
}

/** A one() is null when its key may be null (nullable FK, or the key on the other side); many() is an array. */
function valueType(node: EagerNode, parent: SchemaTable, source: WithNode): string {
  if (node.kind === "many") return `Array<${rowType(node)}>`;
  const fields = source.relation.fields;
  const required = fields.length > 0 && fields.every((field) => parent.columns.find((column) => column.name === field)?.notNull === true);
  return required ? rowType(node) : `(${rowType(node)}) | null`;
}

/** SQL of one relation level as a lateral subquery named `<alias>_page` (items/item, has_more, rows). */
function lateralSql(node: EagerNode, source: WithNode, parent: SchemaTable, parentRef: string): string {
  const a = node.aliasVar;
  const join = joinOf(parent, source);
  // Positional (json_build_array, as Drizzle sends it): no key text per value to build, send and parse.
  const jsonFields = node.columns.map((column) => `\${${a}.${column.key}}${column.castText ? "::text" : ""}`);
  for (const child of node.children) {
    const page = q(`${child.alias}_page`);
    if (child.kind === "many") jsonFields.push(`${page}."items"`, `${page}."has_more"`);
    else jsonFields.push(`${page}."item"`);
  }
  const childLaterals = node.children.map((child, index) => lateralSql(child, source.children[index] as WithNode, node.table, a)).join(" ");
  const childRows = node.children.map((child) => `coalesce(${q(`${child.alias}_page`)}."rows", 0)`);
  const object = `json_build_array(${jsonFields.join(", ")})`;
  const where = [`\${${a}.${join.childColumn}} = \${${parentRef}.${join.parentColumn}}`];
  if (node.kind === "many" && isSoftDeletable(node.table)) where.push(`\${${a}.${SOFT_DELETE_COLUMN}} is null`);
  if (node.kind === "one") {
    return `left join lateral (select ${object} as "item", ${["1", ...childRows].join(" + ")} as "rows" from \${${node.table.tableVar}} ${q(node.alias)} ${childLaterals} where ${where.join(" and ")} limit 1) ${q(`${node.alias}_page`)} on true`;
  }
  const limit = `\${${node.limitName ?? ""}}`;
  const kept = `where ${q(node.alias)}."rn" <= ${limit}`;
  const order = orderColumns(node.table).map((column) => `\${${a}.${column}}`).join(", ");
  // limit + 1 rows: the extra one only says hasMore.
  const page = `(select ${q(node.alias)}.*, row_number() over (order by ${order}) as "rn" from \${${node.table.tableVar}} ${q(node.alias)} where ${where.join(" and ")} order by ${order} limit ${limit} + 1) ${q(node.alias)}`;
  const rows = [`count(*) filter (${kept})`, ...childRows.map((expression) => `coalesce(sum(${expression}) filter (${kept}), 0)`)].join(" + ");
  return `left join lateral (select coalesce(json_agg(${object} order by ${q(node.alias)}."rn") filter (${kept}), '[]'::json) as "items", count(*) > ${limit} as "has_more", ${rows} as "rows" from ${page} ${childLaterals}) ${q(`${node.alias}_page`)} on true`;
}

// Words a destructured binding cannot be named.
const RESERVED_WORDS = new Set("arguments await break case catch class const continue debugger default delete do else enum eval export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield".split(" "));

/** Builds the level's objects from the positional JSON arrays: one object literal per row, decoding only what JSON cannot carry. */
function mapperSource(node: EagerNode): string {
  // Destructured by position (no index literals): each name is the property's, unless the mapper needs it for something else.
  const taken = new Set(["decodeColumn", "parsedJson", "value", node.table.tableVar, ...node.children.map((child) => child.mapperName)]);
  const binding = (name: string): string => (taken.has(name) || RESERVED_WORDS.has(name) ? `${name}Value` : name);
  const bindings: string[] = [];
  const properties: string[] = [];
  for (const column of node.columns) {
    const name = binding(column.key);
    bindings.push(name);
    const decoded = `decodeColumn(${node.table.tableVar}.${column.key}, ${name})`;
    const value = !column.decode ? name : column.notNull ? decoded : `${name} === null ? null : ${decoded}`;
    properties.push(value === column.key ? column.key : `${column.key}: ${value}`);
  }
  for (const child of node.children) {
    const name = binding(child.relation);
    bindings.push(name);
    properties.push(`${child.relation}: ${child.mapperName}(${name})`);
    if (child.kind === "many") {
      const flag = binding(`${child.relation}HasMore`);
      bindings.push(flag);
      properties.push(flag === `${child.relation}HasMore` ? flag : `${child.relation}HasMore: ${flag}`);
    }
  }
  const object = `({\n${properties.map((property) => `    ${property},`).join("\n")}\n  })`;
  const pattern = `[${bindings.join(", ")}]`;
  // `never[]`: each element is assignable to its property's type; the SQL above fixes what sits at each position.
  if (node.kind === "many") {
    return `function ${node.mapperName}(value: unknown): ${node.typeName} {\n  return (parsedJson(value) as Array<never[]>).map((${pattern}) => ${object});\n}`;
  }
  return `function ${node.mapperName}(value: unknown): ${node.typeName} {\n  const row = parsedJson(value) as never[] | null;\n  if (row === null) return null;\n  const ${pattern} = row;\n  return ${object.slice(1, -1)};\n}`;
}

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
    types.push(`type ${node.typeName} = ${valueType(node, parent, source)};`);
    mappers.push(mapperSource(node));
    tableImports.add(node.table.tableVar);
    node.children.forEach((child, index) => visit(child, source.children[index] as WithNode, node.table));
  };
  built.forEach((node, index) => visit(node, nodes[index] as WithNode, entity));
  // `.leftJoin(sql\`lateral (...) "x_page"\`, sql\`true\`)` per top-level relation: Drizzle checks that selected columns come from joined tables.
  const joins = built.map((node, index) => lateralSql(node, nodes[index] as WithNode, entity, root).replace(/^left join /, "").replace(/ on true$/, ""));
  const budgeted = limits.length > 0;
  const rowsExpression = ["1", ...built.map((node) => `coalesce(${q(`${node.alias}_page`)}."rows", 0)`)].join(" + ");
  const bytesExpression = built.map((node) => `coalesce(octet_length(${q(`${node.alias}_page`)}.${q(node.kind === "many" ? "items" : "item")}::text), 0)`).join(" + ") || "0";
  // Rows and JSON bytes of this row and every row before it in the page; the first row is always kept.
  const window = `over (order by \${${root}.${orderColumns(entity)[0] ?? "id"}})`;
  const within = `(row_number() ${window} = 1 or (sum(${rowsExpression}) ${window} <= \${sql.placeholder("maxRows")} and sum(${bytesExpression}) ${window} <= \${sql.placeholder("maxBytes")}))`;
  const fields = built.flatMap((node) => {
    const page = q(`${node.alias}_page`);
    const value = `${page}.${q(node.kind === "many" ? "items" : "item")}`;
    const selected = budgeted ? `case when ${within} then ${value} end` : value;
    const mapped = `sql<${node.typeName}>\`${selected}\`.mapWith(${node.mapperName})`;
    return [`${node.relation}: ${mapped}`, ...(node.kind === "many" ? [`${node.relation}HasMore: sql<boolean>\`coalesce(${page}."has_more", false)\``] : [])];
  });
  if (budgeted) fields.push(`eagerWithinBudget: sql<boolean>\`${within}\``);
  const entityKeys = [...entity.columns.map((column) => column.name), ...built.flatMap((node) => [node.relation, ...(node.kind === "many" ? [`${node.relation}HasMore`] : [])])];
  const decodes = built.some((node) => node.needsDecoding);
  return { nodes: built, aliases, types, mappers, joins, fields, budgeted, entityKeys, decodes, tableImports: [...tableImports].sort() };
}
