import path from "node:path";

import type { FileHost } from "../host.js";
import { findExportedConst } from "./source-scan.js";

export type PostgresDriver = "node-postgres" | "postgres-js";

export interface DrizzleFacts {
  configFile: string | null;
  /** The schema entry drizzle-kit reads: one file (tables + re-exports) or a folder. */
  schema: { kind: "file" | "dir"; path: string } | null;
  migrationsDir: string | null;
  /** `pgTableCreator` factory the repo's tables use, if any. */
  tableFactory: { file: string; exportName: string } | null;
  /** The repo's own drizzle instance. */
  /** `declaredType`: exported with a type annotation (`db: NodePgDatabase<typeof schema>`), which has no `$client`. */
  db: { file: string; exportName: string; driver: PostgresDriver; hasSchema: boolean; declaredType: boolean } | null;
}

const CONFIG_FILES = ["drizzle.config.ts", "drizzle.config.mts", "drizzle.config.js", "drizzle.config.mjs", "drizzle.config.cjs"];

function stringProperty(text: string, name: string): string | null {
  const match = new RegExp(String.raw`\b${name}\s*:\s*\[?\s*["'\x60]([^"'\x60]+)["'\x60]`).exec(text);
  return match?.[1] ?? null;
}

const clean = (value: string): string => path.posix.normalize(value.replace(/^\.\//, "")).replace(/\/$/, "");

function schemaEntry(value: string): DrizzleFacts["schema"] {
  const withoutGlob = clean(value.split("*")[0] ?? value);
  if (/\.[cm]?[jt]s$/.test(withoutGlob) && !value.includes("*")) return { kind: "file", path: withoutGlob };
  return { kind: "dir", path: withoutGlob.replace(/\/$/, "") || "." };
}

export function readDrizzleFacts(host: FileHost, candidates: readonly string[], ignore: ReadonlySet<string>): DrizzleFacts {
  const configFile = CONFIG_FILES.find((file) => !ignore.has(file) && host.read(file) !== null) ?? null;
  const configText = configFile ? (host.read(configFile) ?? "") : "";
  const schemaValue = stringProperty(configText, "schema");
  const out = stringProperty(configText, "out");
  const schema = schemaValue ? schemaEntry(schemaValue) : null;

  const schemaFiles =
    schema?.kind === "file"
      ? [schema.path]
      : schema
        ? host.list(schema.path).filter((name) => /\.[cm]?ts$/.test(name)).map((name) => path.posix.join(schema.path, name))
        : candidates;
  const factory = findExportedConst(host, schemaFiles, /pgTableCreator\(/, /pgTableCreator/);

  const dbMatch = findExportedConst(host, candidates, /drizzle\(/, /drizzle-orm\/(?:node-postgres|postgres-js)/);
  const db = dbMatch
    ? {
        file: dbMatch.file,
        exportName: dbMatch.exportName,
        driver: (/drizzle-orm\/postgres-js/.test(dbMatch.text) ? "postgres-js" : "node-postgres") as PostgresDriver,
        hasSchema: /drizzle\([^)]*\bschema\b/s.test(dbMatch.text),
        declaredType: new RegExp(String.raw`export\s+const\s+${dbMatch.exportName}\s*:`).test(dbMatch.text),
      }
    : null;

  return {
    configFile,
    schema,
    migrationsDir: out ? clean(out) : null,
    tableFactory: factory ? { file: factory.file, exportName: factory.exportName } : null,
    db,
  };
}
