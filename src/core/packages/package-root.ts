import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { GenerationError } from "../output/errors.js";

const PACKAGE_NAME = "create-perf-backend";

let cachedRoot: string | undefined;

/** This package's root, found from this file whether it runs from src/ (tests) or dist/src/ (built). */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME
    ) {
      cachedRoot = dir;
      return dir;
    }
  }
  throw new GenerationError(`Cannot find the ${PACKAGE_NAME} package root; the installation looks broken.`);
}

export interface PackageInfo {
  name: string;
  version: string;
}

let cachedInfo: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  cachedInfo ??= JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as PackageInfo;
  return cachedInfo;
}
