import path from "node:path";

import type { ProjectLayout } from "../manifest.js";
import { moduleSpecifier } from "../module-specifier.js";
import type { Tree } from "../tree.js";
import { editSourceFile } from "./edit-source.js";
import { rewriteModuleSpecifiers } from "./module-specifiers.js";

const TEST_FILE = /\.(?:test|spec)\.[cm]?tsx?$/;
const RELATIVE = /^\.\.?\//;
const NODENEXT = { importStyle: "nodenext" as const };
const BUNDLER = { importStyle: "bundler" as const };

/** `src/cache/x.test.ts` -> `test/cache/x.test.ts` (the folder under srcDir kept), or null when not a test under srcDir. */
export function testLocation(file: string, layout: Pick<ProjectLayout, "srcDir" | "testsDir">): string | null {
  const testsDir = layout.testsDir;
  if (testsDir === undefined || !TEST_FILE.test(file)) return null;
  const prefix = layout.srcDir === "" || layout.srcDir === "." ? "" : `${layout.srcDir}/`;
  if (!file.startsWith(prefix) || file.startsWith(`${testsDir}/`)) return null;
  return path.posix.join(testsDir, file.slice(prefix.length));
}

/**
 * Generated tests go where the repo keeps its tests (`layout.testsDir`), out of the build's reach; their
 * relative imports (written NodeNext style beside the module) are re-pointed from there. Returns the
 * generated files under their final paths.
 */
export async function relocateTests(
  tree: Tree,
  files: readonly string[],
  layout: Pick<ProjectLayout, "srcDir" | "testsDir">,
): Promise<string[]> {
  const placed: string[] = [];
  for (const file of files) {
    const target = testLocation(file, layout);
    // A file already on disk there is the repo's (or an earlier layout's): left where the generator put it.
    if (target === null || tree.readOriginal(file) !== null) {
      placed.push(file);
      continue;
    }
    tree.move(file, target);
    await editSourceFile(tree, target, (sourceFile, tsMorph) => {
      rewriteModuleSpecifiers(sourceFile, tsMorph, (specifier) => {
        if (!RELATIVE.test(specifier)) return undefined;
        const resolved = path.posix.join(path.posix.dirname(file), specifier.replace(/\.js$/, ".ts"));
        return moduleSpecifier(specifier.endsWith(".js") ? NODENEXT : BUNDLER, target, resolved);
      });
    });
    placed.push(target);
  }
  return placed;
}

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** A message (a "next:" hint, a note) with every moved test's path replaced by where it went. */
export function withMovedPaths(text: string, moves: ReadonlyMap<string, string>): string {
  let result = text;
  for (const [from, to] of moves) {
    // A whole path only: not the tail of a longer one (`other/src/x.test.ts`).
    const whole = new RegExp(`(?<![\\w./-])${from.replace(REGEXP_SPECIAL, "\\$&")}(?![\\w/-])`, "g");
    result = result.replace(whole, to);
  }
  return result;
}
