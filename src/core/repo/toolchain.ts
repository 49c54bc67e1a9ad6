import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import satisfiesRange from "semver/functions/satisfies.js";
import validVersion from "semver/functions/valid.js";

import { createDiskHost } from "../host.js";
import { DEPENDENCY_PEERS } from "../packages/dependency-peers.js";
import type { DependencyName } from "../packages/dependency-versions.js";
import { DEPENDENCY_SECTIONS } from "../packages/package-json-order.js";
import { findWorkspaceRoot } from "../workspace-root.js";
import { findWorkspaceDbPackage, workspaceGlobs } from "./workspace-db.js";
import type { WorkspaceDbPackage } from "./workspace-db.js";

interface InstalledPackage {
  version: string;
  peers: Record<string, string>;
}

/** What the repo's workspace root declares and what is installed where the package resolves modules. */
export interface ToolchainFacts {
  /** The workspace root above the package (pnpm-workspace.yaml or `workspaces`), when there is one. */
  workspaceRoot: {
    dir: string;
    declared: Record<string, string>;
    eslintConfig: string | null;
    /** Tasks of the root's turbo.json (`tasks`, or turbo 1's `pipeline`); absent without Turborepo. */
    turboTasks?: string[];
  } | null;
  /** Installed packages the package or its workspace root declares (node_modules, walking up). */
  installed: Record<string, InstalledPackage>;
  /** The workspace package the app depends on for its database (db and/or schema), when there is one. */
  workspaceDb?: WorkspaceDbPackage | null;
}

const ESLINT_FLAT_CONFIGS = ["eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts"];

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function declaredIn(json: Record<string, unknown>): Record<string, string> {
  return Object.assign(
    {},
    ...DEPENDENCY_SECTIONS.map((section) => (json[section] ?? {}) as Record<string, string>),
  ) as Record<string, string>;
}

function findInstalled(cwd: string, name: string): InstalledPackage | null {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const json = readJson(path.join(dir, "node_modules", name, "package.json"));
    if (json && typeof json.version === "string")
      return { version: json.version, peers: (json.peerDependencies ?? {}) as Record<string, string> };
    if (dir === path.dirname(dir)) return null;
  }
}

/** The task names of a workspace root's turbo.json (turbo 2 `tasks`, turbo 1 `pipeline`); nothing without one. */
function turboTasksOf(rootDir: string): { turboTasks?: string[] } {
  const turbo = readJson(path.join(rootDir, "turbo.json"));
  if (!turbo) return {};
  const tasks = turbo["tasks"] ?? turbo["pipeline"];
  return { turboTasks: tasks && typeof tasks === "object" ? Object.keys(tasks) : [] };
}

/** Reads, on disk, what surrounds the package `init` runs in (a virtual workspace finds nothing). */
export function readToolchain(cwd: string, packageJson: Record<string, unknown>): ToolchainFacts {
  const root = findWorkspaceRoot(cwd);
  const workspaceRoot = root
    ? {
        dir: root.dir,
        declared: declaredIn(root.json),
        eslintConfig: ESLINT_FLAT_CONFIGS.find((file) => existsSync(path.join(root.dir, file))) ?? null,
        ...turboTasksOf(root.dir),
      }
    : null;
  const installed: Record<string, InstalledPackage> = {};
  for (const name of Object.keys({ ...workspaceRoot?.declared, ...declaredIn(packageJson) })) {
    const found = findInstalled(cwd, name);
    if (found) installed[name] = found;
  }
  let workspaceDb: WorkspaceDbPackage | null = null;
  if (root) {
    const rootHost = createDiskHost(root.dir);
    const globs = workspaceGlobs(rootHost, root.json);
    const consumerDir = path.relative(root.dir, cwd).split(path.sep).join("/");
    workspaceDb = globs ? findWorkspaceDbPackage(rootHost, globs, packageJson, consumerDir) : null;
  }
  return { workspaceRoot, installed, workspaceDb };
}

export interface DependencyAdaptation {
  /** What is safe to add. */
  additions: Record<string, string>;
  /** Packages left out because an installed package's peer range (or ours) excludes the version. */
  conflicts: Array<{ name: string; version: string; reason: string }>;
  notes: string[];
}

const satisfies = (version: string, range: string): boolean =>
  satisfiesRange(version, range, { includePrerelease: true });

/**
 * Adapts the packages we would add to the toolchain the repo has: the workspace root's packages are
 * used as they are, and a package whose peers clash with what is installed is left out and reported
 * (npm's ERESOLVE, or an install every later run trips over, is worse than a missing package).
 */
export function adaptDependencies(wanted: Record<string, string>, toolchain: ToolchainFacts): DependencyAdaptation {
  const result: DependencyAdaptation = { additions: {}, conflicts: [], notes: [] };
  const rootDeclared = toolchain.workspaceRoot?.declared ?? {};
  const fromRoot: string[] = [];
  for (const [name, version] of Object.entries(wanted)) {
    if (rootDeclared[name] !== undefined) {
      fromRoot.push(`${name}@${rootDeclared[name]}`);
      continue;
    }
    const reasons: string[] = [];
    // A spec that is no version (`workspace:*`, `catalog:`, a range taken from the workspace) is not peer-checked.
    if (validVersion(version) === null) {
      result.additions[name] = version;
      continue;
    }
    for (const [owner, installed] of Object.entries(toolchain.installed)) {
      const range = installed.peers[name];
      if (range !== undefined && !satisfies(version, range))
        reasons.push(`your ${owner}@${installed.version} needs ${name} ${range}`);
    }
    for (const [peer, range] of Object.entries(DEPENDENCY_PEERS[name as DependencyName] ?? {})) {
      const have = toolchain.installed[peer]?.version;
      if (have !== undefined && !satisfies(have, range))
        reasons.push(`${name}@${version} needs ${peer} ${range}, you have ${have}`);
    }
    if (reasons.length === 0) result.additions[name] = version;
    else result.conflicts.push({ name, version, reason: reasons.join("; ") });
  }
  if (fromRoot.length > 0)
    result.notes.push(`package.json: using the workspace root's ${fromRoot.join(", ")} (not added here).`);
  for (const conflict of result.conflicts) {
    result.notes.push(
      `package.json: did not add ${conflict.name}@${conflict.version}: ${conflict.reason}. Bump those (or add a compatible ${conflict.name}) yourself.`,
    );
  }
  return result;
}
