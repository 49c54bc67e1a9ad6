import path from "node:path";

import type * as TsMorphModule from "ts-morph";
import type { SourceFile } from "ts-morph";

import type { ProjectLayout } from "../manifest.js";
import { moduleSpecifier, TYPESCRIPT_FILE } from "../module-specifier.js";
import type { Tree } from "../tree.js";
import { editSourceFile } from "./edit-source.js";

const RELATIVE_JS = /^\.\.?\/.*\.js$/;
const MOCK_CALLEES = new Set(["vi.mock", "vi.doMock", "vi.importActual", "vi.importMock"]);

/** Calls `rewrite` for every module specifier in the file (imports, re-exports, `import()`, vitest mocks). */
export function rewriteModuleSpecifiers(
  sourceFile: SourceFile,
  tsMorph: typeof TsMorphModule,
  rewrite: (specifier: string) => string | undefined,
): void {
  for (const declaration of [...sourceFile.getImportDeclarations(), ...sourceFile.getExportDeclarations()]) {
    const specifier = declaration.getModuleSpecifierValue();
    if (specifier === undefined) continue;
    const next = rewrite(specifier);
    if (next !== undefined && next !== specifier) declaration.setModuleSpecifier(next);
  }
  for (const call of sourceFile.getDescendantsOfKind(tsMorph.SyntaxKind.CallExpression)) {
    const callee = call.getExpression().getText();
    const [first] = call.getArguments();
    if ((callee !== "import" && !MOCK_CALLEES.has(callee)) || !first?.isKind(tsMorph.SyntaxKind.StringLiteral))
      continue;
    const next = rewrite(first.getLiteralValue());
    if (next !== undefined && next !== first.getLiteralValue()) first.setLiteralValue(next);
  }
}

/** True when generated code must be adapted from the templates' NodeNext-relative form. */
export function needsImportRewrite(layout: Pick<ProjectLayout, "importStyle" | "aliases">): boolean {
  return layout.importStyle !== "nodenext" || (layout.aliases?.length ?? 0) > 0;
}

/**
 * Templates import their siblings NodeNext style (`../db/client.js`); a project with bundler resolution
 * or path aliases gets those specifiers in its own style.
 */
export async function applyImportStyle(tree: Tree, files: readonly string[], layout: ProjectLayout): Promise<void> {
  if (!needsImportRewrite(layout)) return;
  for (const file of files.filter((candidate) => TYPESCRIPT_FILE.test(candidate))) {
    await editSourceFile(tree, file, (sourceFile, tsMorph) => {
      rewriteModuleSpecifiers(sourceFile, tsMorph, (specifier) => {
        if (!RELATIVE_JS.test(specifier)) return undefined;
        const target = path.posix.join(path.posix.dirname(file), specifier.replace(/\.js$/, ".ts"));
        return moduleSpecifier(layout, file, target);
      });
    });
  }
}
