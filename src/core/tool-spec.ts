import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { packageInfo, packageRoot } from "./package-root.js";

interface HiddenLockfile {
  packages?: Record<string, { resolved?: string }>;
}

function installedFrom(root: string, name: string): string | undefined {
  // npm keeps node_modules/.package-lock.json; its `resolved` says where this copy came from.
  const nodeModules = path.dirname(root);
  const lockfile = path.join(nodeModules, ".package-lock.json");
  if (!existsSync(lockfile)) return undefined;
  const lock = JSON.parse(readFileSync(lockfile, "utf8")) as HiddenLockfile;
  const resolved = lock.packages?.[`node_modules/${name}`]?.resolved;
  if (!resolved?.startsWith("file:")) return resolved;
  // Relative to the project that owns node_modules.
  return `file:${path.resolve(path.dirname(nodeModules), resolved.slice("file:".length))}`;
}

/**
 * How a generated project should depend on this tool: the registry version when installed from it,
 * otherwise the local checkout or tarball it runs from (the package is not published yet).
 */
export function defaultToolSpec(): string {
  const root = packageRoot();
  const { name, version } = packageInfo();
  if (path.basename(path.dirname(root)) !== "node_modules") return `file:${root}`;
  const source = installedFrom(root, name);
  if (source?.startsWith("file:")) return source;
  return `^${version}`;
}
