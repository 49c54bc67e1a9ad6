import ts from "typescript";

import { isProjectFile, resolveAlias } from "./type-origin.js";

// Node modules whose *Sync functions block the event loop (CPU: crypto, zlib; I/O: fs, child_process).
const NODE_BLOCKING_MODULE = /[\\/]node_modules[\\/]@types[\\/]node[\\/](?:fs|crypto|zlib|child_process)\.d\.ts$/;
const BCRYPT_MODULE = /[\\/]node_modules[\\/](?:@types[\\/])?bcrypt(?:js)?[\\/]/;
const BCRYPT_BLOCKING = new Set(["hashSync", "compareSync", "genSaltSync"]);
// How far a handler's calls into the project's own functions are followed.
export const MAX_CALL_DEPTH = 3;

/** `crypto.pbkdf2Sync` style name of a known blocking function, or undefined. */
export function blockingApiName(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): string | undefined {
  if (!symbol) return undefined;
  const target = resolveAlias(checker, symbol);
  for (const declaration of target.declarations ?? []) {
    const file = declaration.getSourceFile().fileName;
    const nodeModule = NODE_BLOCKING_MODULE.exec(file);
    if (nodeModule && target.name.endsWith("Sync"))
      return `${file.replace(/^.*[\\/]/, "").replace(/\.d\.ts$/, "")}.${target.name}`;
    if (BCRYPT_MODULE.test(file) && BCRYPT_BLOCKING.has(target.name)) return `bcrypt.${target.name}`;
  }
  return undefined;
}

function functionBody(declaration: ts.Declaration | undefined): ts.Node | undefined {
  if (!declaration) return undefined;
  if (
    ts.isFunctionDeclaration(declaration) ||
    ts.isMethodDeclaration(declaration) ||
    ts.isFunctionExpression(declaration) ||
    ts.isArrowFunction(declaration)
  ) {
    return declaration.body;
  }
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = declaration.initializer;
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer.body;
  }
  return undefined;
}

export interface BlockingPath {
  api: string;
  /** The project functions between the call site and the blocking call. */
  via: string[];
  location: string;
}

/**
 * Follows a call into the project's own functions (up to MAX_CALL_DEPTH) and returns the first known blocking
 * call it reaches.
 */
export function findBlockingPath(
  checker: ts.TypeChecker,
  callee: ts.Symbol | undefined,
  visited = new Set<ts.Symbol>(),
  depth = 0,
): BlockingPath | undefined {
  if (!callee || depth >= MAX_CALL_DEPTH) return undefined;
  const target = resolveAlias(checker, callee);
  if (visited.has(target)) return undefined;
  visited.add(target);
  const declaration = target.valueDeclaration ?? target.declarations?.[0];
  if (!declaration || !isProjectFile(declaration.getSourceFile().fileName)) return undefined;
  const body = functionBody(declaration);
  if (!body) return undefined;
  let found: BlockingPath | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const symbol = checker.getSymbolAtLocation(node.expression);
      const api = blockingApiName(checker, symbol);
      if (api) {
        const file = node.getSourceFile();
        const { line } = file.getLineAndCharacterOfPosition(node.getStart());
        found = { api, via: [target.name], location: `${file.fileName.replace(/^.*[\\/]/, "")}:${String(line + 1)}` };
        return;
      }
      const deeper = findBlockingPath(checker, symbol, visited, depth + 1);
      if (deeper) {
        found = { ...deeper, via: [target.name, ...deeper.via] };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}
