import path from "node:path";

import lessThan from "semver/functions/lt.js";
import minVersion from "semver/ranges/min-version.js";

import {
  adaptDependencies,
  buildEmitsTests,
  DEFAULT_DATABASE_URL_ENV,
  DRIZZLE_LINES,
  addDependencies,
  editSourceFile,
  ensureExportStar,
  GenerationError,
  generateFiles,
  moduleSpecifier,
  pinnedDependencies,
  PROJECT_SCRIPTS,
  projectScripts,
  renderTemplateFile,
  rewriteModuleSpecifiers,
  runScriptCommand,
  formatCommand,
  stageManifest,
  TYPESCRIPT_FILE,
} from "../../src/devkit/index.js";
import type {
  DependencyName,
  GeneratorResult,
  PackageManager,
  ProjectLayout,
  RepoFacts,
  ToolchainFacts,
  Tree,
} from "../../src/devkit/index.js";
import { planDrizzleV1, relationsBinding } from "./drizzle-v1.js";
import type { DrizzleV1Relations } from "./drizzle-v1.js";
import { casingOption, planModules } from "./module-plan.js";
import type { ModulePlan } from "./module-plan.js";
import { planTestRunner } from "./test-runner.js";
import { declareTurboEnv } from "./turbo-env.js";

export interface InitOptions {
  /** What the repo already has, read before anything is staged. */
  facts: RepoFacts;
  packageManager: PackageManager;
  /** How package.json depends on create-perf-backend. */
  toolSpec: string;
  /** Files an earlier run wrote (perf-backend.json): ours to regenerate, not the user's. */
  owned: ReadonlySet<string>;
  /** The workspace root's packages and what is installed: versions to use, peers not to break. */
  toolchain: ToolchainFacts;
  /** What reading the repo found worth saying (where its drizzle client was found). */
  notes?: string[];
}

const NODENEXT = { importStyle: "nodenext" as const };
const RELATIVE = /^\.\.?\//;
const SAMPLE_TEST = "shutdown.test.ts";
const CLIENT_TEMPLATE = "src/db/client.ts";
const DRIZZLE_MIGRATIONS_TABLE = "__drizzle_migrations";
// The first drizzle-kit that loads schema files through tsx (0.31.9 and before: esbuild-register, no `.js` -> `.ts`).
const DRIZZLE_KIT_LOADS_JS_IMPORTS = "0.31.10";
// PostgreSQL truncates longer identifiers (NAMEDATALEN - 1).
const POSTGRES_IDENTIFIER_MAX = 63;
const SCHEMA_TEMPLATE = "src/db/schema/index.ts";
// Where a new 1.0 project keeps its defineRelations: the base client imports it from there.
const RELATIONS_TEMPLATE = "src/db/schema/relations.ts";
const CLIENT_ADAPTER = /^db-client-/;
const DEFAULT_TESTS_DIR = "test";
const PACKAGE_JSON = "package.json";
const LINT_PACKAGES: DependencyName[] = [
  "eslint",
  "@eslint/js",
  "typescript-eslint",
  "eslint-plugin-import-x",
  "eslint-plugin-unicorn",
  "globals",
];

/** Points a base module's relative imports at where their targets live in this repo. */
async function relocateImports(tree: Tree, templatePath: string, dest: string, plan: ModulePlan): Promise<void> {
  await editSourceFile(tree, dest, (sourceFile, tsMorph) => {
    rewriteModuleSpecifiers(sourceFile, tsMorph, (specifier) => {
      if (!RELATIVE.test(specifier)) return undefined;
      const original = path.posix.join(path.posix.dirname(templatePath), specifier.replace(/\.js$/, ".ts"));
      // The client's schema is the shared tables + this package's own where a workspace db package exports only tables.
      const clientSchema = templatePath === CLIENT_TEMPLATE && original === SCHEMA_TEMPLATE ? plan.clientSchema : null;
      const target = clientSchema ?? plan.modules.get(original) ?? plan.baseFiles.get(original);
      if (!target)
        throw new GenerationError(`init: ${templatePath} imports ${original}, which this repo has no place for.`);
      return moduleSpecifier(NODENEXT, dest, target);
    });
  });
}

interface PackagePlan {
  additions: {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    scripts: Record<string, string>;
  };
  /** Packages the workspace keeps per package (its db package declares them): they stay in this package too. */
  inPackage: string[];
  notes: string[];
}

/**
 * What package.json gains, adapted to the repo's toolchain. When any of our ESLint packages would clash
 * with what is installed, the whole lint setup is left out (a config whose plugins cannot load breaks
 * the repo's lint), and so is it when the workspace root has an ESLint config the package already uses.
 */
function planPackages(options: InitOptions, plan: ModulePlan, drizzleV1: boolean): PackagePlan {
  const { facts, toolchain } = options;
  const notes: string[] = [];
  const rootEslint = toolchain.workspaceRoot?.eslintConfig;
  if (rootEslint && plan.baseFiles.delete("eslint.config.js")) {
    notes.push(`Kept the workspace root's ${rootEslint} (ESLint finds it from this package); no second config added.`);
  }
  const runtime: DependencyName[] = ["drizzle-orm", "redis", "piscina", "pino"];
  const dev: DependencyName[] = ["drizzle-kit", "vitest", "tsx", "plop", "typescript", "@types/node"];
  if (plan.layout.db.driver !== "postgres-js") {
    runtime.push("pg");
    dev.push("@types/pg");
  }
  let addsLint = plan.baseFiles.has("eslint.config.js");
  if (addsLint) dev.push(...LINT_PACKAGES);
  const wanted: Record<string, string> = { ...pinnedDependencies(runtime), ...pinnedDependencies(dev) };
  // A 1.0 repo without drizzle-kit gets the kit of its line (0.x kits do not read 1.0 schemas).
  if (drizzleV1) Object.assign(wanted, DRIZZLE_LINES["1"]);
  // The workspace db package's versions (drizzle-orm, pg...) are the app's too: one copy, never a second stack.
  const shared = toolchain.workspaceDb;
  const sameAsShared = Object.keys(wanted).filter(
    (name) => shared?.declared[name] !== undefined && toolchain.workspaceRoot?.declared[name] === undefined,
  );
  for (const name of sameAsShared) wanted[name] = shared?.declared[name] ?? "";
  if (shared && sameAsShared.length > 0) {
    notes.push(
      `package.json: ${sameAsShared.map((name) => `${name}@${wanted[name] ?? ""}`).join(", ")} as your workspace's ${shared.name} has them.`,
    );
  }
  const adapted = adaptDependencies(wanted, toolchain);
  notes.push(...adapted.notes);
  const drizzleKit =
    toolchain.workspaceRoot?.declared["drizzle-kit"] ??
    facts.packageJson.devDependencies?.["drizzle-kit"] ??
    facts.packageJson.dependencies?.["drizzle-kit"] ??
    adapted.additions["drizzle-kit"];
  const oldestKit = drizzleKit ? minVersion(drizzleKit) : null;
  if (plan.layout.importStyle === "nodenext" && oldestKit && lessThan(oldestKit, DRIZZLE_KIT_LOADS_JS_IMPORTS)) {
    notes.push(
      `drizzle-kit ${drizzleKit} loads schema files through esbuild-register, which cannot resolve the \`.js\` imports NodeNext needs (\`./users.js\`): db:generate needs drizzle-kit >= ${DRIZZLE_KIT_LOADS_JS_IMPORTS}.`,
    );
  }
  const lintConflicts = adapted.conflicts.filter((conflict) => (LINT_PACKAGES as string[]).includes(conflict.name));
  if (addsLint && lintConflicts.length > 0) {
    plan.baseFiles.delete("eslint.config.js");
    addsLint = false;
    notes.push("Skipped our ESLint config and lint script: its packages clash with the installed ones (see above).");
  }
  const pick = (names: readonly DependencyName[]): Record<string, string> =>
    Object.fromEntries(
      names
        .filter(
          (name) => adapted.additions[name] !== undefined && (addsLint || !(LINT_PACKAGES as string[]).includes(name)),
        )
        .map((name) => [name, adapted.additions[name] ?? ""]),
    );
  const scripts = projectScripts([
    "test",
    "typecheck",
    "db:generate",
    "db:migrate",
    ...(addsLint ? (["lint"] as const) : []),
  ]);
  // A repo whose test script runs something else keeps it; ours is then reachable as test:perf.
  if (facts.packageJson.scripts?.test && facts.packageJson.scripts.test !== PROJECT_SCRIPTS.test)
    scripts["test:perf"] = PROJECT_SCRIPTS.test;
  return {
    additions: {
      dependencies: pick(runtime),
      devDependencies: { ...pick(dev), "create-perf-backend": options.toolSpec },
      scripts,
    },
    inPackage: sameAsShared,
    notes,
  };
}

/**
 * Where generated tests go (recorded as layout.testsDir; the pipeline moves them there): the repo's own tests
 * folder when its sources hold no tests, else `test/` when the build would compile tests beside the modules
 * into its output (init never edits the repo's tsconfig), else beside the modules.
 */
async function placeTests(tree: Tree, options: InitOptions, layout: ProjectLayout): Promise<string | null> {
  const { facts } = options;
  if (facts.testsDir) {
    layout.testsDir = facts.testsDir;
    return `Generated tests go to ${facts.testsDir}/ (where your tests live), mirroring ${layout.srcDir}/.`;
  }
  const emitting = await buildEmitsTests(tree, facts.packageJson.scripts?.build, `${layout.srcDir}/${SAMPLE_TEST}`);
  if (!emitting) return null;
  layout.testsDir = DEFAULT_TESTS_DIR;
  return `Generated tests go to ${DEFAULT_TESTS_DIR}/ (mirroring ${layout.srcDir}/): your build (${emitting}) would compile *.test.ts files under ${layout.srcDir}/ into its output.`;
}

/**
 * drizzle-kit's migrations table for a config init writes in a package of a workspace: the packages of one
 * workspace often migrate one database, and drizzle's migrator applies only migrations newer than the newest
 * row of its table, so a shared default `__drizzle_migrations` would silently skip one package's migrations.
 */
function migrationsTable(options: InitOptions, plan: ModulePlan): string {
  const inWorkspace = options.toolchain.workspaceRoot !== null || Boolean(options.toolchain.workspaceDb);
  if (!inWorkspace || !plan.baseFiles.has("drizzle.config.ts")) return "";
  const name = (options.facts.packageJson.name ?? "app")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `${DRIZZLE_MIGRATIONS_TABLE}_${name}`.slice(0, POSTGRES_IDENTIFIER_MAX);
}

// The object a drizzle config exports: `defineConfig({`, `export default {`, `module.exports = {`.
const CONFIG_OBJECT_START = /(?:defineConfig\(\s*\{|export\s+default\s*\{|module\.exports\s*=\s*\{)[ \t]*\r?\n([ \t]*)/;

/**
 * The repo's drizzle config gains `schema` when it has none (a config made for drizzle-kit pull): drizzle-kit generate
 * refuses to run without it. One added line; a config of another shape gets a note saying what to add.
 */
function addConfigSchema(tree: Tree, configFile: string | null, barrel: string | null): string | null {
  if (!configFile || !barrel) return null;
  const text = tree.read(configFile);
  if (text === null || /\bschema\s*:/.test(text)) return null;
  const entry = `./${barrel}`;
  const match = CONFIG_OBJECT_START.exec(text);
  if (!match) return `${configFile} names no schema, which drizzle-kit generate needs: add schema: "${entry}".`;
  const quote = /'/.test(text) && !/"/.test(text) ? "'" : '"';
  const line = `${match[1] ?? "  "}schema: ${quote}${entry}${quote},${text.includes("\r\n") ? "\r\n" : "\n"}`;
  const at = match.index + match[0].length - (match[1] ?? "").length;
  tree.write(configFile, `${text.slice(0, at)}${line}${text.slice(at)}`, { kind: "edit" });
  return `${configFile}: added schema: "${entry}" (drizzle-kit generate needs it; pull keeps writing to its out folder).`;
}

/**
 * The client adapters' drizzle-orm line: on 1.0, `drizzle({ client, relations })` over the repo's defineRelations
 * export (and the base client's `./schema/relations.js` import points at it); on 0.x, `{ schema }` as before.
 */
function useRelations(plan: ModulePlan, drizzleV1: DrizzleV1Relations | null): void {
  if (drizzleV1) plan.modules.set(RELATIONS_TEMPLATE, drizzleV1.file);
  if (drizzleV1?.placed)
    plan.adapters.push({
      template: "relations.ts",
      dest: drizzleV1.file,
      data: { schemaImport: plan.layout.db.schemaBarrel },
    });
  for (const adapter of plan.adapters.filter((candidate) => CLIENT_ADAPTER.test(candidate.template))) {
    if (drizzleV1) adapter.data.relationsImport = drizzleV1.file;
    adapter.packageData = {
      ...adapter.packageData,
      drizzleV1: drizzleV1 ? "true" : "",
      relationsBinding: drizzleV1 ? relationsBinding(drizzleV1.exportName) : "",
      // drizzle-orm 1.0's client has no casing option: its tables carry it (snakeCase.table).
      ...(drizzleV1 ? { casingOption: "" } : {}),
    };
  }
}

/** The base client imports `{ relations }`: the repo's export may have another name (`appRelations as relations`). */
function bindRelationsExport(tree: Tree, file: string, drizzleV1: DrizzleV1Relations): void {
  const binding = relationsBinding(drizzleV1.exportName);
  const text = tree.read(file);
  if (text === null || binding === "relations") return;
  tree.write(file, text.replace(/import \{ relations \} from/, `import { ${binding} } from`));
}

/** Adds the base infrastructure to an existing repo, adapted to what it already has; never clobbers. */
export async function initGenerator(tree: Tree, options: InitOptions): Promise<GeneratorResult> {
  const plan = planModules(tree, { ...options, workspaceDb: options.toolchain.workspaceDb ?? null });
  const { layout } = plan;
  const drizzleV1 = await planDrizzleV1(tree, options.facts, options.toolchain, plan, options.owned);
  useRelations(plan, drizzleV1);
  const testsNote = await placeTests(tree, options, layout);
  // After placeTests: a repo whose own runner would run generated tests gets them in a folder of their own.
  const testRunner = await planTestRunner(tree, options.facts, layout);
  // Decided first: a lint setup that cannot install is not placed at all.
  const packages = planPackages(options, plan, drizzleV1 !== null);
  const data = {
    projectName: options.facts.packageJson.name ?? "app",
    // A Fastify service (e.g. one `create` made) keeps the shutdown that also closes its server.
    server: options.facts.packageJson.dependencies?.fastify !== undefined,
    srcDir: layout.srcDir,
    drizzleSchema: layout.db.schemaBarrel,
    drizzleOut: layout.db.migrationsDir,
    // `~/` -> `src/`: vitest resolves the generated modules' alias imports the way tsc does.
    aliases: (layout.aliases ?? []).map((alias) => ({
      find: alias.prefix.replace(/\/$/, ""),
      target: alias.target.replace(/\/$/, ""),
    })),
    // Our ESLint config lints only what we generated: the repo's own code keeps its own rules (or none). In a project
    // `create` made (it generated package.json; init only edits one) all code is the project's: its config lints it all.
    scopedLint: !options.owned.has(PACKAGE_JSON),
    // The repo's own connection keeps its variable (DB_URL through its env module); .env.example lists it.
    databaseUrlEnv: options.facts.databaseUrlEnv?.name ?? DEFAULT_DATABASE_URL_ENV,
    ownPool: plan.baseFiles.has("src/db/pool.ts"),
    casingOption: drizzleV1 ? "" : casingOption(options.facts),
    testsDir: layout.testsDir ?? "",
    testsOnly: testRunner.testsOnly,
    migrationsTable: migrationsTable(options, plan),
    // The base templates' drizzle-orm 1.0 forms: a client over the repo's relations, drizzle-kit 1.0's config.
    drizzleV1: drizzleV1 !== null,
  };

  // The same base templates a new project gets, each placed where the module plan says (or skipped).
  const placed = generateFiles(tree, "app/base", "", data, {
    place: (template) => plan.baseFiles.get(template) ?? null,
  });
  for (const file of placed) {
    if (file.written && TYPESCRIPT_FILE.test(file.path)) await relocateImports(tree, file.template, file.path, plan);
    if (file.written && file.template === CLIENT_TEMPLATE && drizzleV1) bindRelationsExport(tree, file.path, drizzleV1);
  }
  for (const adapter of plan.adapters) {
    const imports = Object.fromEntries(
      Object.entries(adapter.data).map(([key, value]) => [
        key,
        key.endsWith("Import") ? moduleSpecifier(NODENEXT, adapter.dest, value) : value,
      ]),
    );
    tree.write(adapter.dest, renderTemplateFile("init", adapter.template, { ...imports, ...adapter.packageData }));
  }
  // A schema folder without an index gets one that re-exports its tables.
  if (plan.newSchemaIndex) {
    for (const table of plan.schemaIndexFiles) {
      await ensureExportStar(tree, layout.db.schemaBarrel, moduleSpecifier(layout, layout.db.schemaBarrel, table));
    }
  }

  const configNote = addConfigSchema(tree, options.facts.drizzle.configFile, plan.configSchema);
  const turboNote = declareTurboEnv(tree, options.toolchain.workspaceRoot?.turboTasks, data.databaseUrlEnv);

  const dependencies = addDependencies(tree, packages.additions, options.packageManager, {
    inPackage: packages.inPackage,
  });
  const notes = [...(options.notes ?? []), ...(drizzleV1?.notes ?? []), ...plan.notes, ...packages.notes];
  if (dependencies.added.length > 0) notes.push(`package.json: added ${dependencies.added.join(", ")}.`);
  notes.push(...dependencies.notes);
  if (dependencies.addedToRoot.length > 0) {
    notes.push(
      `${tree.workspaceManifest ?? ""} (the workspace root keeps the dev toolchain): added ${dependencies.addedToRoot.join(", ")}.`,
    );
  }
  if (configNote) notes.push(configNote);
  if (turboNote) notes.push(turboNote);
  if (testsNote && !testRunner.testsOnly) notes.push(testsNote);
  notes.push(...testRunner.notes);
  stageManifest(tree, layout);

  const run = (script: string): string => formatCommand(runScriptCommand(options.packageManager, script));
  return {
    tasks: dependencies.tasks,
    facts: { packageManager: options.packageManager },
    notes,
    nextSteps: [
      run(
        options.facts.packageJson.scripts?.test && options.facts.packageJson.scripts.test !== PROJECT_SCRIPTS.test
          ? "test:perf"
          : "test",
      ),
      "npx create-perf-backend generate schema <table> --columns ...   # or: npx plop",
    ],
  };
}
