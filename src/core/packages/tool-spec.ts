import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import type { PackageManager } from "./package-manager.js";
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

function fromDisk(): string | null {
  const root = packageRoot();
  if (path.basename(path.dirname(root)) !== "node_modules") return `file:${root}`;
  const source = installedFrom(root, packageInfo().name);
  return source?.startsWith("file:") ? source : null;
}

const FILE = "file:";
const TARBALL = /\.(?:tgz|tar\.gz)$/;

/**
 * How a generated project should depend on this tool: the registry version when installed from it,
 * otherwise the local checkout or tarball it runs from (the package is not published yet). A checkout is
 * `link:` for pnpm: its `file:` copies the folder, installs its dependencies and links their bins (our
 * TypeScript's tsc) into the package, ahead of the workspace's own. Not for yarn 1: its `link:` writes the
 * bins of our dependencies into the checkout's node_modules/.bin, pointing at the user's repo.
 */
export function defaultToolSpec(packageManager: PackageManager = "npm"): string {
  const spec = fromDisk();
  if (spec === null) return `^${packageInfo().version}`;
  return packageManager === "pnpm" && spec.startsWith(FILE) && !TARBALL.test(spec)
    ? `link:${spec.slice(FILE.length)}`
    : spec;
}
