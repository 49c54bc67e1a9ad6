import path from "node:path";

import { loadTsMorph } from "../ast/edit-source.js";
import { UsageError } from "../errors.js";
import type { FileHost } from "../host.js";
import type { PathAlias } from "../manifest.js";
import { validateStateFile } from "../state/state-file.js";
import { TSCONFIG_SPEC } from "../state/tsconfig-schema.js";

export interface TsconfigFacts {
  file: string | null;
  /** "nodenext" when relative imports need `.js` (Node16/NodeNext resolution), else "bundler" (extensionless). */
  importStyle: "nodenext" | "bundler";
  /** Whether `import.meta` compiles (ESM output). */
  moduleSystem: "esm" | "cjs";
  aliases: PathAlias[];
}

const TSCONFIG_FILE = "tsconfig.json";

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
    throw new UsageError(`${TSCONFIG_FILE} cannot be read as JSON (${reason}); nothing was written.`, [TSCONFIG_SPEC.fix]);
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
  return { file: TSCONFIG_FILE, importStyle: nodeNext ? "nodenext" : "bundler", moduleSystem, aliases };
}
