import { existsSync } from "node:fs";
import path from "node:path";

// Light on purpose: run.ts asks these before it loads the checker (semver, the TypeScript routes).
const NODE_MODULES = "node_modules";

/** The installed copy of `name` as Node would find it from `from` (walking up node_modules folders), or null. */
export function installedPackageDir(from: string, name: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, NODE_MODULES, name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

/** Whether any node_modules exists from `root` up: none means nothing was installed, so no check can run. */
export function hasNodeModules(root: string): boolean {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, NODE_MODULES))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}
