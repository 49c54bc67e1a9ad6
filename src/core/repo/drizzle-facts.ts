import path from "node:path";

import type { FileHost } from "../host.js";
import { locateDrizzleConfig } from "./drizzle-config-location.js";
import { findExportedConst } from "./source-scan.js";

export type PostgresDriver = "node-postgres" | "postgres-js";

export interface DrizzleFacts {
  configFile: string | null;
  /** The schema entry drizzle-kit reads: one file (tables + re-exports) or a folder; `glob` when only matching files are schema. */
  /** `barrel`: the folder's module the repo's client imports as its `{ schema }` (an `index.ts` a glob does not match). */
  schema: { kind: "file" | "dir"; path: string; glob?: string; barrel?: string } | null;
  migrationsDir: string | null;
  /** `pgTableCreator` factory the repo's tables use, if any. */
  tableFactory: { file: string; exportName: string } | null;
  /** `casing` of the config or the repo's client: generated clients must map keys to SQL names the same way. */
  casing: "snake_case" | "camelCase" | null;
  /** The repo's own drizzle instance. */
  /** `declaredType`: exported with a type annotation (`db: NodePgDatabase<typeof schema>`), which has no `$client`. */
  db: { file: string; exportName: string; driver: PostgresDriver; hasSchema: boolean; declaredType: boolean } | null;
  /** Where `schema` was read from: the config, the client's `{ schema }`, or a conventional path (a guess). */
  schemaSource?: "config" | "client" | "convention" | "flag";
  /** What init was told (--schema, --db-client), recorded in perf-backend.json so later runs read the same. */
  given?: { schema?: string; dbClient?: string };
  /**
   * The client in use when it cannot be imported (made in a NestJS provider factory or a service method): its
   * driver is the one generated code uses, so no second stack is added beside it.
   */
  client?: { file: string; line: number; driver: PostgresDriver };
}

function stringProperty(text: string, name: string): string | null {
  const match = new RegExp(String.raw`\b${name}\s*:\s*\[?\s*["'\x60]([^"'\x60]+)["'\x60]`).exec(text);
  return match?.[1] ?? null;
}

const clean = (value: string): string => path.posix.normalize(value.replace(/^\.\//, "")).replace(/\/$/, "");

function schemaEntry(value: string): DrizzleFacts["schema"] {
  const withoutGlob = clean(value.split("*")[0] ?? value);
  if (/\.[cm]?[jt]s$/.test(withoutGlob) && !value.includes("*")) return { kind: "file", path: withoutGlob };
  const dir = withoutGlob.replace(/\/$/, "") || ".";
  return value.includes("*") ? { kind: "dir", path: dir, glob: clean(value) } : { kind: "dir", path: dir };
}

const NAMESPACE_IMPORT = /import\s+\*\s+as\s+(\w+)\s+from\s+["'](\.[^"']*)["']/g;
// How far past `drizzle(` its options are looked for (a call spans a few lines at most).
const CALL_WINDOW = 400;
const SOURCE_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx"];

/** A relative module specifier as TypeScript resolves it to a source file (`./schema.js` -> `schema.ts`, `./schema` -> `schema/index.ts`). */
function resolveRelative(host: FileHost, fromFile: string, specifier: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier)).replace(/\.[cm]?js$/, "");
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((extension) => `${base}${extension}`),
    ...SOURCE_EXTENSIONS.map((extension) => `${base}/index${extension}`),
  ];
  return candidates.find((file) => /\.[cm]?tsx?$/.test(file) && host.read(file) !== null) ?? null;
}

/**
 * Without a drizzle.config, the schema is what the client is given: `drizzle(pool, { schema })` with
 * `import * as schema from "./schema"` (a file, or a folder's index).
 */
function schemaFromClient(host: FileHost, clientFile: string, text: string): DrizzleFacts["schema"] {
  const call = text.indexOf("drizzle(");
  if (call === -1) return null;
  const options = text.slice(call, call + CALL_WINDOW);
  if (!/\bschema\b/.test(options)) return null;
  for (const [, name, specifier] of text.matchAll(NAMESPACE_IMPORT)) {
    if (!name || !specifier || !new RegExp(String.raw`\b${name}\b`).test(options)) continue;
    const file = resolveRelative(host, clientFile, specifier);
    if (!file) continue;
    return /\/index\.[cm]?tsx?$/.test(file)
      ? { kind: "dir", path: path.posix.dirname(file) }
      : { kind: "file", path: file };
  }
  return null;
}

/** Where Drizzle's docs and the common starters keep the schema, under the source root or the package root. */
const CONVENTIONAL_SCHEMAS = [
  "db/schema.ts",
  "db/schema",
  "schema.ts",
  "schema",
  "lib/db/schema.ts",
  "server/db/schema.ts",
  "database/schema.ts",
];
const DECLARES_TABLES = /from\s+["']drizzle-orm\/pg-core["']/;
const TABLE_SOURCE = /\.[cm]?ts$/;
const NOT_TABLE_SOURCE = /\.(?:d|test|spec)\.[cm]?ts$/;

/**
 * Neither a config's `schema` nor the client's `{ schema }`: the first conventional path whose file (or a file of whose
 * folder) declares tables with drizzle-orm/pg-core. Files an earlier run wrote are not the repo's schema.
 */
function conventionalSchema(host: FileHost, srcDir: string, ignore: ReadonlySet<string>): DrizzleFacts["schema"] {
  const roots = [...new Set([srcDir === "." ? "" : srcDir, ""])];
  const declaresTables = (file: string): boolean => !ignore.has(file) && DECLARES_TABLES.test(host.read(file) ?? "");
  for (const root of roots) {
    for (const candidate of CONVENTIONAL_SCHEMAS) {
      const entry = path.posix.join(root, candidate);
      if (TABLE_SOURCE.test(entry)) {
        if (declaresTables(entry)) return { kind: "file", path: entry };
        continue;
      }
      const files = host.list(entry).filter((name) => TABLE_SOURCE.test(name) && !NOT_TABLE_SOURCE.test(name));
      if (files.some((name) => declaresTables(path.posix.join(entry, name)))) return { kind: "dir", path: entry };
    }
  }
  return null;
}

export function readDrizzleFacts(
  host: FileHost,
  candidates: readonly string[],
  ignore: ReadonlySet<string>,
  srcDir = "src",
  scripts?: Readonly<Record<string, string>>,
): DrizzleFacts {
  // Paths in the config are relative to where drizzle-kit runs (the package root), wherever the config sits.
  const configFile = locateDrizzleConfig(host, "", scripts, ignore);
  const configText = configFile ? (host.read(configFile) ?? "") : "";
  const schemaValue = stringProperty(configText, "schema");
  const out = stringProperty(configText, "out");
  const dbMatch = findExportedConst(host, candidates, /drizzle\(/, /drizzle-orm\/(?:node-postgres|postgres-js)/);
  const declared = schemaValue
    ? schemaEntry(schemaValue)
    : dbMatch
      ? schemaFromClient(host, dbMatch.file, dbMatch.text)
      : null;
  const schema = declared ?? conventionalSchema(host, srcDir, ignore);
  const schemaSource = declared ? (schemaValue ? "config" : "client") : schema ? "convention" : undefined;

  const schemaFiles =
    schema?.kind === "file"
      ? [schema.path]
      : schema
        ? host
            .list(schema.path)
            .filter((name) => /\.[cm]?ts$/.test(name))
            .map((name) => path.posix.join(schema.path, name))
        : candidates;
  const factory = findExportedConst(host, schemaFiles, /pgTableCreator\(/, /pgTableCreator/);

  const db = dbMatch
    ? {
        file: dbMatch.file,
        exportName: dbMatch.exportName,
        driver: (/drizzle-orm\/postgres-js/.test(dbMatch.text) ? "postgres-js" : "node-postgres") as PostgresDriver,
        hasSchema: /drizzle\([^)]*\bschema\b/s.test(dbMatch.text),
        declaredType: new RegExp(String.raw`export\s+const\s+${dbMatch.exportName}\s*:`).test(dbMatch.text),
      }
    : null;

  const casing = stringProperty(configText, "casing") ?? (dbMatch ? stringProperty(dbMatch.text, "casing") : null);
  return {
    configFile,
    schema,
    ...(schemaSource ? { schemaSource } : {}),
    casing: casing === "snake_case" || casing === "camelCase" ? casing : null,
    migrationsDir: out ? clean(out) : null,
    tableFactory: factory ? { file: factory.file, exportName: factory.exportName } : null,
    db,
  };
}
