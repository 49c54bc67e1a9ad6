import { compareText } from "./format/compare-text.js";
import { packageInfo } from "./packages/package-root.js";
import { MANIFEST_SPEC } from "./state/manifest-schema.js";
import { readStateFile } from "./state/state-file.js";
import type { Tree } from "./tree.js";

export const MANIFEST_FILE = "perf-backend.json";
export const MANIFEST_VERSION = 1;

/** Where generators put and find things; recorded once by create/init, read by every later run. */
export interface PathAlias {
  /** What imports start with, e.g. "@/". */
  prefix: string;
  /** The directory it stands for, relative to the project root, e.g. "src/". */
  target: string;
}

export interface ProjectLayout {
  srcDir: string;
  /** "nodenext": relative imports end in `.js`; "bundler": no suffix. */
  importStyle: "nodenext" | "bundler";
  /** "cjs" projects cannot use `import.meta` (defaults to "esm"). */
  moduleSystem?: "esm" | "cjs";
  /** tsconfig `paths` aliases generated code should use for imports across directories. */
  aliases?: PathAlias[];
  /** The newest ECMAScript edition the tsconfig's `lib` (or `target`) declares, recorded only when older than ES2022. */
  esLib?: number;
  /** false: the tsconfig's target (below ES2020) refuses BigInt literals; generated `1n` is written `BigInt(1)`. */
  bigintLiterals?: false;
  /** false: the tsconfig has no esModuleInterop (nor allowSyntheticDefaultImports), so CommonJS default imports do not compile. */
  defaultImports?: false;
  /** Where the repo keeps its tests (`test`): generated tests go there, mirroring srcDir, not beside the modules. */
  testsDir?: string;
  db: {
    /** Driver of the project's drizzle instance (default node-postgres). */
    driver?: "node-postgres" | "postgres-js";
    /** A `pgTableCreator` factory new tables must use instead of `pgTable`. */
    tableFactory?: { file: string; exportName: string };
    pool: string;
    client: string;
    transaction: string;
    schemaDir: string;
    /** Between the table's name and `.ts` in a new schema file (`.schema` where drizzle-kit reads `*.schema.ts`). */
    schemaFileSuffix?: string;
    schemaBarrel: string;
    migrationsDir: string;
    /** `init --schema`: the file, folder or glob of the repo's tables, read besides schemaDir and schemaBarrel. */
    schema?: string;
    /** `init --db-client`: the repo's drizzle instance as `<module>#<export>`, reused by the generated client. */
    dbClient?: string;
  };
  repositoriesDir: string;
  cache: { client: string; dir: string };
  workers: { dir: string; pools: string; resolveWorkerFile: string };
  shutdown: string;
}

export interface Manifest {
  version: number;
  generatedBy: string;
  layout: ProjectLayout;
  /** Hash of every file the tool wrote, as it wrote it. */
  files: Record<string, string>;
}

export function readManifest(tree: Tree, original = true): Manifest | null {
  const text = original ? tree.readOriginal(MANIFEST_FILE) : tree.read(MANIFEST_FILE);
  if (text === null) return null;
  return readStateFile(MANIFEST_SPEC, text) as Manifest;
}

const JSON_INDENT = 2;

export function serializeManifest(manifest: Manifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => compareText(a, b)));
  return `${JSON.stringify({ ...manifest, files }, null, JSON_INDENT)}\n`;
}

/** A layout with the optional fields whose absence means a value spelled out, so two spellings compare equal. */
function withDefaults(layout: ProjectLayout): ProjectLayout {
  return {
    ...layout,
    moduleSystem: layout.moduleSystem ?? "esm",
    aliases: layout.aliases ?? [],
    db: { ...layout.db, driver: layout.db.driver ?? "node-postgres" },
  };
}

/** JSON with every object's keys sorted (code-unit order: any fixed order will do, and it needs no ICU collator). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** `next` with the keys `previous` has first, in its order (nested objects too), then its new keys. */
function inKeyOrderOf<T>(previous: unknown, next: T): T {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === "object" && !Array.isArray(value);
  if (!isObject(previous) || !isObject(next)) return next;
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(previous)) if (key in next) ordered[key] = inKeyOrderOf(previous[key], next[key]);
  for (const key of Object.keys(next)) if (!(key in ordered)) ordered[key] = next[key];
  return ordered as T;
}

/**
 * Stages perf-backend.json for `layout`, keeping the file hashes an earlier run recorded. A layout that says what the
 * recorded one says (defaults spelled out or not, keys in another order) keeps the file as it is, so a re-run of
 * init plans nothing; a changed one keeps the recorded key order.
 */
export function stageManifest(tree: Tree, layout: ProjectLayout): void {
  const previous = readManifest(tree);
  const { name, version } = packageInfo();
  const unchanged = previous !== null && canonical(withDefaults(previous.layout)) === canonical(withDefaults(layout));
  tree.write(
    MANIFEST_FILE,
    serializeManifest({
      version: MANIFEST_VERSION,
      generatedBy: unchanged ? previous.generatedBy : `${name}@${version}`,
      layout: unchanged ? previous.layout : inKeyOrderOf(previous?.layout, layout),
      files: previous?.files ?? {},
    }),
    { kind: "edit" },
  );
}
