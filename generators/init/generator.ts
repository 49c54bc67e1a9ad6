import path from "node:path";

import { ensureExportStar } from "../../src/core/ast/barrel.js";
import { editSourceFile } from "../../src/core/ast/edit-source.js";
import { rewriteModuleSpecifiers } from "../../src/core/ast/module-specifiers.js";
import { pinnedDependencies } from "../../src/core/dependency-versions.js";
import type { DependencyName } from "../../src/core/dependency-versions.js";
import { GenerationError } from "../../src/core/errors.js";
import type { GeneratorResult } from "../../src/core/generator.js";
import { stageManifest } from "../../src/core/manifest.js";
import { describeDiffering, mergePackageJson } from "../../src/core/package-json.js";
import { formatCommand, runScriptCommand } from "../../src/core/package-manager.js";
import { moduleSpecifier, TYPESCRIPT_FILE } from "../../src/core/paths.js";
import { isBarrel, loadTemplates, renderString, renderTemplateFile } from "../../src/core/render.js";
import type { Tree } from "../../src/core/tree.js";
import { planModules } from "./module-plan.js";
import type { ModulePlan } from "./module-plan.js";
import type { InitOptions } from "./options.js";

const NODENEXT = { importStyle: "nodenext" as const };
const RELATIVE = /^\.\.?\//;
const LINT_PACKAGES: DependencyName[] = ["eslint", "@eslint/js", "typescript-eslint", "eslint-plugin-import-x", "eslint-plugin-unicorn", "globals"];


/** Points a base module's relative imports at where their targets live in this repo. */
async function relocateImports(tree: Tree, templatePath: string, dest: string, plan: ModulePlan): Promise<void> {
  await editSourceFile(tree, dest, (sourceFile, tsMorph) => {
    rewriteModuleSpecifiers(sourceFile, tsMorph, (specifier) => {
      if (!RELATIVE.test(specifier)) return undefined;
      const original = path.posix.join(path.posix.dirname(templatePath), specifier.replace(/\.js$/, ".ts"));
      const target = plan.modules.get(original) ?? plan.baseFiles.get(original);
      if (!target) throw new GenerationError(`init: ${templatePath} imports ${original}, which this repo has no place for.`);
      return moduleSpecifier(NODENEXT, dest, target);
    });
  });
}

function packageAdditions(options: InitOptions, plan: ModulePlan) {
  const { facts } = options;
  const runtime: DependencyName[] = ["drizzle-orm", "redis", "piscina", "pino"];
  const dev: DependencyName[] = ["drizzle-kit", "vitest", "tsx", "plop", "typescript", "@types/node"];
  if (plan.layout.db.driver !== "postgres-js") {
    runtime.push("pg");
    dev.push("@types/pg");
  }
  const addsLint = plan.baseFiles.has("eslint.config.js");
  if (addsLint) dev.push(...LINT_PACKAGES);
  const scripts: Record<string, string> = {
    test: "vitest run",
    typecheck: "tsc --noEmit",
    "db:generate": "drizzle-kit generate",
    "db:migrate": "drizzle-kit migrate",
    ...(addsLint ? { lint: "eslint ." } : {}),
  };
  // A repo whose test script runs something else keeps it; ours is then reachable as test:perf.
  if (facts.packageJson.scripts?.test && facts.packageJson.scripts.test !== scripts.test) scripts["test:perf"] = "vitest run";
  return {
    dependencies: pinnedDependencies(runtime),
    devDependencies: { ...pinnedDependencies(dev), "create-perf-backend": options.toolSpec },
    scripts,
  };
}

/** Adds the base infrastructure to an existing repo, adapted to what it already has; never clobbers. */
export async function initGenerator(tree: Tree, options: InitOptions): Promise<GeneratorResult> {
  const plan = planModules(tree, options);
  const { layout } = plan;
  const data = {
    projectName: options.facts.packageJson.name ?? "app",
    // A Fastify service (e.g. one `create` made) keeps the shutdown that also closes its server.
    server: options.facts.packageJson.dependencies?.fastify !== undefined,
    srcDir: layout.srcDir,
    drizzleSchema: layout.db.schemaBarrel,
    drizzleOut: layout.db.migrationsDir,
  };

  const templates = loadTemplates("app/base");
  for (const [templatePath, dest] of plan.baseFiles) {
    const source = templates.get(templatePath);
    if (source === undefined) throw new GenerationError(`init: missing template app/base/${templatePath}`);
    if (isBarrel(dest) && tree.exists(dest)) continue;
    tree.write(dest, renderString(source, data, `templates/app/base/${templatePath}`));
    if (TYPESCRIPT_FILE.test(dest)) await relocateImports(tree, templatePath, dest, plan);
  }
  for (const adapter of plan.adapters) {
    const imports = Object.fromEntries(
      Object.entries(adapter.data).map(([key, value]) => [key, key.endsWith("Import") ? moduleSpecifier(NODENEXT, adapter.dest, value) : value]),
    );
    tree.write(adapter.dest, renderTemplateFile("init", adapter.template, imports));
  }
  // A schema folder without an index gets one that re-exports its tables.
  if (plan.newSchemaIndex) {
    for (const name of tree.children(layout.db.schemaDir).filter((file) => TYPESCRIPT_FILE.test(file) && file !== "index.ts")) {
      const table = path.posix.join(layout.db.schemaDir, name);
      await ensureExportStar(tree, layout.db.schemaBarrel, moduleSpecifier(layout, layout.db.schemaBarrel, table));
    }
  }

  const merged = mergePackageJson(tree, packageAdditions(options, plan));
  const notes = [...plan.notes];
  if (merged.added.length > 0) notes.push(`package.json: added ${merged.added.join(", ")}.`);
  notes.push(...describeDiffering(merged));

  stageManifest(tree, layout);

  const run = (script: string): string => formatCommand(runScriptCommand(options.packageManager, script));
  return {
    tasks: merged.added.length > 0 ? [{ kind: "install", packageManager: options.packageManager }] : [],
    notes,
    nextSteps: [
      run(options.facts.packageJson.scripts?.test && options.facts.packageJson.scripts.test !== "vitest run" ? "test:perf" : "test"),
      "npx create-perf-backend generate schema <table> --columns ...   # or: npx plop",
    ],
  };
}
