import type { DeferredTask } from "../core/generator.js";
import { declaredAnywhere } from "../core/packages/package-json-order.js";
import { describeDiffering, mergePackageJson } from "../core/packages/package-json.js";
import type { PackageJsonAdditions } from "../core/packages/package-json.js";
import type { PackageManager } from "../core/packages/package-manager.js";
import type { Tree } from "../core/tree.js";

export interface DependencyChanges {
  /** An install, when anything was added. */
  tasks: DeferredTask[];
  /** Versions the project keeps that differ from the ones generated code is tested with. */
  notes: string[];
  /** `section name@version` for every entry added to the package's package.json. */
  added: string[];
  /** `devDependencies name@version` added to the workspace root's package.json (`tree.workspaceManifest`). */
  addedToRoot: string[];
}

// A workspace root whose devDependencies hold one of these keeps the shared dev toolchain: new dev tools join them.
const SHARED_TOOLCHAIN = ["typescript", "vitest", "eslint"];
// Stays in the package: its `file:`/`link:` spec is relative to the package, and the package's scripts and plopfile run it.
const PACKAGE_TOOL = "create-perf-backend";

function parse(text: string | null): Record<string, unknown> | null {
  try {
    return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return null;
  }
}

/**
 * Dev tools in a workspace package: the ones the root declares are the root's (never a second copy), and
 * when the root keeps the dev toolchain, new ones go there too. Read through the tree: the commit checks
 * the root's package.json did not change since, like every file the run read.
 */
function splitDevDependencies(
  tree: Tree,
  devDependencies: Record<string, string>,
  inPackage: readonly string[],
): { own: Record<string, string>; root: Record<string, string> } {
  const root = tree.workspaceManifest ? parse(tree.read(tree.workspaceManifest)) : null;
  if (root === null) return { own: devDependencies, root: {} };
  const rootDev = (root.devDependencies ?? {}) as Record<string, string>;
  const keepsToolchain = typeof rootDev === "object" && SHARED_TOOLCHAIN.some((name) => rootDev[name] !== undefined);
  const pkg = parse(tree.read("package.json")) ?? {};
  const split = { own: {} as Record<string, string>, root: {} as Record<string, string> };
  for (const [name, version] of Object.entries(devDependencies)) {
    if (declaredAnywhere(root, name) !== undefined) continue;
    const toRoot =
      keepsToolchain && name !== PACKAGE_TOOL && !inPackage.includes(name) && declaredAnywhere(pkg, name) === undefined;
    split[toRoot ? "root" : "own"][name] = version;
  }
  return split;
}

/**
 * Adds dependencies and scripts to package.json (never changing an existing entry) and queues one
 * install when anything was added (Nx's addDependenciesToPackageJson). In a workspace package, dev tools
 * follow the workspace root (`splitDevDependencies`); runtime dependencies always stay in the package.
 */
export interface AddDependenciesOptions {
  /** Dev tools the workspace keeps per package (another package of it declares them): never moved to the root. */
  inPackage?: readonly string[];
}

export function addDependencies(
  tree: Tree,
  additions: PackageJsonAdditions,
  packageManager: PackageManager,
  options: AddDependenciesOptions = {},
): DependencyChanges {
  const { own, root } = additions.devDependencies
    ? splitDevDependencies(tree, additions.devDependencies, options.inPackage ?? [])
    : { own: undefined, root: {} };
  const merged = mergePackageJson(tree, { ...additions, ...(own ? { devDependencies: own } : {}) });
  const rootMerged =
    tree.workspaceManifest && Object.keys(root).length > 0
      ? mergePackageJson(tree, { devDependencies: root }, tree.workspaceManifest)
      : null;
  const addedToRoot = rootMerged?.added ?? [];
  return {
    // One install covers both: it runs at the workspace root (tasks.ts).
    tasks: merged.added.length + addedToRoot.length > 0 ? [{ kind: "install", packageManager }] : [],
    notes: [...describeDiffering(merged), ...(rootMerged ? describeDiffering(rootMerged) : [])],
    added: merged.added,
    addedToRoot,
  };
}
