import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

import semver from "semver";

import { packageInfo, packageRoot } from "../packages/package-root.js";
import { installedPackageDir } from "./installed-packages.js";

/** Where fetched package types and typecheck baselines live; CREATE_PERF_BACKEND_CACHE moves it (tests). */
export function toolCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.CREATE_PERF_BACKEND_CACHE;
  if (override) return override;
  return path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "create-perf-backend");
}

const DEPENDENCY_SECTIONS = ["dependencies", "devDependencies"] as const;
// A teammate's branch may declare what this checkout has not installed; npm/pnpm put every declared package here.
const NODE_MODULES = "node_modules";
// Fetching one package's types: the registry, once per version.
const FETCH_TIMEOUT_MS = 120_000;

/** `{ name: spec }` of a package.json's dependencies and devDependencies ({} when unreadable). */
export function declaredDependencies(text: string | null): Map<string, string> {
  try {
    const json = JSON.parse(text ?? "{}") as Record<string, unknown>;
    return new Map(
      DEPENDENCY_SECTIONS.flatMap((section) => {
        const entries = json[section];
        return entries && typeof entries === "object"
          ? Object.entries(entries as Record<string, unknown>).map(([name, spec]): [string, string] => [
              name,
              String(spec),
            ])
          : [];
      }),
    );
  } catch {
    return new Map();
  }
}

/** Declared packages that are not installed (the repo's check would cascade into TS2307 on each importer). */
export function missingDeclaredPackages(root: string, manifests: readonly (string | null)[]): string[] {
  const names = new Set(manifests.flatMap((text) => [...declaredDependencies(text).keys()]));
  return [...names].filter((name) => installedPackageDir(root, name) === null).sort();
}

function versionOf(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

function satisfies(version: string | null, spec: string): boolean {
  return (
    version !== null && (version === spec || (semver.validRange(spec) !== null && semver.satisfies(version, spec)))
  );
}

/** Where a package's types come from, and whether the registry had to be asked. */
export interface TypeSource {
  name: string;
  dir: string;
}

/**
 * A folder holding the package a run adds, at the version it pins, so its types can be checked before anything
 * is installed: a `file:` spec's folder, this tool's own copy when it is that version, else a per-version cache
 * the registry fills once (`npm install --ignore-scripts` into a temp folder, renamed into place).
 */
export async function typeSourceFor(
  name: string,
  spec: string,
  manifestDir: string,
  cacheDir: string,
): Promise<TypeSource | null> {
  if (spec.startsWith("file:")) {
    const dir = path.resolve(manifestDir, spec.slice("file:".length));
    return existsSync(path.join(dir, "package.json")) ? { name, dir } : null;
  }
  const tool = packageInfo();
  if (name === tool.name && satisfies(tool.version, spec)) return { name, dir: packageRoot() };
  const own = installedPackageDir(packageRoot(), name);
  if (own && satisfies(versionOf(own), spec)) return { name, dir: own };
  if (!semver.valid(spec)) return null;
  const entry = path.join(cacheDir, "packages", `${name.replace("/", "+")}@${spec}`);
  const dir = path.join(entry, NODE_MODULES, name);
  if (existsSync(path.join(dir, "package.json"))) return { name, dir };
  return (await fetchPackage(name, spec, entry)) ? { name, dir } : null;
}

async function fetchPackage(name: string, version: string, entry: string): Promise<boolean> {
  const temp = `${entry}.tmp-${String(process.pid)}`;
  mkdirSync(temp, { recursive: true });
  writeFileSync(path.join(temp, "package.json"), '{ "private": true }\n');
  try {
    const { execa } = await import("execa");
    await execa(
      "npm",
      [
        "install",
        `${name}@${version}`,
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
        "--loglevel=error",
      ],
      {
        cwd: temp,
        timeout: FETCH_TIMEOUT_MS,
      },
    );
    rmSync(entry, { recursive: true, force: true });
    renameSync(temp, entry);
    return true;
  } catch {
    rmSync(temp, { recursive: true, force: true });
    return false;
  }
}
