import { detect } from "package-manager-detector/detect";

import { isPackageManager } from "./package-manager.js";
import type { PackageManager } from "./package-manager.js";

/** Lockfiles and `packageManager`, walking up to the workspace root; npm when nothing tells. */
export async function detectPackageManager(root: string): Promise<PackageManager> {
  const found = await detect({ cwd: root });
  return isPackageManager(found?.name) ? found.name : "npm";
}
