import {
  compareText,
  DRIZZLE_LINES,
  formatCommand,
  nodeTarget,
  pinnedDependencies,
  projectScripts,
  runScriptCommand,
} from "../../src/devkit/declare.js";
import type { DependencyName, DrizzleLine, PackageManager } from "../../src/devkit/declare.js";

export interface AppPackageJsonOptions {
  projectName: string;
  server: boolean;
  /** How the project depends on this tool: `^x.y.z` from the registry, a `file:` spec from a checkout or tarball. */
  toolSpec: string;
  /** Runs the scripts the `ci` script chains. */
  packageManager: PackageManager;
  /** drizzle-orm line: its drizzle-orm and drizzle-kit versions replace the default pins. */
  drizzleLine: DrizzleLine;
}

// The base project imports these; dataloader arrives with the repository generator.
const RUNTIME_DEPENDENCIES: readonly DependencyName[] = ["drizzle-orm", "pg", "piscina", "pino", "redis"];
// The server sheds load (under-pressure) and serves /metrics (prom-client).
const SERVER_DEPENDENCIES: readonly DependencyName[] = ["@fastify/under-pressure", "fastify", "prom-client"];
const DEV_DEPENDENCIES: readonly DependencyName[] = [
  "@eslint/js",
  "@types/node",
  "@types/pg",
  "drizzle-kit",
  "eslint",
  "eslint-plugin-import-x",
  "eslint-plugin-unicorn",
  "globals",
  "plop",
  "tsx",
  "typescript",
  "typescript-eslint",
  "vitest",
];

// npm 12 blocks dependency install scripts not listed here; none of these needs its own: esbuild (tsx, drizzle-kit,
// vitest) runs from its platform package, and a checkout of this tool already holds its built dist/.
const DENIED_INSTALL_SCRIPTS = ["esbuild"] as const;
const CHECKOUT_SPEC_PREFIX = "file:";

const COMMON_SCRIPTS = projectScripts(["build", "test", "lint", "typecheck"]);
// A new project generates and applies its migrations through src/db/migrate.ts: what would lock a table that has rows
// moves to a migration run outside a transaction (CREATE INDEX CONCURRENTLY), see the generated README.
const MIGRATION_SCRIPTS = {
  "db:generate": "tsx src/db/migrate.ts generate",
  "db:migrate": "tsx src/db/migrate.ts",
  // The playbook's checks, the migration lint of drizzle/ among them.
  doctor: "create-perf-backend doctor",
};
// What CI runs, in this order; the tests need the migrated database.
const CI_STEPS = ["typecheck", "lint", "doctor", "db:migrate", "test"] as const;

function sortedByName(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => compareText(a, b)));
}

function allowScripts(toolSpec: string): Record<string, boolean> {
  const denied: string[] = [...DENIED_INSTALL_SCRIPTS];
  // npm keys a non-registry dependency by its spec (`file:/path/to/checkout`), not by its name.
  if (toolSpec.startsWith(CHECKOUT_SPEC_PREFIX)) denied.push(toolSpec);
  return Object.fromEntries(denied.sort().map((name) => [name, false]));
}

/** The generated project's package.json; every version comes from DEPENDENCY_VERSIONS. */
export function createAppPackageJson(options: AppPackageJsonOptions): Record<string, unknown> {
  const { projectName, server, toolSpec, packageManager, drizzleLine } = options;
  const { "drizzle-orm": drizzleOrm, "drizzle-kit": drizzleKit } = DRIZZLE_LINES[drizzleLine];
  const common = {
    ...COMMON_SCRIPTS,
    ...MIGRATION_SCRIPTS,
    ci: CI_STEPS.map((step) => formatCommand(runScriptCommand(packageManager, step))).join(" && "),
  };
  const scripts = server
    ? { dev: "tsx watch --clear-screen=false src/main.ts", start: "node dist/main.js", ...common }
    : { dev: "vitest", ...common };
  const entry = server
    ? {}
    : {
        main: "./dist/index.js",
        types: "./dist/index.d.ts",
        exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
      };
  return {
    name: projectName,
    version: "0.1.0",
    private: true,
    type: "module",
    ...entry,
    engines: { node: nodeTarget().engines },
    scripts,
    dependencies: sortedByName({
      ...pinnedDependencies(server ? [...RUNTIME_DEPENDENCIES, ...SERVER_DEPENDENCIES] : RUNTIME_DEPENDENCIES),
      "drizzle-orm": drizzleOrm,
    }),
    devDependencies: sortedByName({
      ...pinnedDependencies(DEV_DEPENDENCIES),
      "drizzle-kit": drizzleKit,
      "create-perf-backend": toolSpec,
    }),
    allowScripts: allowScripts(toolSpec),
  };
}
