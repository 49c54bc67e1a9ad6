import path from "node:path";

import minVersion from "semver/ranges/min-version.js";

import { loadTsMorph } from "../ast/edit-source.js";
import type { FileHost } from "../host.js";
import type { PathAlias } from "../manifest.js";
import { UsageError } from "../output/errors.js";
import { validateStateFile } from "../state/state-file.js";
import { TSCONFIG_SPEC } from "../state/tsconfig-schema.js";

export interface TsconfigFacts {
  file: string | null;
  /** "nodenext" when relative imports need `.js` (Node16/NodeNext resolution, or an ESM package on node10), else "bundler" (extensionless). */
  importStyle: "nodenext" | "bundler";
  /** Whether `import.meta` compiles (ESM output). */
  moduleSystem: "esm" | "cjs";
  aliases: PathAlias[];
  /** The newest ECMAScript edition `lib` (or, without it, `target`) declares, when older than ES2022. */
  esLib?: number;
  /**
   * true: noImplicitAny without strictNullChecks (`strict: true, strictNullChecks: false`): a function returning
   * null widens to any there (TS7011), which generated code does; off together (NestJS's defaults) it compiles.
   */
  implicitAnyWithoutNullChecks?: true;
  /** false: the tsconfig's `target` is below ES2020, where TypeScript refuses BigInt literals (create-next-app's ES2017). */
  bigintLiterals?: false;
  /** False when default imports of CommonJS modules do not compile (no esModuleInterop/allowSyntheticDefaultImports). */
  defaultImports?: false;
}

const TSCONFIG_FILE = "tsconfig.json";
// What templates are written for; an older lib is recorded so generated code can avoid what it lacks.
const MODERN_LIB = 2022;
const FIRST_YEAR_TARGET = 2015;
const ES5_YEAR = 2009;
const LATEST = Number.POSITIVE_INFINITY;

/**
 * `lib: ["ES2020"]` -> 2020 (parsed lib files are `lib.es2020.d.ts`; sub-libs such as `lib.es2021.string.d.ts`
 * add single features and are not counted); without `lib`, the `target` year. Undefined when neither says.
 */
function libEdition(
  lib: readonly string[] | undefined,
  target: number | undefined,
  targets: { ES2015: number; ESNext: number; Latest: number },
): number | undefined {
  if (lib && lib.length > 0) {
    const years = lib.map((file) => {
      if (/^lib\.esnext(?:\.full)?\.d\.ts$/.test(file)) return LATEST;
      const match = /^lib\.es(\d{4})(?:\.full)?\.d\.ts$/.exec(file);
      if (match) return Number(match[1]);
      if (file === "lib.es6.d.ts") return FIRST_YEAR_TARGET;
      return file === "lib.es5.d.ts" ? ES5_YEAR : 0;
    });
    const newest = Math.max(...years);
    return newest > 0 ? newest : undefined;
  }
  if (target === undefined || target >= targets.ESNext || target >= targets.Latest) return undefined;
  return target < targets.ES2015 ? ES5_YEAR : FIRST_YEAR_TARGET + (target - targets.ES2015);
}

// TypeScript 6 turned esModuleInterop on for every module setting (false is deprecated): default imports compile.
const INTEROP_BY_DEFAULT_MAJOR = 6;

/** The repo's TypeScript major: the installed copy, else the lowest its package.json declares; undefined when neither says. */
function typescriptMajor(host: FileHost): number | undefined {
  const installed = host.read("node_modules/typescript/package.json");
  try {
    if (installed !== null) return Number((JSON.parse(installed) as { version?: string }).version?.split(".")[0]);
    const manifest = JSON.parse(host.read("package.json") ?? "{}") as Record<
      string,
      Record<string, string> | undefined
    >;
    const declared = manifest["devDependencies"]?.["typescript"] ?? manifest["dependencies"]?.["typescript"];
    return declared === undefined ? undefined : minVersion(declared)?.major;
  } catch {
    // Unreadable JSON or a range semver cannot read (a tag, a workspace spec): unknown.
    return undefined;
  }
}

/**
 * Reads tsconfig.json the way TypeScript does (comments, `extends`), through the host only:
 * its `include` globs are never expanded, so a large repo costs nothing here.
 */
export async function readTsconfigFacts(host: FileHost, packageType: string | undefined): Promise<TsconfigFacts> {
  const packageIsModule = packageType === "module";
  const fallback: TsconfigFacts = {
    file: null,
    importStyle: packageIsModule ? "nodenext" : "bundler",
    moduleSystem: packageIsModule ? "esm" : "cjs",
    aliases: [],
  };
  if (host.read(TSCONFIG_FILE) === null) return fallback;
  const { ts } = await loadTsMorph();
  const toHost = (file: string): string => path.posix.relative("/", file.replaceAll("\\", "/"));
  const parseHost = {
    useCaseSensitiveFileNames: true,
    readDirectory: () => [],
    fileExists: (file: string) => host.read(toHost(file)) !== null,
    readFile: (file: string) => host.read(toHost(file)) ?? undefined,
  };
  const { config, error } = ts.readConfigFile(`/${TSCONFIG_FILE}`, parseHost.readFile);
  if (error) {
    const reason = ts.flattenDiagnosticMessageText(error.messageText, " ");
    throw new UsageError(`${TSCONFIG_FILE} cannot be read as JSON (${reason}); nothing was written.`, [
      TSCONFIG_SPEC.fix,
    ]);
  }
  validateStateFile(TSCONFIG_SPEC, config);
  const options = ts.parseJsonConfigFileContent(config ?? {}, parseHost, "/").options;

  const module = options.module;
  const nodeModules = [ts.ModuleKind.Node16, ts.ModuleKind.Node18, ts.ModuleKind.Node20, ts.ModuleKind.NodeNext];
  const resolution = options.moduleResolution;
  const nodeNext =
    resolution === undefined
      ? module !== undefined && nodeModules.includes(module)
      : resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext;
  let moduleSystem: TsconfigFacts["moduleSystem"];
  if (nodeNext || module === undefined) moduleSystem = packageIsModule ? "esm" : "cjs";
  else moduleSystem = module === ts.ModuleKind.CommonJS || module === ts.ModuleKind.None ? "cjs" : "esm";

  const base = toHost(options.pathsBasePath?.toString() ?? options.baseUrl ?? "/");
  const aliases: PathAlias[] = [];
  for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
    const [first] = targets;
    if (!pattern.endsWith("/*") || !first?.endsWith("/*")) continue;
    const target = path.posix.normalize(path.posix.join(base, first.slice(0, -1)));
    aliases.push({ prefix: pattern.slice(0, -1), target: target.endsWith("/") ? target : `${target}/` });
  }
  const esLib = libEdition(options.lib, options.target, ts.ScriptTarget);
  // BigInt literals follow the target, not the lib (TS2737): an ES2017 target with an esnext lib has BigInt but no `1n`.
  const noBigIntLiterals = options.target !== undefined && options.target < ts.ScriptTarget.ES2020;
  const implicitAnyWithoutNullChecks =
    (options.noImplicitAny ?? options.strict ?? false) && !(options.strictNullChecks ?? options.strict ?? false);
  // TypeScript's own defaults: Node16+/NodeNext/Preserve imply esModuleInterop; System and bundler resolution allow synthetic defaults.
  // A repo without its own TypeScript gets ours (init adds it; the typecheck runs it).
  const interopByDefault =
    (typescriptMajor(host) ?? Number(ts.versionMajorMinor.split(".")[0])) >= INTEROP_BY_DEFAULT_MAJOR;
  const interop =
    options.esModuleInterop ??
    (interopByDefault || (module !== undefined && [...nodeModules, ts.ModuleKind.Preserve].includes(module)));
  const syntheticDefaults =
    options.allowSyntheticDefaultImports ??
    (interop || module === ts.ModuleKind.System || resolution === ts.ModuleResolutionKind.Bundler);
  return {
    file: TSCONFIG_FILE,
    // An ESM package on node10 resolution (`moduleResolution: node`) runs its output under Node: keep `.js` suffixes.
    importStyle:
      nodeNext || (packageIsModule && resolution === ts.ModuleResolutionKind.Node10) ? "nodenext" : "bundler",
    moduleSystem,
    aliases,
    ...(esLib !== undefined && esLib < MODERN_LIB ? { esLib } : {}),
    ...(noBigIntLiterals ? { bigintLiterals: false as const } : {}),
    ...(implicitAnyWithoutNullChecks ? { implicitAnyWithoutNullChecks: true as const } : {}),
    ...(syntheticDefaults ? {} : { defaultImports: false as const }),
  };
}
