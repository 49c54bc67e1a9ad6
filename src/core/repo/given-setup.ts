import path from "node:path";

import type { FileHost } from "../host.js";
import { UsageError } from "../output/errors.js";
import { DB_CLIENT } from "../state/manifest-schema.js";
import type { DrizzleFacts } from "./drizzle-facts.js";

/** What init is told where detection cannot see: `--schema <file|folder|glob>` and `--db-client <module>#<export>`. */
export interface GivenSetup {
  schema?: string | undefined;
  dbClient?: string | undefined;
}

const GLOB_CHARS = /[*?[\]{}]/;
const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];
const FLAG_HINT =
  "Pass --schema <file|folder|glob> (where your pgTable declarations are) and --db-client <module>#<export> (your drizzle instance).";

const clean = (value: string): string =>
  path.posix.normalize(value.trim().replaceAll("\\", "/").replace(/^\.\//, "")).replace(/\/$/, "");
const insideProject = (value: string): boolean => !value.startsWith("/") && !value.split("/").includes("..");
const escape = (text: string): string => text.replace(/[$]/g, String.raw`\$`);

/** The fixed folder a glob starts from: `src/**\/*.entity.ts` -> `src`. */
function globBase(glob: string): string {
  const fixed: string[] = [];
  for (const part of glob.split("/")) {
    if (GLOB_CHARS.test(part)) break;
    fixed.push(part);
  }
  return fixed.join("/");
}

function schemaFromFlag(host: FileHost, value: string): NonNullable<DrizzleFacts["schema"]> {
  const entry = clean(value);
  if (!insideProject(entry))
    throw new UsageError(`--schema ${value}: must be a path inside the package (no absolute path, no ..).`);
  if (GLOB_CHARS.test(entry)) {
    const base = globBase(entry) || ".";
    if (base !== "." && !host.isDirectory(base))
      throw new UsageError(`--schema ${value}: the folder ${base} does not exist.`, [FLAG_HINT]);
    return { kind: "dir", path: base, glob: entry };
  }
  if (host.read(entry) !== null) return { kind: "file", path: entry };
  if (host.isDirectory(entry)) return { kind: "dir", path: entry };
  throw new UsageError(`--schema ${value}: no such file or folder.`, [FLAG_HINT]);
}

function clientFromFlag(host: FileHost, value: string): NonNullable<DrizzleFacts["db"]> {
  if (!DB_CLIENT.test(value.trim()))
    throw new UsageError(`--db-client ${value}: must be <module>#<export>, like src/db/index.ts#db.`);
  const [specifier = "", exportName = ""] = value.trim().split("#");
  const base = clean(specifier).replace(/\.[cm]?js$/, "");
  if (!insideProject(base))
    throw new UsageError(`--db-client ${value}: the module must be a file of the package (no absolute path, no ..).`);
  const file = [
    clean(specifier),
    ...SOURCE_EXTENSIONS.map((ext) => `${base}${ext}`),
    ...SOURCE_EXTENSIONS.map((ext) => `${base}/index${ext}`),
  ].find((candidate) => /\.[cm]?tsx?$/.test(candidate) && host.read(candidate) !== null);
  const text = file ? (host.read(file) ?? "") : null;
  if (!file || text === null)
    throw new UsageError(`--db-client ${value}: no TypeScript module ${specifier} in this package.`, [FLAG_HINT]);
  const name = escape(exportName);
  const exported =
    exportName === "default"
      ? /\bexport\s+default\b/.test(text)
      : new RegExp(String.raw`\bexport\s+(?:const|let|var)\s+${name}\b`).test(text) ||
        new RegExp(String.raw`\bexport\s*\{[^}]*\b${name}\b[^}]*\}`).test(text);
  if (!exported)
    throw new UsageError(`--db-client ${value}: ${file} does not export ${exportName}.`, [
      "Export the drizzle instance (export const db = drizzle(...)) and pass its name.",
    ]);
  return {
    file,
    exportName,
    driver: /drizzle-orm\/postgres-js/.test(text) ? "postgres-js" : "node-postgres",
    hasSchema: true,
    declaredType: new RegExp(String.raw`\bexport\s+const\s+${name}\s*:`).test(text),
  };
}

/**
 * Applies what init was told over what it detected (the flags win: they exist for what detection cannot see), and
 * records it so later runs read the same tables and reuse the same instance. A bad value stops with exit 2.
 */
export function applyGivenSetup(host: FileHost, drizzle: DrizzleFacts, given: GivenSetup): void {
  const recorded: NonNullable<DrizzleFacts["given"]> = {};
  if (given.schema) {
    drizzle.schema = schemaFromFlag(host, given.schema);
    drizzle.schemaSource = "flag";
    recorded.schema = clean(given.schema);
  }
  if (given.dbClient) {
    drizzle.db = clientFromFlag(host, given.dbClient);
    recorded.dbClient = given.dbClient.trim();
  }
  if (recorded.schema !== undefined || recorded.dbClient !== undefined) drizzle.given = recorded;
}
