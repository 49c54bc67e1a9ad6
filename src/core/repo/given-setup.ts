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
// `export { db } from "./client"`, `export { client as db } from "./client.js"`, `export * from "./client"`.
const NAMED_RE_EXPORT = /\bexport\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/g;
const STAR_RE_EXPORT = /\bexport\s*\*\s*from\s*["']([^"']+)["']/g;
// Barrels in front of the module that makes the instance: a few at most in practice.
const MAX_RE_EXPORTS = 4;
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
  const declaring = declaringModule(host, file, exportName, MAX_RE_EXPORTS);
  if (declaring === null)
    throw new UsageError(`--db-client ${value}: ${file} does not export ${exportName}.`, [
      "Export the drizzle instance (export const db = drizzle(...)) and pass its name.",
    ]);
  if (typeof declaring === "string")
    throw new UsageError(
      `--db-client ${value}: ${file} re-exports ${exportName} from ${declaring}, which init cannot read, so the driver is unknown.`,
      [`Pass the module that makes the instance instead (the file with its drizzle(...) call), as <module>#<export>.`],
    );
  const driver = /\bdrizzle-orm\/postgres-js\b/.test(declaring.text)
    ? "postgres-js"
    : /\bdrizzle-orm\/node-postgres\b/.test(declaring.text)
      ? "node-postgres"
      : null;
  if (driver === null)
    throw new UsageError(
      `--db-client ${value}: ${declaring.file} imports neither drizzle-orm/node-postgres nor drizzle-orm/postgres-js, so the driver is unknown.`,
      ["Generated code serves those two drivers: pass the module whose drizzle(...) call uses one of them."],
    );
  return {
    file,
    exportName,
    driver,
    hasSchema: true,
    declaredType: new RegExp(String.raw`\bexport\s+const\s+${escape(declaring.name)}\s*:`).test(declaring.text),
  };
}

/** A relative module specifier of `from` as a source file of the package, or null. */
function resolveRelative(host: FileHost, from: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.[cm]?js$/, "");
  return (
    [...SOURCE_EXTENSIONS.map((ext) => `${base}${ext}`), ...SOURCE_EXTENSIONS.map((ext) => `${base}/index${ext}`)].find(
      (candidate) => host.read(candidate) !== null,
    ) ?? null
  );
}

/**
 * The module that declares `exportName` of `file`, followed through re-export barrels (`export { db } from "./client"`,
 * `export { client as db } from`, `export * from`): its text decides the driver. A string is a re-export init cannot
 * follow (a package or an alias); null: nothing exports the name.
 */
function declaringModule(
  host: FileHost,
  file: string,
  exportName: string,
  depth: number,
): { file: string; text: string; name: string } | string | null {
  const text = host.read(file);
  if (text === null || depth < 0) return null;
  const name = escape(exportName);
  const declared =
    exportName === "default"
      ? /\bexport\s+default\b/.test(text)
      : new RegExp(String.raw`\bexport\s+(?:const|let|var)\s+${name}\b`).test(text) ||
        new RegExp(String.raw`\bexport\s*\{[^}]*\b${name}\b[^}]*\}(?!\s*from)`).test(text);
  if (declared) return { file, text, name: exportName };
  for (const match of text.matchAll(NAMED_RE_EXPORT)) {
    const [, names = "", specifier = ""] = match;
    for (const entry of names.split(",")) {
      const [local = "", alias = local] = entry.trim().split(/\s+as\s+/);
      if (alias.trim() !== exportName) continue;
      const target = resolveRelative(host, file, specifier);
      return target ? declaringModule(host, target, local.trim(), depth - 1) : specifier;
    }
  }
  if (exportName === "default") return null;
  for (const match of text.matchAll(STAR_RE_EXPORT)) {
    const specifier = match[1] ?? "";
    const target = resolveRelative(host, file, specifier);
    if (!target) return specifier;
    const found = declaringModule(host, target, exportName, depth - 1);
    if (found !== null) return found;
  }
  return null;
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
