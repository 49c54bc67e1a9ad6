import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type * as TypeScript from "typescript";

import type { Tree } from "../tree.js";
import { findWorkspaceRoot } from "../workspace-root.js";
import { installedPackageDir } from "./installed-packages.js";
import {
  affectedFiles,
  aliasPrefixes,
  baselineAfter,
  baselineKey,
  filesAfter,
  introducedDiagnostics,
  listProgramFiles,
  packageJsonChangesExistingTypes,
  readBaseline,
  writeBaseline,
} from "./typecheck-baseline.js";
import { checkOnOverlay } from "./typecheck-native.js";
import { toolCacheDir, typeSourceFor } from "./typecheck-packages.js";
import type { TypeSource } from "./typecheck-packages.js";

export interface TypecheckResult {
  /** Why no check ran (no TypeScript installed, no tsconfig), or null when it did. */
  skipped: string | null;
  /** `file(line,col): TS1234 message`: what the run introduced, anywhere in the repo's program. */
  diagnostics: string[];
  /** Diagnostics the repo already had before the run (not ours, never blocking). */
  preexisting: number;
  /** TypeScript version used (the repo's own). */
  version: string | null;
  /** "api" (TypeScript 4.9-6 in process) or "native" (TypeScript 7's tsc on an overlay). */
  route: "api" | "native" | null;
  /** Whether the repo's diagnostics before the run came from the cache. */
  baselineCached: boolean;
  ms: number;
}

export interface TypecheckInput {
  /** Packages the run adds or re-pins, `name -> spec`, and the folder of the package.json that declares them. */
  addedPackages: ReadonlyMap<string, { spec: string; manifestDir: string }>;
  /** Baselines and fetched package types (default: the user's cache folder). */
  cacheDir?: string;
}

const CONFIG_FILE = "tsconfig.json";
// The first TypeScript with no JS API at its package root; its compiler is a native binary.
const NATIVE_MAJOR = 7;
const JS_FILE = /\.[cm]?jsx?$/;
const SOURCE_FILE = /\.[cm]?[jt]sx?$/;

/** The repo-relative files to check given the tsconfig's alias prefixes; null for all. */
export type Select = (aliasPrefixes: readonly string[]) => string[] | null;

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** The bare package names a file imports (import, export from, require, dynamic import, import type). */
export function importedPackages(content: string): string[] {
  const names = new Set<string>();
  const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)["']([^"'./][^"']*)["']/g;
  for (const match of content.matchAll(specifier))
    if (match[1] && !match[1].startsWith("node:")) names.add(packageName(match[1]));
  // JSDoc `import("pkg").Type` is matched by the same pattern.
  return [...names];
}

/**
 * Types of the packages the run adds, resolved before anything is installed: only the ones a staged file imports
 * and the repo lacks. Null with the names when some cannot be had (no registry).
 */
async function resolveAddedTypes(
  root: string,
  staged: ReadonlyMap<string, string>,
  input: TypecheckInput,
  cacheDir: string,
): Promise<{ sources: TypeSource[]; missing: string[] }> {
  const wanted = new Set(
    [...staged.entries()]
      .filter(([file]) => SOURCE_FILE.test(file))
      .flatMap(([, content]) => importedPackages(content)),
  );
  const sources: TypeSource[] = [];
  const missing: string[] = [];
  for (const [name, { spec, manifestDir }] of input.addedPackages) {
    if (!wanted.has(name) && !wanted.has(`@types/${name}`)) continue;
    const installed = installedPackageDir(root, name);
    if (installed && !spec.startsWith("file:")) continue;
    const source = await typeSourceFor(name, spec, manifestDir, cacheDir);
    if (source) sources.push(source);
    else missing.push(`${name}@${spec}`);
  }
  // The @types package of an added one (pg and @types/pg) comes along when the run adds both.
  return { sources, missing };
}

/** The repo's own `typescript` folder, found from its root as its tsc would be; null when it has none. */
function repoTypeScriptDir(root: string): { dir: string; version: string } | null {
  const dir = installedPackageDir(root, "typescript");
  if (!dir) return null;
  try {
    return {
      dir,
      version: (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version,
    };
  } catch {
    return null;
  }
}

async function loadTypeScriptApi(dir: string): Promise<typeof TypeScript> {
  const main =
    (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { main?: string }).main ?? "lib/typescript.js";
  const loaded = (await import(pathToFileURL(path.join(dir, main)).href)) as {
    default?: typeof TypeScript;
  } & typeof TypeScript;
  return loaded.default ?? loaded;
}

/**
 * Typechecks the repo as it would be after the run, with the repo's own TypeScript and tsconfig, before anything is
 * written: the staged files replace theirs in memory (API route) or in a temporary overlay (TypeScript 7). The
 * diagnostics are compared with the repo's before the run (cached by the content of every program file), so what
 * the run introduces anywhere blocks and what the repo already had does not.
 */
export async function typecheckStaged(root: string, tree: Tree, input: TypecheckInput): Promise<TypecheckResult> {
  const started = performance.now();
  const result = (fields: Partial<TypecheckResult>): TypecheckResult => ({
    skipped: null,
    diagnostics: [],
    preexisting: 0,
    version: null,
    route: null,
    baselineCached: false,
    ms: performance.now() - started,
    ...fields,
  });
  // The workspace root's package.json (`../../package.json`) is outside the program; its new packages are mapped.
  const staged = new Map(
    tree
      .changes()
      .filter((change) => /\.(?:[cm]?[jt]sx?|json)$/.test(change.path) && !change.path.startsWith("../"))
      .map((change) => [change.path, change.content]),
  );
  if (
    ![...staged.keys()].some(
      (file) => SOURCE_FILE.test(file) || file.endsWith(CONFIG_FILE) || file.endsWith("package.json"),
    )
  ) {
    return result({ skipped: "no TypeScript or JavaScript file changed" });
  }
  const typescript = repoTypeScriptDir(root);
  if (!typescript)
    return result({
      skipped: `TypeScript is not installed in ${root} (install dependencies, then run again to check)`,
    });
  if (!existsSync(path.join(root, CONFIG_FILE)) && !tree.exists(CONFIG_FILE))
    return result({ skipped: "no tsconfig.json", version: typescript.version });

  const cacheDir = input.cacheDir ?? toolCacheDir();
  const { sources, missing } = await resolveAddedTypes(root, staged, input, cacheDir);
  if (missing.length > 0) {
    return result({
      skipped: `the types of ${missing.join(", ")} (added by this run) could not be fetched from the registry`,
      version: typescript.version,
    });
  }
  const native = Number.parseInt(typescript.version, 10) >= NATIVE_MAJOR;
  const files = listProgramFiles(root);
  const key = baselineKey(root, files, `${native ? "native" : "api"} ${typescript.version}`);
  const cached = readBaseline(cacheDir, root, key);
  // Which files the run can affect, given the aliases the tsconfig maps (null: every file of the program).
  const changesAll = [...staged].some(
    ([file, content]) =>
      file.endsWith("package.json") && packageJsonChangesExistingTypes(tree.readOriginal(file), content),
  );
  let selected: string[] | null = null;
  const select: Select = (prefixes) =>
    (selected = changesAll ? null : affectedFiles(files, staged, (file) => tree.readOriginal(file), prefixes));

  let before: string[];
  let after: string[];
  if (native) {
    const check = await checkOnOverlay({
      root,
      typescriptDir: typescript.dir,
      configFile: CONFIG_FILE,
      files,
      staged,
      added: sources,
      needBaseline: cached === null,
      select,
      workspaceRoot: findWorkspaceRoot(root)?.dir ?? null,
    });
    before = cached ?? check.before ?? [];
    after = check.after;
  } else {
    const ts = await loadTypeScriptApi(typescript.dir);
    const check = checkWithApi(ts, root, tree, staged, sources, cached === null, select);
    if (typeof check === "string") return result({ skipped: check, version: ts.version });
    before = cached ?? check.before ?? [];
    after = check.after;
  }
  const introduced = introducedDiagnostics(before, after);
  const compiler = `${native ? "native" : "api"} ${typescript.version}`;
  // A run that will write leaves the next one its baseline (the one before it stays for a retry).
  if (cached === null) writeBaseline(cacheDir, root, key, before);
  if (introduced.length === 0)
    writeBaseline(
      cacheDir,
      root,
      baselineKey(root, filesAfter(files, staged), compiler, staged),
      baselineAfter(before, after, selected),
    );
  return result({
    diagnostics: introduced,
    preexisting: before.length,
    version: typescript.version,
    route: native ? "native" : "api",
    baselineCached: cached !== null,
  });
}

/** Maps `<root>/node_modules/<added>/...` to the folder holding that package's types, so nothing is installed. */
function packageMapper(root: string, sources: readonly TypeSource[]): (file: string) => string {
  const prefixes = sources.map((source) => ({ from: path.join(root, "node_modules", source.name), to: source.dir }));
  return (file) => {
    for (const { from, to } of prefixes) {
      if (file === from) return to;
      if (file.startsWith(`${from}${path.sep}`)) return path.join(to, file.slice(from.length + 1));
    }
    return file;
  };
}

function formatDiagnostic(ts: typeof TypeScript, root: string, diagnostic: TypeScript.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (!diagnostic.file) return `TS${String(diagnostic.code)} ${message}`;
  const { line, character } = ts.getLineAndCharacterOfPosition(diagnostic.file, diagnostic.start ?? 0);
  return `${path.relative(root, diagnostic.file.fileName)}(${String(line + 1)},${String(character + 1)}): TS${String(diagnostic.code)} ${message}`;
}

interface MatchFiles {
  matchFiles?: (
    directory: string,
    extensions: readonly string[] | undefined,
    excludes: readonly string[] | undefined,
    includes: readonly string[] | undefined,
    caseSensitive: boolean,
    currentDirectory: string,
    depth: number | undefined,
    entries: (directory: string) => { files: readonly string[]; directories: readonly string[] },
    realpath: (file: string) => string,
  ) => string[];
}

/**
 * TypeScript 4.9-6 through its API: one program over the repo as it is (skipped when the baseline is cached) and one
 * over the repo with the staged files, each checking every file of the program as the repo's own tsc would.
 */
function checkWithApi(
  ts: typeof TypeScript,
  root: string,
  tree: Tree,
  staged: ReadonlyMap<string, string>,
  sources: readonly TypeSource[],
  needBaseline: boolean,
  select: Select | null,
): { before: string[] | null; after: string[] } | string {
  const mapPath = packageMapper(root, sources);
  const stagedAbsolute = new Map([...staged].map(([file, content]) => [path.join(root, file), content]));
  const stagedDirectories = new Map<string, Set<string>>();
  const stagedSubdirectories = new Map<string, Set<string>>();
  for (const file of stagedAbsolute.keys()) {
    let child = file;
    for (
      let directory = path.dirname(file);
      directory.startsWith(root);
      child = directory, directory = path.dirname(directory)
    ) {
      const into = child === file ? stagedDirectories : stagedSubdirectories;
      into.set(directory, (into.get(directory) ?? new Set()).add(path.basename(child)));
    }
  }
  const inside = (file: string): boolean => {
    const relative = path.relative(root, file);
    return !relative.startsWith("..") && !path.isAbsolute(relative);
  };

  const makeHost = (withStaged: boolean, options: TypeScript.CompilerOptions): TypeScript.CompilerHost => {
    const host = ts.createCompilerHost(options, true);
    const readFile = (file: string): string | undefined => {
      if (withStaged && stagedAbsolute.has(file)) return stagedAbsolute.get(file);
      const mapped = mapPath(file);
      if (withStaged && mapped === file && inside(file)) return tree.read(path.relative(root, file)) ?? undefined;
      return ts.sys.readFile(mapped);
    };
    host.readFile = readFile;
    host.fileExists = (file) => (withStaged && stagedAbsolute.has(file)) || ts.sys.fileExists(mapPath(file));
    host.directoryExists = (directory) =>
      (withStaged && stagedDirectories.has(directory)) ||
      (withStaged && stagedSubdirectories.has(directory)) ||
      ts.sys.directoryExists(mapPath(directory));
    host.realpath = (file) =>
      withStaged && stagedAbsolute.has(file) ? file : (ts.sys.realpath ?? ((name: string) => name))(mapPath(file));
    host.getDirectories = (directory) => ts.sys.getDirectories(mapPath(directory));
    return host;
  };

  const parse = (withStaged: boolean): TypeScript.ParsedCommandLine | undefined => {
    const base = makeHost(withStaged, {});
    const internals = ts as unknown as MatchFiles;
    const entries = (directory: string): { files: string[]; directories: string[] } => {
      const files = new Set<string>();
      const directories = new Set<string>();
      try {
        for (const entry of readdirSync(directory, { withFileTypes: true }))
          (entry.isDirectory() ? directories : files).add(entry.name);
      } catch {
        // A folder only the run creates.
      }
      if (withStaged) {
        for (const name of stagedDirectories.get(directory) ?? []) files.add(name);
        for (const name of stagedSubdirectories.get(directory) ?? []) directories.add(name);
      }
      return { files: [...files].sort(), directories: [...directories].sort() };
    };
    return ts.getParsedCommandLineOfConfigFile(
      path.join(root, CONFIG_FILE),
      { noEmit: true },
      {
        ...ts.sys,
        readFile: (file) => base.readFile(file),
        fileExists: (file) => base.fileExists(file),
        readDirectory: (directory, extensions, excludes, includes, depth) =>
          internals.matchFiles && withStaged
            ? internals.matchFiles(
                directory,
                extensions,
                excludes,
                includes,
                ts.sys.useCaseSensitiveFileNames,
                root,
                depth,
                entries,
                (file) => file,
              )
            : ts.sys.readDirectory(directory, extensions, excludes, includes, depth),
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    );
  };

  const diagnosticsOf = (
    withStaged: boolean,
    oldProgram?: TypeScript.Program,
  ): { diagnostics: string[]; program: TypeScript.Program } | string => {
    const parsed = parse(withStaged);
    if (!parsed) return `${CONFIG_FILE} could not be read`;
    // The repo's settings decide what compiles; noEmit and skipLibCheck only keep the check fast and side-effect free.
    const options: TypeScript.CompilerOptions = {
      ...parsed.options,
      noEmit: true,
      skipLibCheck: true,
      incremental: false,
      composite: false,
      tsBuildInfoFile: undefined,
    };
    // After the run, only the files it can affect are checked (their imports and the repo's declarations load too).
    const selected = withStaged && select ? select(aliasPrefixes(options.paths, options.baseUrl)) : null;
    const only = selected ? new Set(selected.map((file) => path.join(root, file))) : null;
    const rootNames = only
      ? parsed.fileNames.filter((file) => only.has(file) || file.endsWith(".d.ts"))
      : [...parsed.fileNames];
    // Without the internal matcher, staged TypeScript files are checked whether or not `include` reaches them.
    if (withStaged && !(ts as unknown as MatchFiles).matchFiles) {
      for (const file of stagedAbsolute.keys())
        if (/\.[cm]?tsx?$/.test(file) && !file.endsWith(".d.ts") && !rootNames.includes(file)) rootNames.push(file);
    }
    const program = ts.createProgram({
      rootNames,
      options,
      host: makeHost(withStaged, options),
      ...(oldProgram ? { oldProgram } : {}),
    });
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program.getConfigFileParsingDiagnostics(),
    ];
    for (const sourceFile of program.getSourceFiles()) {
      if (
        sourceFile.isDeclarationFile ||
        sourceFile.fileName.includes("/node_modules/") ||
        !inside(sourceFile.fileName)
      )
        continue;
      // JS files count under checkJs (or `// @ts-check`); the program reports nothing for the others.
      if (JS_FILE.test(sourceFile.fileName) && !options.allowJs) continue;
      if (only && !only.has(sourceFile.fileName)) continue;
      diagnostics.push(...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile));
    }
    return { diagnostics: diagnostics.map((diagnostic) => formatDiagnostic(ts, root, diagnostic)), program };
  };

  let before: string[] | null = null;
  let oldProgram: TypeScript.Program | undefined;
  if (needBaseline) {
    const check = diagnosticsOf(false);
    if (typeof check === "string") return check;
    before = check.diagnostics;
    oldProgram = check.program;
  }
  const after = diagnosticsOf(true, oldProgram);
  if (typeof after === "string") return after;
  return { before, after: after.diagnostics };
}
