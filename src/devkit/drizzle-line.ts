import lessThan from "semver/functions/lt.js";
import validVersion from "semver/functions/valid.js";
import minVersion from "semver/ranges/min-version.js";

import type { DrizzleLine } from "../core/drizzle-lines.js";
import { PACKAGE_JSON } from "../core/packages/package-json.js";
import type { Tree } from "../core/tree.js";

// The first version of the 1.0 line, prereleases included (1.0.0-rc.5 is one).
const FIRST_V1 = "1.0.0-0";
const INSTALLED_MANIFEST = "node_modules/drizzle-orm/package.json";

function parse(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A broken manifest says nothing about the line: the next source decides.
    return null;
  }
}

/** drizzle-orm's version in the project: the installed one first, else the lowest its declared range allows. */
export function drizzleOrmVersion(tree: Tree): string | null {
  const installed = parse(tree.read(INSTALLED_MANIFEST))?.["version"];
  if (typeof installed === "string" && validVersion(installed)) return installed;
  const manifest = parse(tree.read(PACKAGE_JSON));
  const sections = ["dependencies", "devDependencies", "peerDependencies"].map(
    (key) => manifest?.[key] as Record<string, unknown> | undefined,
  );
  const declared = sections.map((section) => section?.["drizzle-orm"]).find((value) => typeof value === "string");
  if (typeof declared !== "string") return null;
  try {
    return minVersion(declared)?.version ?? null;
  } catch {
    // A tag, a git or workspace spec: no version to compare.
    return null;
  }
}

/** The drizzle-orm line generated code is written for in this project: "1" from 1.0.0-0 on, else "0". */
export function drizzleLineOf(tree: Tree): DrizzleLine {
  const version = drizzleOrmVersion(tree);
  return version !== null && !lessThan(version, FIRST_V1) ? "1" : "0";
}
