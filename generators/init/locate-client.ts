import path from "node:path";

import { locateRepoDrizzleClient } from "../../src/devkit/index.js";
import type { FileHost, RepoDrizzleClient, RepoFacts } from "../../src/devkit/index.js";

type DrizzleFacts = RepoFacts["drizzle"];
type SchemaEntry = NonNullable<DrizzleFacts["schema"]>;

const INDEX_FILE = /\/index\.[cm]?tsx?$/;

/** The folder every file is in (`src/db/schema/users.ts`, `src/db/schema/posts.ts` -> `src/db/schema`). */
function commonFolder(files: readonly string[]): string {
  const [first, ...rest] = files.map((file) => path.posix.dirname(file).split("/"));
  const shared = [...(first ?? [])];
  for (const parts of rest) {
    let same = 0;
    while (same < shared.length && shared[same] === parts[same]) same++;
    shared.length = same;
  }
  return shared.join("/");
}

/**
 * The client's `{ schema }` as a schema entry: one module (a folder when it is an index, with the index as the
 * barrel), or the folder its spreads share; either keeps the config's glob so new tables get names drizzle-kit reads.
 */
function schemaOfClient(client: RepoDrizzleClient, glob: string | undefined): SchemaEntry | null {
  const files = client.schemaFiles;
  const [only] = files;
  if (files.length === 1 && only) {
    if (!INDEX_FILE.test(only)) return { kind: "file", path: only };
    return { kind: "dir", path: path.posix.dirname(only), ...(glob ? { glob, barrel: only } : {}) };
  }
  const folder = files.length > 1 ? commonFolder(files) : "";
  // Spread files keep the config's glob too: a new table must be named so drizzle-kit reads it (`*.entity.ts`).
  return folder ? { kind: "dir", path: folder, ...(glob ? { glob } : {}) } : null;
}

/**
 * A schema the client says better than what was found: none, a conventional guess, or a recursive glob (drizzle-kit's
 * `src/**\/*.entity.ts`, whose files only the client's `{ schema }` gathers into the one module `db.query` sees).
 */
const clientSchemaWins = (drizzle: DrizzleFacts): boolean =>
  drizzle.schemaSource !== "flag" &&
  (drizzle.schema === null || drizzle.schemaSource === "convention" || (drizzle.schema.glob?.includes("**") ?? false));

/**
 * Follows the repo's `drizzle(...)` call wherever it is (a NestJS provider factory, a service method, a default
 * export) with the AST reader, where the text scan of inspectRepo finds only `export const db = drizzle(`: an
 * importable instance is reused, and a client made inside a function gives its driver (the stack generated code
 * uses) and its `{ schema }`. Returns a note for init's output, or null when there is nothing new.
 */
export async function locateClient(
  host: FileHost,
  facts: RepoFacts,
  owned: ReadonlySet<string>,
): Promise<string | null> {
  const { drizzle } = facts;
  if (drizzle.db?.hasSchema && !clientSchemaWins(drizzle)) return null;
  const client = await locateRepoDrizzleClient(host, owned);
  if (!client || client.driver === "other") return null;
  const notes: string[] = [];
  if (!drizzle.db && client.exportName) {
    drizzle.db = {
      file: client.file,
      exportName: client.exportName,
      driver: client.driver,
      hasSchema: client.hasSchema,
      declaredType: client.declaredType,
    };
  } else if (!drizzle.db) {
    drizzle.client = { file: client.file, line: client.line, driver: client.driver };
    notes.push(
      `Your drizzle client (${client.driver}) is made inside a function in ${client.file}:${client.line}, so it cannot be imported: generated code opens its own ${client.driver} connection with the same schema.`,
    );
  }
  const glob = drizzle.schema?.glob;
  const schema = schemaOfClient(client, glob);
  if (schema && clientSchemaWins(drizzle)) {
    drizzle.schema = schema;
    drizzle.schemaSource = "client";
    notes.push(`Schema: read from what ${client.file} passes to drizzle() (${schema.barrel ?? schema.path}).`);
  } else if (
    glob &&
    drizzle.schema?.kind === "dir" &&
    schema?.barrel &&
    path.posix.dirname(schema.barrel) === drizzle.schema.path
  ) {
    // The config's glob skips the folder's index, which the client imports: that index is the barrel, not a new one.
    drizzle.schema.barrel = schema.barrel;
  }
  return notes.length > 0 ? notes.join(" ") : null;
}
