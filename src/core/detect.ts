import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { detect } from "package-manager-detector/detect";

import { isPackageManager } from "./packages/package-manager.js";
import type { PackageManager } from "./packages/package-manager.js";

// package-manager-detector's order: the first of these in a directory decides when package.json does not.
const LOCKFILES: readonly (readonly [string, PackageManager])[] = [
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

/** Lockfiles and `packageManager`, walking up to the workspace root; npm when nothing tells. */
export async function detectPackageManager(root: string): Promise<PackageManager> {
  const found = await detect({ cwd: root });
  return isPackageManager(found?.name) ? found.name : "npm";
}

function declaresManager(dir: string): boolean {
  try {
    const json = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { packageManager?: unknown };
    return typeof json.packageManager === "string";
  } catch {
    return false;
  }
}

/**
 * When the nearest directory with lockfiles has those of several managers, which one `detectPackageManager` chose
 * and why (the manager is never chosen silently); null when the lockfiles agree.
 */
export function lockfileChoiceNote(root: string, chosen: PackageManager): string | null {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const present = LOCKFILES.filter(([file]) => existsSync(path.join(dir, file)));
    if (present.length > 0) {
      const managers = new Set(present.map(([, manager]) => manager));
      if (managers.size < 2) return null;
      const why = declaresManager(dir)
        ? `package.json's "packageManager" names it`
        : `${present[0]?.[0] ?? ""} comes first in the order bun, pnpm, yarn, npm`;
      const where = path.relative(root, dir) || ".";
      return (
        `Several lockfiles in ${where} (${present.map(([file]) => file).join(", ")}): using ${chosen}, as ${why}. ` +
        `Delete the lockfiles of the managers you do not use, set "packageManager" in package.json, or pass --pm to init.`
      );
    }
    if (path.dirname(dir) === dir) return null;
  }
}
