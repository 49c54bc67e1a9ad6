import { nodeTarget, pinnedDependencies, projectScripts } from "../../src/devkit/index.js";
import type { DependencyName } from "../../src/devkit/index.js";

export interface AppPackageJsonOptions {
  projectName: string;
  server: boolean;
  /** How the project depends on this tool: `^x.y.z` from the registry, a `file:` spec from a checkout or tarball. */
  toolSpec: string;
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

const COMMON_SCRIPTS = projectScripts(["build", "test", "lint", "typecheck", "db:generate", "db:migrate"]);

function sortedByName(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
}

/** The generated project's package.json; every version comes from DEPENDENCY_VERSIONS. */
export function createAppPackageJson(options: AppPackageJsonOptions): Record<string, unknown> {
  const { projectName, server, toolSpec } = options;
  const scripts = server
    ? { dev: "tsx watch --clear-screen=false src/main.ts", start: "node dist/main.js", ...COMMON_SCRIPTS }
    : { dev: "vitest", ...COMMON_SCRIPTS };
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
    dependencies: sortedByName(
      pinnedDependencies(server ? [...RUNTIME_DEPENDENCIES, ...SERVER_DEPENDENCIES] : RUNTIME_DEPENDENCIES),
    ),
    devDependencies: sortedByName({ ...pinnedDependencies(DEV_DEPENDENCIES), "create-perf-backend": toolSpec }),
  };
}
