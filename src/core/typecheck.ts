import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type * as TypeScript from "typescript";

import { TYPESCRIPT_FILE } from "./module-specifier.js";
import type { Tree } from "./tree.js";

export interface TypecheckResult {
  /** Why no check ran (no TypeScript installed, no tsconfig), or null when it did. */
  skipped: string | null;
  /** `file(line,col): TS1234 message`, only for the files this run touched. */
  diagnostics: string[];
  /** TypeScript version used (the repo's own). */
  version: string | null;
  ms: number;
}

/** The repo's own `typescript`, resolved from its root as its tsc would be; null when it has none. */
async function loadRepoTypeScript(root: string): Promise<typeof TypeScript | null> {
  let resolved: string;
  try {
    resolved = createRequire(path.join(root, "package.json")).resolve("typescript");
  } catch {
    return null;
  }
  const loaded = (await import(pathToFileURL(resolved).href)) as { default?: typeof TypeScript } & typeof TypeScript;
  return loaded.default ?? loaded;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/**
 * Typechecks the TypeScript files a run staged against the repo's tsconfig with the repo's own TypeScript,
 * in memory (staged content served to the compiler, nothing written). Only those files and what they import
 * are loaded; only their diagnostics are reported.
 */
export async function typecheckStaged(root: string, tree: Tree, addedPackages: ReadonlySet<string>): Promise<TypecheckResult> {
  const started = performance.now();
  const result = (fields: Partial<TypecheckResult>): TypecheckResult => ({
    skipped: null,
    diagnostics: [],
    version: null,
    ms: performance.now() - started,
    ...fields,
  });
  const staged = tree.changes().filter((change) => TYPESCRIPT_FILE.test(change.path) && !change.path.endsWith(".d.ts"));
  if (staged.length === 0) return result({ skipped: "no TypeScript file changed" });
  const ts = await loadRepoTypeScript(root);
  if (!ts) return result({ skipped: `TypeScript is not installed in ${root} (install dependencies, then run again to check)` });
  const configPath = ts.findConfigFile(root, (file) => tree.exists(path.relative(root, file)) || existsSync(file));
  if (!configPath) return result({ skipped: "no tsconfig.json", version: ts.version });

  const stagedByPath = new Map(staged.map((change) => [path.join(root, change.path), change.content]));
  const readFile = (file: string): string | undefined => {
    const relative = path.relative(root, file);
    if (!relative.startsWith("..") && !path.isAbsolute(relative)) return tree.read(relative) ?? undefined;
    return ts.sys.readFile(file);
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, {
    ...ts.sys,
    readFile,
    fileExists: (file) => readFile(file) !== undefined,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  });
  if (!parsed) return result({ skipped: `${path.relative(root, configPath)} could not be read`, version: ts.version });
  // The repo's settings decide what compiles; noEmit and skipLibCheck only keep the check fast and side-effect free.
  const options: TypeScript.CompilerOptions = { ...parsed.options, noEmit: true, skipLibCheck: true, incremental: false, composite: false };
  const host = ts.createCompilerHost(options, true);
  host.readFile = (file) => stagedByPath.get(file) ?? readFile(file);
  host.fileExists = (file) => stagedByPath.has(file) || readFile(file) !== undefined;
  const stagedDirectories = new Set([...stagedByPath.keys()].flatMap((file) => {
    const directories: string[] = [];
    for (let directory = path.dirname(file); directory.startsWith(root); directory = path.dirname(directory)) directories.push(directory);
    return directories;
  }));
  host.directoryExists = (directory) => stagedDirectories.has(directory) || ts.sys.directoryExists(directory);

  // A package this run adds and has not installed yet leaves its importers unchecked types: check after the install.
  const pending = new Set<string>();
  for (const [file, content] of stagedByPath) {
    for (const { fileName: specifier } of ts.preProcessFile(content, true, true).importedFiles) {
      if (specifier.startsWith(".") || !addedPackages.has(packageName(specifier))) continue;
      const resolution = ts.resolveModuleName(specifier, file, options, host);
      if (!resolution.resolvedModule) pending.add(packageName(specifier));
    }
  }
  if (pending.size > 0) {
    return result({ skipped: `${[...pending].sort().join(", ")} is added by this run and not installed yet (install, then re-run with --typecheck)`, version: ts.version });
  }
  const program = ts.createProgram({ rootNames: [...stagedByPath.keys()], options, host });

  const diagnostics: string[] = [];
  for (const file of stagedByPath.keys()) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) continue;
    for (const diagnostic of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      const { line, character } = ts.getLineAndCharacterOfPosition(sourceFile, diagnostic.start ?? 0);
      diagnostics.push(`${path.relative(root, file)}(${String(line + 1)},${String(character + 1)}): TS${String(diagnostic.code)} ${message}`);
    }
  }
  return result({ diagnostics, version: ts.version });
}
