import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export interface WorkspaceRoot {
  /** Absolute folder of the workspace root. */
  dir: string;
  /** Its package.json ({} when it has none, as a pnpm workspace may). */
  json: Record<string, unknown>;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The nearest folder above `packageDir` that declares a workspace (pnpm-workspace.yaml, or `workspaces` in package.json). */
export function findWorkspaceRoot(packageDir: string): WorkspaceRoot | null {
  for (let dir = path.dirname(packageDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const json = readJson(path.join(dir, "package.json"));
    if (existsSync(path.join(dir, "pnpm-workspace.yaml")) || json?.workspaces !== undefined)
      return { dir, json: json ?? {} };
  }
  return null;
}

/** The workspace root as a tree path relative to the package (`../..`), when the package is in one that has a package.json. */
export function workspaceRootFromPackage(packageDir: string): string | null {
  const root = findWorkspaceRoot(packageDir);
  if (!root || !existsSync(path.join(root.dir, "package.json"))) return null;
  return path.relative(packageDir, root.dir).split(path.sep).join("/");
}
