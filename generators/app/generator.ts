import {
  formatCommand,
  generateFiles,
  hashContent,
  installCommand,
  JOURNAL_FILE,
  loadTemplates,
  LOCK_DIR,
  MANIFEST_FILE,
  mergePackageJson,
  PACKAGE_JSON,
  readManifest,
  runScriptCommand,
  stageManifest,
  templateTarget,
  UsageError,
} from "../../src/devkit/declare.js";
import type { DrizzleLine, GeneratorResult, PackageManager, Tree } from "../../src/devkit/declare.js";
import { DEFAULT_LAYOUT } from "./layout.js";
import { createAppPackageJson } from "./package-json.js";

export interface AppOptions {
  /** Absolute directory of the new project. */
  directory: string;
  /** npm package name of the new project. */
  projectName: string;
  packageManager: PackageManager;
  install: boolean;
  git: boolean;
  /** Fastify server with /health; false means library-only. */
  server: boolean;
  /** drizzle-orm line the project is written for (`create --drizzle`). */
  drizzleLine: DrizzleLine;
  /** How the project's package.json depends on create-perf-backend. */
  toolSpec: string;
}

const JSON_INDENT = 2;
const DRIZZLE_V1_TEMPLATES = "app/drizzle-1";
const LISTED_EXTRA_FILES = 5;
/**
 * Entries that never make a directory "not empty" for a new project: VCS and OS files, what installing and
 * building the project makes (never walked: node_modules alone has tens of thousands of files), and the
 * engine's own lock and journal.
 */
const IGNORED_ENTRIES = new Set([
  ".git",
  ".DS_Store",
  "node_modules",
  "package-lock.json",
  "pnpm-lock.yaml",
  "yarn.lock",
  "bun.lock",
  "bun.lockb",
  "dist",
  "coverage",
  ".env",
  LOCK_DIR,
  JOURNAL_FILE,
]);

// The entry of each kind of project, as perf-backend.json records it: which kind a directory already holds.
const SERVER_ENTRY = "src/main.ts";
const LIBRARY_ENTRY = "src/index.ts";

/**
 * Re-running create on its own project with the same choices changes nothing; with the other kind (a service over a
 * library, or the reverse, in turn or at once: the lock runs them one after the other) it would lay one over the
 * other, a hybrid that does not compile.
 */
function refuseOtherKind(tree: Tree, options: AppOptions): void {
  const files = readManifest(tree)?.files ?? {};
  const holds =
    files[SERVER_ENTRY] !== undefined
      ? "an HTTP service"
      : files[LIBRARY_ENTRY] !== undefined
        ? "a library (--no-server)"
        : null;
  const wanted = options.server ? "an HTTP service" : "a library (--no-server)";
  if (holds === null || holds === wanted) return;
  throw new UsageError(
    `${options.directory} already holds a create-perf-backend project, ${holds}; creating ${wanted} over it would mix the two.`,
    ["Create the new project in another directory, or run create again with the choices it was made with."],
  );
}

/** A new project: the base infrastructure, package.json and perf-backend.json, all staged on the tree. */
export function appGenerator(tree: Tree, options: AppOptions): GeneratorResult {
  refuseOtherKind(tree, options);
  const existing = tree.listOriginalFiles("", IGNORED_ENTRIES);
  const data = {
    projectName: options.projectName,
    server: options.server,
    srcDir: DEFAULT_LAYOUT.srcDir,
    drizzleSchema: DEFAULT_LAYOUT.db.schemaBarrel,
    drizzleOut: DEFAULT_LAYOUT.db.migrationsDir,
    // A new project imports relatively: no tsconfig `paths` for vitest to mirror.
    aliases: [],
    // Every file of a new project is ours: lint them all.
    scopedLint: false,
    databaseUrlEnv: "DATABASE_URL",
    ownPool: true,
    // A new project names its columns itself: no drizzle casing option.
    casingOption: "",
    // Drizzle's default migrations table: no other package migrates this project's database.
    migrationsTable: "",
    // drizzle-orm 1.0: defineRelations and a client over them, drizzle-kit 1.0's folder per migration.
    drizzleV1: options.drizzleLine === "1",
  };
  // The 1.0 line's own modules (relations, drizzle-kit 1.0's migration folders) take the place of the base ones.
  const drizzleLineFiles = data.drizzleV1 ? [...loadTemplates(DRIZZLE_V1_TEMPLATES).keys()] : [];
  const written = [
    ...generateFiles(tree, "app/base", "", data, {
      place: (template) => (drizzleLineFiles.includes(template) ? null : templateTarget(template, data)),
    }),
    ...generateFiles(tree, options.server ? "app/server" : "app/library", "", data),
    ...(data.drizzleV1 ? generateFiles(tree, DRIZZLE_V1_TEMPLATES, "", data) : []),
  ].map((file) => file.path);
  const packageJson = createAppPackageJson({
    projectName: options.projectName,
    server: options.server,
    toolSpec: options.toolSpec,
    packageManager: options.packageManager,
    drizzleLine: options.drizzleLine,
  });
  const notes: string[] = [];
  const existingPackageJson = tree.read(PACKAGE_JSON);
  if (existingPackageJson !== null) {
    // Re-running create on its own project: keep what generators added since, add what is missing.
    const { dependencies, devDependencies, scripts } = packageJson as Record<string, Record<string, string>>;
    const merged = mergePackageJson(tree, { dependencies, devDependencies, scripts });
    const ours = readManifest(tree)?.files[PACKAGE_JSON] === hashContent(existingPackageJson);
    // The user's own package.json is never edited silently: the merge is a conflict that --on-conflict decides.
    if (!ours && merged.added.length > 0) {
      tree.write(PACKAGE_JSON, tree.read(PACKAGE_JSON) ?? "", { kind: "generate" });
      notes.push(
        `package.json is your own: adding ${String(merged.added.length)} dependencies and scripts to it is a conflict (--on-conflict overwrite adds them and keeps your entries; skip leaves it as it is, and the generated code will not compile until you add them).`,
      );
    }
  } else {
    tree.write(PACKAGE_JSON, `${JSON.stringify(packageJson, null, JSON_INDENT)}\n`);
  }
  written.push(PACKAGE_JSON, MANIFEST_FILE);

  // Re-running create on its own output keeps the layout and the hashes recorded by later generators.
  stageManifest(tree, readManifest(tree)?.layout ?? DEFAULT_LAYOUT);

  // Files later generators wrote (recorded in perf-backend.json) are the tool's too.
  const generated = new Set([...written, ...Object.keys(readManifest(tree)?.files ?? {})]);
  const extra = existing.filter((file) => !generated.has(file));
  if (extra.length > 0) {
    const listed = extra.slice(0, LISTED_EXTRA_FILES).join(", ");
    const more = extra.length > LISTED_EXTRA_FILES ? ` and ${String(extra.length - LISTED_EXTRA_FILES)} more` : "";
    tree.addConflict(
      ".",
      `the directory is not empty (${listed}${more}); use \`create-perf-backend init\` for an existing repo`,
    );
  }

  const run = (script: string): string => formatCommand(runScriptCommand(options.packageManager, script));
  return {
    notes,
    tasks: [
      ...(options.install ? [{ kind: "install" as const, packageManager: options.packageManager }] : []),
      ...(options.git ? [{ kind: "git-init" as const, commitMessage: "Initial commit from create-perf-backend" }] : []),
    ],
    nextSteps: [
      ...(options.install ? [] : [formatCommand(installCommand(options.packageManager))]),
      "cp .env.example .env   # then point DATABASE_URL and REDIS_URL at your services",
      run("test"),
      options.server ? run("dev") : run("build"),
      "npx plop   # add schema, repository, cache and worker modules",
    ],
  };
}
