import path from "node:path";

import type { Node as MorphNode, Project, SourceFile } from "ts-morph";

import type { loadTsMorph } from "../core/ast/edit-source.js";
import type { PathAlias } from "../core/manifest.js";
import type { Tree } from "../core/tree.js";
import type { DiagnosticLog } from "./diagnostics.js";

export type TsMorph = Awaited<ReturnType<typeof loadTsMorph>>;

/** What a name in a file stands for, followed through imports and re-exports of parsed files. */
export type Binding =
  /** A top-level `const`/`function` of a parsed file. */
  | { kind: "local"; file: string; name: string; node: MorphNode }
  /** Something imported from a package (`pgTable` from `drizzle-orm/pg-core`). */
  | { kind: "package"; module: string; name: string }
  /** `import * as schema from "./schema"`. */
  | { kind: "namespace"; file: string }
  | { kind: "package-namespace"; module: string };

const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];
const SCRIPT_SUFFIX = /\.(?:[cm]?js|jsx)$/;
const MAX_HOPS = 20;

const isRelative = (specifier: string): boolean => specifier.startsWith("./") || specifier.startsWith("../");

/**
 * The parsed files of a schema and how their names resolve. Files are parsed on first use, so only the
 * schema files and what they import or re-export are ever loaded (never the rest of the repo).
 */
export class SourceGraph {
  readonly #files = new Map<string, SourceFile>();
  readonly #resolved = new Map<string, Binding | undefined>();
  /** Packages schema modules re-export (a workspace db package): their tables are not read. */
  readonly schemaPackages = new Set<string>();

  constructor(
    readonly tree: Tree,
    readonly project: Project,
    readonly tsMorph: TsMorph,
    readonly log: DiagnosticLog,
    /** tsconfig `paths` aliases, targets as tree paths (`~/` -> `src/`). */
    readonly aliases: readonly PathAlias[] = [],
  ) {}

  /** A specifier that points into the repo: relative, or through a `paths` alias. */
  isLocal(specifier: string): boolean {
    return isRelative(specifier) || this.aliases.some((alias) => specifier.startsWith(alias.prefix));
  }

  /** Tree paths of every file parsed so far. */
  parsedFiles(): string[] {
    return [...this.#files.keys()];
  }

  file(treePath: string): SourceFile | undefined {
    const cached = this.#files.get(treePath);
    if (cached) return cached;
    const text = this.tree.read(treePath);
    if (text === null) return undefined;
    const sourceFile = this.project.createSourceFile(`/${treePath}`, text, { overwrite: true });
    this.#files.set(treePath, sourceFile);
    return sourceFile;
  }

  /** `./users.js` from `src/db/schema/index.ts` -> `src/db/schema/users.ts`; null for packages and misses. */
  resolveModule(fromFile: string, specifier: string): string | null {
    const alias = this.aliases.find((candidate) => specifier.startsWith(candidate.prefix));
    if (!alias && !isRelative(specifier)) return null;
    const base = alias
      ? path.posix.normalize(path.posix.join(alias.target, specifier.slice(alias.prefix.length)))
      : path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
    const stem = base.replace(SCRIPT_SUFFIX, "");
    const candidates = [
      base,
      ...SOURCE_EXTENSIONS.map((ext) => `${stem}${ext}`),
      ...SOURCE_EXTENSIONS.map((ext) => `${base}/index${ext}`),
    ];
    return candidates.find((candidate) => /\.[cm]?tsx?$/.test(candidate) && this.tree.read(candidate) !== null) ?? null;
  }

  /** Files a module re-exports (`export * from`, `export { x } from`), resolved. */
  reExports(file: string): string[] {
    const sourceFile = this.file(file);
    if (!sourceFile) return [];
    const targets: string[] = [];
    for (const declaration of sourceFile.getExportDeclarations()) {
      const specifier = declaration.getModuleSpecifierValue();
      if (!specifier || declaration.isTypeOnly()) continue;
      const target = this.resolveModule(file, specifier);
      if (target) targets.push(target);
      else if (this.isLocal(specifier))
        this.log.add("import-not-resolved", file, declaration, `cannot resolve re-export "${specifier}"`);
      else if (!isDrizzleModule(specifier)) {
        this.schemaPackages.add(specifier);
        this.log.add(
          "import-not-resolved",
          file,
          declaration,
          `re-export from "${specifier}" is not followed (only files of the repo are)`,
        );
      }
    }
    return targets;
  }

  /** What `name` stands for at the top level of `file` (cached: schemas resolve the same names many times). */
  resolve(file: string, name: string, hops = 0): Binding | undefined {
    const key = `${file}\0${name}`;
    if (this.#resolved.has(key)) return this.#resolved.get(key);
    const binding = this.#resolveUncached(file, name, hops);
    this.#resolved.set(key, binding);
    return binding;
  }

  #resolveUncached(file: string, name: string, hops: number): Binding | undefined {
    const sourceFile = this.file(file);
    if (!sourceFile || hops > MAX_HOPS) return undefined;
    const variable = sourceFile.getVariableDeclaration(name);
    if (variable) return { kind: "local", file, name, node: variable };
    const fn = sourceFile.getFunction(name);
    if (fn) return { kind: "local", file, name, node: fn };
    for (const declaration of sourceFile.getImportDeclarations()) {
      const specifier = declaration.getModuleSpecifierValue();
      const target = this.resolveModule(file, specifier);
      const namespace = declaration.getNamespaceImport();
      if (namespace?.getText() === name) {
        return target ? { kind: "namespace", file: target } : { kind: "package-namespace", module: specifier };
      }
      for (const named of declaration.getNamedImports()) {
        const local = named.getAliasNode()?.getText() ?? named.getName();
        if (local !== name) continue;
        if (!target) {
          if (this.isLocal(specifier))
            this.log.add("import-not-resolved", file, declaration, `cannot resolve import "${specifier}"`);
          return this.isLocal(specifier) ? undefined : { kind: "package", module: specifier, name: named.getName() };
        }
        return this.resolveExport(target, named.getName(), hops + 1);
      }
      const defaultImport = declaration.getDefaultImport();
      if (defaultImport?.getText() === name && !target) return { kind: "package", module: specifier, name: "default" };
    }
    return undefined;
  }

  /** What `file` exports as `name`, following `export { a as name } from` and `export * from`. */
  resolveExport(file: string, name: string, hops = 0): Binding | undefined {
    const sourceFile = this.file(file);
    if (!sourceFile || hops > MAX_HOPS) return undefined;
    for (const declaration of sourceFile.getExportDeclarations()) {
      const specifier = declaration.getModuleSpecifierValue();
      const target = specifier ? this.resolveModule(file, specifier) : null;
      for (const named of declaration.getNamedExports()) {
        if ((named.getAliasNode()?.getText() ?? named.getName()) !== name) continue;
        if (!specifier) return this.resolve(file, named.getName(), hops + 1);
        return target
          ? this.resolveExport(target, named.getName(), hops + 1)
          : { kind: "package", module: specifier, name: named.getName() };
      }
    }
    const own = this.resolve(file, name, hops + 1);
    if (own?.kind === "local" && own.file === file) return own;
    for (const declaration of sourceFile.getExportDeclarations()) {
      const specifier = declaration.getModuleSpecifierValue();
      if (!specifier || declaration.getNamedExports().length > 0 || declaration.getNamespaceExport()) continue;
      const target = this.resolveModule(file, specifier);
      const found = target ? this.resolveExport(target, name, hops + 1) : undefined;
      if (found) return found;
    }
    return own;
  }
}

/** `drizzle-orm/pg-core`, `drizzle-orm`, `drizzle-orm/relations`: where drizzle's own functions come from. */
export const isDrizzleModule = (module: string): boolean =>
  module === "drizzle-orm" || module.startsWith("drizzle-orm/");

/** The binding names a drizzle function (`pgTable`, `relations`) whatever it was imported as. */
export const isDrizzleExport = (binding: Binding | { kind: "param" } | undefined, ...names: string[]): boolean =>
  binding?.kind === "package" && "module" in binding && isDrizzleModule(binding.module) && names.includes(binding.name);
