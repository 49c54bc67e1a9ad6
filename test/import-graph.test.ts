import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import ts from "typescript";
import { describe, expect, it } from "vitest";

import { REPO_ROOT } from "./helpers/cli.js";

const SOURCE_FOLDERS = ["src", "generators"];
const TEST_FILE = /\.(?:spec|test)\.ts$/;

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(REPO_ROOT, folder), { withFileTypes: true })) {
    const relative = path.posix.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(relative));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(relative);
  }
  return files;
}

/** Relative imports of every module, type-only ones included (a type cycle is still a design cycle). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SOURCE_FOLDERS.flatMap(sourceFiles)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(REPO_ROOT, file), "utf8"), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, ".ts"),
      );
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components with more than one module (Tarjan): each is an import cycle. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The layer a module belongs to; imports may only point at the same layer or a lower one (the plugin and doctor sit beside the generators). */
const LAYERS: ReadonlyArray<[RegExp, number]> = [
  [/^src\/core\//, 0],
  [/^src\/schema-model\//, 1],
  [/^src\/devkit\//, 2],
  [/^src\/eslint-plugin\//, 2],
  [/^src\/doctor\//, 4],
  [/^generators\/(?!index\.ts|testing\.ts)[^/]+\//, 3],
  [/^generators\/(?:index|testing)\.ts$/, 4],
  [/^src\/(?:cli|plop)\//, 5],
  [/^src\/index\.ts$/, 6],
];
const layerOf = (file: string): number =>
  LAYERS.find(([pattern]) => pattern.test(file))?.[1] ?? Number.POSITIVE_INFINITY;

describe("import graph of the tool", () => {
  const graph = importGraph();

  it("has no cycle, type-only imports included", () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a cycle when there is one (the check itself can fail)", () => {
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b", "c"]]);
  });

  it("flows one way: cli/plop -> registry -> generators -> devkit -> schema model -> core", () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      if (TEST_FILE.test(file)) continue;
      for (const target of targets) if (layerOf(target) > layerOf(file)) upward.push(`${file} -> ${target}`);
    }
    expect(upward).toEqual([]);
  });

  it("generators import only the devkit, never the engine or another generator's folder", () => {
    const reaching: string[] = [];
    for (const [file, targets] of graph) {
      const folder = /^generators\/([^/]+)\//.exec(file)?.[1];
      if (!folder || TEST_FILE.test(file)) continue;
      for (const target of targets) {
        const own = target.startsWith(`generators/${folder}/`);
        const devkit = target.startsWith("src/devkit/");
        if (!own && !devkit) reaching.push(`${file} -> ${target}`);
      }
    }
    expect(reaching).toEqual([]);
  });
});
