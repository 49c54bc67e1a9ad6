import type * as TsMorphModule from "ts-morph";
import type { ImportDeclaration, SourceFile } from "ts-morph";

import type { ProjectLayout } from "../manifest.js";
import { TYPESCRIPT_FILE } from "../module-specifier.js";
import type { Tree } from "../tree.js";
import { editSourceFile } from "./edit-source.js";

type TsMorph = typeof TsMorphModule;

// Packages templates default-import whose types are `export = X` (a CommonJS value, not a namespace of
// named exports): a namespace import types as X itself, while Node's ESM loader puts X on `default`.
const EXPORT_ASSIGNMENT_PACKAGES = new Set(["dataloader"]);
const DEFAULT_IMPORT = /^import\s+(?:type\s+)?\w+\s*(?:,|\s+from\b)/m;
const MODULE_SUFFIX = "Module";

/**
 * `import X from "m"` of an `export =` class: the value gets the CommonJS export through the namespace's
 * `default`, type positions (`DataLoader<K, V>`) name the namespace, whose `export =` class TypeScript
 * resolves without esModuleInterop.
 */
function rewriteExportAssignment(
  sourceFile: SourceFile,
  tsMorph: TsMorph,
  declaration: ImportDeclaration,
  { name, moduleName, moduleSystem }: { name: string; moduleName: string; moduleSystem: "esm" | "cjs" },
): void {
  const { SyntaxKind } = tsMorph;
  const namespace = `${name}${MODULE_SUFFIX}`;
  for (const identifier of sourceFile.getDescendantsOfKind(SyntaxKind.Identifier)) {
    if (identifier.getText() === name && identifier.getParent()?.isKind(SyntaxKind.TypeReference))
      identifier.replaceWithText(namespace);
  }
  declaration.replaceWithText(`import * as ${namespace} from "${moduleName}";`);
  const value =
    moduleSystem === "cjs"
      ? [
          // The compiled require gives the class itself; vitest and tsx load the source as ESM, with it on `default`.
          `// No esModuleInterop: ${moduleName} is CommonJS (\`export =\`): the class itself once compiled, \`default\` under an ESM loader.`,
          `const ${name} = (${namespace} as unknown as { default?: typeof ${namespace} }).default ?? ${namespace};`,
        ]
      : [
          `// No esModuleInterop: ${moduleName} is CommonJS (\`export =\`), which Node's ESM loader exposes as \`default\`.`,
          `const ${name} = (${namespace} as unknown as { default: typeof ${namespace} }).default;`,
        ];
  sourceFile.insertStatements(sourceFile.getImportDeclarations().length, ["", ...value]);
}

function rewriteFile(sourceFile: SourceFile, tsMorph: TsMorph, moduleSystem: "esm" | "cjs"): void {
  // Last first: a replaced declaration leaves the earlier ones where they were.
  for (const declaration of sourceFile.getImportDeclarations().reverse()) {
    const defaultImport = declaration.getDefaultImport();
    if (!defaultImport || declaration.getNamedImports().length > 0) continue;
    const name = defaultImport.getText();
    const moduleName = declaration.getModuleSpecifierValue();
    const typeOnly = declaration.isTypeOnly();
    if (!EXPORT_ASSIGNMENT_PACKAGES.has(moduleName) || typeOnly) {
      // Node builtins and packages with named exports (pg): the namespace holds what the default did; a
      // type-only namespace import names the same types, `export =` classes included.
      declaration.replaceWithText(`import ${typeOnly ? "type " : ""}* as ${name} from "${moduleName}";`);
    } else {
      // Never `import x = require()`: typescript-eslint's recommended set rejects it (no-require-imports).
      rewriteExportAssignment(sourceFile, tsMorph, declaration, { name, moduleName, moduleSystem });
    }
  }
}

/**
 * Templates default-import CommonJS modules (`node:path`, `pg`, `dataloader`), which compiles only with
 * esModuleInterop (or allowSyntheticDefaultImports, or NodeNext resolution). A repo without it (recorded as
 * `defaultImports: false`) gets forms its compiler accepts and Node runs the same.
 */
export async function applyDefaultImports(
  tree: Tree,
  files: readonly string[],
  layout: Pick<ProjectLayout, "defaultImports" | "moduleSystem">,
): Promise<void> {
  if (layout.defaultImports !== false) return;
  for (const file of files.filter((candidate) => TYPESCRIPT_FILE.test(candidate))) {
    if (!DEFAULT_IMPORT.test(tree.read(file) ?? "")) continue;
    await editSourceFile(tree, file, (sourceFile, tsMorph) => {
      rewriteFile(sourceFile, tsMorph, layout.moduleSystem ?? "esm");
    });
  }
}
