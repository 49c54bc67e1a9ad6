import type { FileHost } from "../host.js";
import { UsageError } from "../output/errors.js";
import { PACKAGE_JSON_SPEC } from "../state/package-json-schema.js";
import { readStateFile } from "../state/state-file.js";
import { readDrizzleFacts } from "./drizzle-facts.js";
import type { DrizzleFacts } from "./drizzle-facts.js";
import { findDatabaseUrlVariable } from "./env-facts.js";
import { findExportedConst, interestingSourceFiles } from "./source-scan.js";
import { readTsconfigFacts } from "./tsconfig-facts.js";
import type { TsconfigFacts } from "./tsconfig-facts.js";
import { workspaceGlobs } from "./workspace-db.js";

export interface PackageJsonFacts {
  name?: string;
  type?: string;
  workspaces?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** Everything `init` learns from a repo before it writes anything. */
export interface RepoFacts {
  packageJson: PackageJsonFacts;
  tsconfig: TsconfigFacts;
  srcDir: string;
  drizzle: DrizzleFacts;
  /** An existing `new Pool(` from pg. */
  pool: { file: string; exportName: string } | null;
  /** An existing node-redis client (`createClient(`), or an ioredis one we cannot reuse. */
  redis: { file: string; exportName: string; library: "redis" | "ioredis" } | null;
  eslintConfig: string | null;
  vitestConfig: string | null;
  plopfile: string | null;
  envExample: string | null;
  /** A folder the repo keeps tests in (`test`, `tests`, `__tests__`), when its sources hold none beside the modules. */
  testsDir: string | null;
  /** The variable the repo's own db or pool reads its URL from (through its env module), when it names one. */
  databaseUrlEnv: { name: string; file: string } | null;
}

export interface InspectOptions {
  /** Files an earlier run of ours wrote: they are not the repo's own setup. */
  ignore?: ReadonlySet<string>;
}

const SOURCE_ROOTS = ["src", "app", "server", "lib", "source"];
// A Next.js app: its root `app/` is the App Router's folder of routes (every file there may become a route or be
// bundled for one), never the source root; infrastructure goes to `lib/`, as Next.js apps keep it.
const NEXT_CONFIGS = ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs", "next.config.mts"];
const NEXT_SOURCE_ROOT = "lib";
const TESTS_DIRS = ["test", "tests", "__tests__"];
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
const COLOCATED_SCAN_DEPTH = 3;

/** Whether `dir` holds a test file beside the modules (a shallow look: a few levels, no node_modules). */
function hasColocatedTests(host: FileHost, dir: string, depth = 0): boolean {
  if (depth > COLOCATED_SCAN_DEPTH) return false;
  return host.list(dir).some((name) => {
    if (name === "node_modules" || name === "__tests__") return false;
    const child = `${dir}/${name}`;
    return TEST_FILE.test(name) || (host.isDirectory(child) && hasColocatedTests(host, child, depth + 1));
  });
}
const ESLINT_CONFIGS = [
  "eslint.config.js",
  "eslint.config.mjs",
  "eslint.config.cjs",
  "eslint.config.ts",
  ".eslintrc",
  ".eslintrc.js",
  ".eslintrc.cjs",
  ".eslintrc.json",
  ".eslintrc.yml",
  ".eslintrc.yaml",
];
const PLOPFILES = ["plopfile.js", "plopfile.mjs", "plopfile.cjs", "plopfile.ts"];
const VITEST_CONFIGS = [
  "vitest.config.ts",
  "vitest.config.mts",
  "vitest.config.js",
  "vitest.config.mjs",
  "vite.config.ts",
  "vite.config.js",
];

function readPackageJson(host: FileHost): PackageJsonFacts {
  const text = host.read("package.json");
  if (text === null) {
    throw new UsageError("No package.json here: `init` adds to an existing package.", [
      "Run it in the package's directory or pass --cwd <dir>; for a new project use `create-perf-backend <dir>`.",
    ]);
  }
  return readStateFile(PACKAGE_JSON_SPEC, text) as PackageJsonFacts;
}

export async function inspectRepo(host: FileHost, options: InspectOptions = {}): Promise<RepoFacts> {
  const ignore = options.ignore ?? new Set<string>();
  const firstPresent = (files: readonly string[]): string | null =>
    files.find((file) => !ignore.has(file) && host.read(file) !== null) ?? null;
  const packageJson = readPackageJson(host);
  const workspaces = workspaceGlobs(host, packageJson);
  if (workspaces) {
    throw new UsageError("This is a workspace root; `init` adds to one package of it.", [
      `Pass --cwd <package dir> (workspaces: ${workspaces.join(", ")}).`,
    ]);
  }
  const tsconfig = await readTsconfigFacts(host, packageJson.type);
  if (tsconfig.file === null) {
    // Generated modules are TypeScript and init adds a `typecheck` script: without a tsconfig both would fail.
    throw new UsageError(
      "No tsconfig.json here: init adds TypeScript modules and a `typecheck` script, which need one; nothing was written.",
      [
        'A JavaScript project: add TypeScript first (npm i -D typescript && npx tsc --init, with "module": "NodeNext" and "allowJs": true), then run init again.',
        "A TypeScript project whose tsconfig lives elsewhere: run init with --cwd <the folder that has tsconfig.json>.",
      ],
    );
  }
  const nextApp =
    packageJson.dependencies?.["next"] !== undefined ||
    packageJson.devDependencies?.["next"] !== undefined ||
    NEXT_CONFIGS.some((file) => host.read(file) !== null);
  const roots = nextApp ? SOURCE_ROOTS.filter((dir) => dir !== "app") : SOURCE_ROOTS;
  const srcDir = roots.find((dir) => host.isDirectory(dir)) ?? (nextApp ? NEXT_SOURCE_ROOT : "src");
  const candidates = interestingSourceFiles(host, srcDir).filter((file) => !ignore.has(file));
  const pool = findExportedConst(host, candidates, /new\s+(?:pg\.)?Pool\(/, /from\s+["']pg["']/);
  const nodeRedis = findExportedConst(host, candidates, /createClient\(/, /from\s+["'](?:redis|@redis\/client)["']/);
  const ioredis = nodeRedis
    ? null
    : findExportedConst(host, candidates, /new\s+(?:IORedis|Redis)\(/, /from\s+["']ioredis["']/);
  const redisMatch = nodeRedis ?? ioredis;
  const drizzle = readDrizzleFacts(host, candidates, ignore, srcDir, packageJson.scripts);
  const connectionFile = drizzle.db?.file ?? pool?.file;
  return {
    packageJson,
    tsconfig,
    srcDir,
    drizzle,
    pool: pool ? { file: pool.file, exportName: pool.exportName } : null,
    redis: redisMatch
      ? { file: redisMatch.file, exportName: redisMatch.exportName, library: nodeRedis ? "redis" : "ioredis" }
      : null,
    eslintConfig: firstPresent(ESLINT_CONFIGS),
    vitestConfig: firstPresent(VITEST_CONFIGS),
    plopfile: firstPresent(PLOPFILES),
    envExample: firstPresent([".env.example"]),
    testsDir: hasColocatedTests(host, srcDir) ? null : (TESTS_DIRS.find((dir) => host.isDirectory(dir)) ?? null),
    databaseUrlEnv: connectionFile ? findDatabaseUrlVariable(host, connectionFile) : null,
  };
}
