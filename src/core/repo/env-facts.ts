import path from "node:path";

import type { FileHost } from "../host.js";

export const DEFAULT_DATABASE_URL_ENV = "DATABASE_URL";

// A connection-string variable: DB_URL, DATABASE_URL, POSTGRES_URL, PG_CONNECTION_STRING...
const DATABASE_VARIABLE =
  /\b((?:[A-Z0-9]+_)*(?:DB|DATABASE|PG|POSTGRES|POSTGRESQL)(?:_[A-Z0-9]+)*_(?:URL|URI|CONNECTION_STRING))\b/;
const RELATIVE_IMPORT = /from\s+["'](\.\.?\/[^"']+)["']/g;
const SOURCE_EXTENSIONS = [".ts", ".js", "/index.ts", "/index.js"];

/** The file a relative import points at, resolved the way NodeNext and bundlers both accept. */
function resolveImport(host: FileHost, from: string, specifier: string): string | null {
  const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.[cm]?js$/, "");
  for (const candidate of [base, ...SOURCE_EXTENSIONS.map((extension) => `${base}${extension}`)]) {
    if (/\.[cm]?[jt]s$/.test(candidate) && host.read(candidate) !== null) return candidate;
  }
  return null;
}

/**
 * The variable the repo's own connection reads its URL from: in the db/pool module itself or in a
 * module it imports (an env module validating `DB_URL`). Null when it names none.
 */
export function findDatabaseUrlVariable(host: FileHost, connectionFile: string): { name: string; file: string } | null {
  const text = host.read(connectionFile) ?? "";
  const own = DATABASE_VARIABLE.exec(text);
  if (own?.[1]) return { name: own[1], file: connectionFile };
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    const imported = resolveImport(host, connectionFile, match[1] ?? "");
    const found = imported ? DATABASE_VARIABLE.exec(host.read(imported) ?? "") : null;
    if (imported && found?.[1]) return { name: found[1], file: imported };
  }
  return null;
}
