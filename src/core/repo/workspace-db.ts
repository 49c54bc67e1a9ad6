import path from "node:path";

import type { FileHost } from "../host.js";
import { readDrizzleFacts } from "./drizzle-facts.js";
import type { PostgresDriver } from "./drizzle-facts.js";
import { findExportedConst, interestingSourceFiles } from "./source-scan.js";

/** A workspace package that owns the database (a Drizzle `db` and/or schema) and the app depends on. */
export interface WorkspaceDbPackage {
  name: string;
  /** Its folder, relative to the workspace root. */
  dir: string;
  /** The drizzle instance, imported from the package (`@acme/db`, `@acme/db/client`). */
  db: { specifier: string; exportName: string; driver: PostgresDriver } | null;
  /** Where its tables are exported from (a schema subpath, or the package itself). */
  schemaSpecifier: string | null;
  /** What the package declares (drizzle-orm, pg, postgres...): the app uses these versions, never others. */
  declared: Record<string, string>;
}

type PackageJson = Record<string, unknown>;

const SOURCE_ROOTS = ["src", "lib", "source"];
const SCHEMA_FILE = /(?:^|\/)schema(?:\/index)?\.[cm]?ts$/;
const TABLE_EXPORT = /export\s+const\s+\w+\s*=\s*\w*(?:pgTable|Table)\s*\(/;
const CODE_EXTENSION = /\.(?:d\.)?[cm]?[jt]sx?$/;
const ANY_FILE = /./;
const DEPENDENCY_SECTIONS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"];

function parse(text: string | null): PackageJson | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as PackageJson;
  } catch {
    return null;
  }
}

const declaredIn = (json: PackageJson): Record<string, string> =>
  Object.assign({}, ...DEPENDENCY_SECTIONS.map((section) => (json[section] ?? {}) as Record<string, string>)) as Record<
    string,
    string
  >;

/** The package globs of a workspace: package.json `workspaces` (npm, yarn) or pnpm-workspace.yaml. */
export function workspaceGlobs(host: FileHost, packageJson: { workspaces?: unknown }): string[] | null {
  const field = packageJson.workspaces;
  const fromField = Array.isArray(field)
    ? (field as string[])
    : ((field as { packages?: string[] } | undefined)?.packages ?? null);
  if (fromField) return fromField;
  const pnpm = host.read("pnpm-workspace.yaml");
  if (pnpm === null) return null;
  // Only the `packages:` list; pnpm's catalogs and settings follow other top-level keys.
  const globs: string[] = [];
  let inPackages = false;
  for (const line of pnpm.split(/\r?\n/)) {
    if (/^\S/.test(line)) inPackages = /^packages\s*:/.test(line);
    const item = inPackages ? /^\s+-\s*["']?([^"'#]+?)["']?\s*(?:#.*)?$/.exec(line) : null;
    if (item?.[1]) globs.push(item[1]);
  }
  return globs;
}

/** Package folders the globs name: `dir`, `dir/*` and `dir/**` (one level: packages are not nested deeper in practice). */
function expandGlobs(host: FileHost, globs: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const raw of globs) {
    if (raw.startsWith("!")) continue;
    const glob = raw.replace(/^\.\//, "").replace(/\/$/, "");
    const star = glob.indexOf("*");
    if (star === -1) {
      dirs.add(glob);
      continue;
    }
    const parent = glob.slice(0, star).replace(/\/$/, "");
    for (const name of host.list(parent)) {
      const dir = parent === "" ? name : `${parent}/${name}`;
      if (name !== "node_modules" && host.isDirectory(dir)) dirs.add(dir);
    }
  }
  return [...dirs].sort();
}

/** A view of `dir` inside `host`, so the repo scanners read a package as if it were the root. */
function scoped(host: FileHost, dir: string): FileHost {
  const at = (p: string): string => (p === "" ? dir : path.posix.join(dir, p));
  return { read: (p) => host.read(at(p)), list: (p) => host.list(at(p)), isDirectory: (p) => host.isDirectory(at(p)) };
}

/** The file an export condition points at (`types` first: the source of truth for what tsc sees). */
function conditionTarget(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return null;
  const conditions = value as Record<string, unknown>;
  for (const key of ["types", "import", "default", "require", "node"]) {
    const target = conditionTarget(conditions[key]);
    if (target) return target;
  }
  return null;
}

/** Subpath (".", "./schema") -> file, from `exports` or, without it, `types`/`main`. */
function exportEntries(json: PackageJson): Array<[string, string]> {
  const exports = json.exports;
  const clean = (file: string): string => path.posix.normalize(file.replace(/^\.\//, ""));
  if (typeof exports === "string") return [[".", clean(exports)]];
  if (exports && typeof exports === "object") {
    const keys = Object.keys(exports);
    if (keys.some((key) => key.startsWith("."))) {
      return keys.flatMap((key) => {
        const target = conditionTarget((exports as Record<string, unknown>)[key]);
        return target ? [[key, clean(target)] as [string, string]] : [];
      });
    }
    const target = conditionTarget(exports);
    return target ? [[".", clean(target)]] : [];
  }
  const main = [json.types, json.typings, json.module, json.main].find(
    (value): value is string => typeof value === "string",
  );
  return main ? [[".", clean(main)]] : [];
}

const stem = (file: string): string =>
  file
    .replace(CODE_EXTENSION, "")
    .replace(/^dist\//, "src/")
    .replace(/^build\//, "src/");

/** The subpath that exposes `file`: one pointing at it, else one whose entry re-exports it. */
function subpathOf(host: FileHost, entries: ReadonlyArray<[string, string]>, file: string): string | null {
  for (const [key, target] of entries) {
    if (!key.includes("*") && stem(target) === stem(file)) return key;
    if (key.includes("*") && target.includes("*")) {
      const [before = "", after = ""] = stem(target).split("*");
      const fileStem = stem(file);
      if (fileStem.startsWith(before) && fileStem.endsWith(after))
        return key.replace("*", fileStem.slice(before.length, fileStem.length - after.length));
    }
  }
  for (const [key, target] of entries) {
    if (key.includes("*")) continue;
    const entryFile = [target, `${stem(target)}.ts`].find((candidate) => host.read(candidate) !== null);
    if (!entryFile) continue;
    const relative = path.posix.relative(path.posix.dirname(entryFile), stem(file));
    const specifier = relative.startsWith(".") ? relative : `./${relative}`;
    const reExport = new RegExp(
      String.raw`export\s+(?:\*|\{[^}]*\})\s+from\s+["']${specifier.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(?:\.[cm]?[jt]s)?["']`,
    );
    if (reExport.test(host.read(entryFile) ?? "")) return key;
  }
  return null;
}

const specifierOf = (name: string, subpath: string): string =>
  subpath === "." ? name : `${name}/${subpath.replace(/^\.\//, "")}`;

/**
 * The workspace package the app (`consumer`) depends on that exports a Drizzle `db` or schema: found by
 * the dependency's name (`workspace:*`, `file:`, or npm's plain version of a workspace package).
 */
export function findWorkspaceDbPackage(
  rootHost: FileHost,
  globs: readonly string[],
  consumer: PackageJson,
  consumerDir: string,
): WorkspaceDbPackage | null {
  const consumed = declaredIn(consumer);
  for (const dir of expandGlobs(rootHost, globs)) {
    if (dir === consumerDir) continue;
    const json = parse(rootHost.read(`${dir}/package.json`));
    const name = typeof json?.name === "string" ? json.name : null;
    if (!json || !name || consumed[name] === undefined) continue;
    const host = scoped(rootHost, dir);
    const srcDir = SOURCE_ROOTS.find((candidate) => host.isDirectory(candidate)) ?? "";
    // A db package is all database: its entry (src/index.ts) counts as much as src/client.ts.
    const candidates = interestingSourceFiles(host, srcDir, ANY_FILE);
    const drizzle = readDrizzleFacts(host, candidates, new Set());
    const entries = exportEntries(json);
    const schemaFile =
      (drizzle.schema?.kind === "file" ? drizzle.schema.path : null) ??
      (drizzle.schema?.kind === "dir" ? `${drizzle.schema.path}/index.ts` : null) ??
      candidates.find((file) => SCHEMA_FILE.test(file) && TABLE_EXPORT.test(host.read(file) ?? "")) ??
      findExportedConst(host, candidates, /\w*(?:pgTable|Table)\(/, /drizzle-orm\/pg-core/)?.file ??
      null;
    const dbSubpath = drizzle.db ? subpathOf(host, entries, drizzle.db.file) : null;
    const schemaSubpath = schemaFile ? subpathOf(host, entries, schemaFile) : null;
    if (dbSubpath === null && schemaSubpath === null) continue;
    return {
      name,
      dir,
      db:
        drizzle.db && dbSubpath !== null
          ? { specifier: specifierOf(name, dbSubpath), exportName: drizzle.db.exportName, driver: drizzle.db.driver }
          : null,
      schemaSpecifier: schemaSubpath === null ? null : specifierOf(name, schemaSubpath),
      declared: declaredIn(json),
    };
  }
  return null;
}
