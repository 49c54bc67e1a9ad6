import path from "node:path";

import { kebabCase, pascalCase } from "change-case";

import { createScratchProject, UsageError } from "../../src/devkit/index.js";
import type { Tree } from "../../src/devkit/index.js";

/** A loader function a repository module exports, e.g. `findUserById` of `src/repositories/users-repository.ts`. */
export interface RepositoryLoader {
  /** `User` (from `find<Entity>ById`). */
  entity: string;
  loader: string;
  /** Tree path of the repository module. */
  file: string;
}

const LOADER_NAME = /^find([A-Z][A-Za-z0-9]*)ById$/;
const REPOSITORY_SUFFIX = "-repository";

function isRepositoryModule(name: string): boolean {
  return name.endsWith(".ts") && !/\.(?:test|spec|d)\.ts$/.test(name) && name !== "index.ts";
}

/**
 * The `find<Entity>ById` functions the project's repository modules export (declared functions,
 * `export const { findUserById } = repo`, `export { findUserById }`), read with ts-morph without running anything.
 */
export async function findRepositoryLoaders(tree: Tree, repositoriesDir: string): Promise<RepositoryLoader[]> {
  const files = tree
    .children(repositoriesDir)
    .filter(isRepositoryModule)
    .map((name) => path.posix.join(repositoriesDir, name));
  if (files.length === 0) return [];
  const { project, tsMorph } = await createScratchProject();
  const loaders: RepositoryLoader[] = [];
  for (const file of files) {
    const sourceFile = project.createSourceFile(`/${file}`, tree.read(file) ?? "", { overwrite: true });
    const exported = new Set<string>();
    for (const fn of sourceFile.getFunctions()) {
      const name = fn.getName();
      if (fn.hasExportKeyword() && name) exported.add(name);
    }
    for (const statement of sourceFile.getVariableStatements()) {
      if (!statement.hasExportKeyword()) continue;
      for (const declaration of statement.getDeclarations()) {
        const nameNode = declaration.getNameNode();
        if (tsMorph.Node.isIdentifier(nameNode)) exported.add(nameNode.getText());
        else if (tsMorph.Node.isObjectBindingPattern(nameNode)) {
          for (const element of nameNode.getElements()) exported.add(element.getName());
        }
      }
    }
    for (const declaration of sourceFile.getExportDeclarations()) {
      if (declaration.getModuleSpecifier()) continue;
      for (const specifier of declaration.getNamedExports())
        exported.add(specifier.getAliasNode()?.getText() ?? specifier.getName());
    }
    for (const name of [...exported].sort()) {
      const entity = LOADER_NAME.exec(name)?.[1];
      if (entity) loaders.push({ entity, loader: name, file });
    }
  }
  return loaders;
}

/** What `--repository` accepts for a loader: `user`, `User`, `findUserById`, or the module's name (`users`). */
function matches(input: string, candidate: RepositoryLoader, loadersInFile: number): boolean {
  if (input === candidate.loader || pascalCase(input) === candidate.entity) return true;
  const moduleName = path.posix.basename(candidate.file, ".ts");
  const kebab = kebabCase(input);
  return loadersInFile === 1 && (kebab === moduleName || `${kebab}${REPOSITORY_SUFFIX}` === moduleName);
}

/** Resolves `--repository <entity>` against what the project has; unknown input names what exists. */
export function resolveRepositoryLoader(
  input: string,
  loaders: readonly RepositoryLoader[],
  repositoriesDir: string,
): RepositoryLoader {
  const perFile = new Map<string, number>();
  for (const loader of loaders) perFile.set(loader.file, (perFile.get(loader.file) ?? 0) + 1);
  const found = loaders.filter((candidate) => matches(input, candidate, perFile.get(candidate.file) ?? 0));
  if (found.length === 1 && found[0]) return found[0];
  const existing = loaders.map((loader) => `${loader.entity} (${loader.loader} in ${loader.file})`);
  if (found.length > 1) {
    throw new UsageError(
      `--repository ${input} matches several loaders: ${found.map((loader) => loader.loader).join(", ")}.`,
      ["Pass the loader function name instead, e.g. --repository " + (found[0]?.loader ?? "findUserById") + "."],
    );
  }
  throw new UsageError(
    `--repository ${input}: no repository in ${repositoriesDir} exports find${pascalCase(input)}ById.`,
    existing.length > 0
      ? [`Repositories with a loader: ${existing.join(", ")}.`]
      : [
          `${repositoriesDir} has no repository with a find<Entity>ById loader yet: create one with \`generate repository\`, or leave out --repository.`,
        ],
  );
}
