import lessThan from "semver/functions/lt.js";
import validVersion from "semver/functions/valid.js";
import minVersion from "semver/ranges/min-version.js";

import { pinnedDependencies, UsageError } from "../../src/devkit/index.js";
import type { RepoFacts, ToolchainFacts } from "../../src/devkit/index.js";

// The oldest lines generated code is written for, and why: below them the code fails to compile or to run.
const OLDEST_DRIZZLE_ORM = "0.36.0";
const DRIZZLE_ORM_NEEDS =
  "identity columns (generatedAlwaysAsIdentity), $onUpdate, db.$client and the relational query options it emits";
const OLDEST_TYPES_NODE = "20.12.0";
const TYPES_NODE_NEEDS = "AbortSignal.any and process.loadEnvFile";
// BigInt literals, Promise.allSettled and iteration of Map/Set without downlevelIteration.
const OLDEST_ES_LIB = 2020;

/** The version a package has here: the installed one first, else the lowest its declared range allows. */
function versionOf(
  name: string,
  facts: RepoFacts,
  toolchain: ToolchainFacts,
): { version: string; source: string } | null {
  const installed = toolchain.installed[name]?.version;
  if (installed && validVersion(installed)) return { version: installed, source: "installed" };
  const declared =
    facts.packageJson.dependencies?.[name] ??
    facts.packageJson.devDependencies?.[name] ??
    toolchain.workspaceDb?.declared[name];
  if (!declared) return null;
  try {
    const lowest = minVersion(declared);
    return lowest ? { version: lowest.version, source: `declared ${declared}` } : null;
  } catch {
    // A range semver cannot read (a tag, a git or workspace spec): nothing to compare.
    return null;
  }
}

/**
 * What init cannot serve in this repo, said before anything is written (exit 2), instead of code that fails to
 * compile: the verified-writes check would refuse it too, but with a list of TypeScript errors, not the reason.
 */
export function assertServedVersions(facts: RepoFacts, toolchain: ToolchainFacts): void {
  const problems: string[] = [];
  const fixes: string[] = [];
  const drizzle = versionOf("drizzle-orm", facts, toolchain);
  if (drizzle && lessThan(drizzle.version, OLDEST_DRIZZLE_ORM)) {
    problems.push(
      `drizzle-orm ${drizzle.version} (${drizzle.source}) is older than ${OLDEST_DRIZZLE_ORM}: generated code uses ${DRIZZLE_ORM_NEEDS}`,
    );
    const pinned = pinnedDependencies(["drizzle-orm", "drizzle-kit"]);
    fixes.push(
      `Upgrade drizzle-orm (and drizzle-kit) to ${OLDEST_DRIZZLE_ORM} or newer, e.g. npm install drizzle-orm@${pinned["drizzle-orm"]} && npm install -D drizzle-kit@${pinned["drizzle-kit"]}, then run init again.`,
    );
  }
  const typesNode = versionOf("@types/node", facts, toolchain);
  if (typesNode && lessThan(typesNode.version, OLDEST_TYPES_NODE)) {
    problems.push(
      `@types/node ${typesNode.version} (${typesNode.source}) is older than ${OLDEST_TYPES_NODE}: generated code uses ${TYPES_NODE_NEEDS}`,
    );
    fixes.push(
      `Upgrade the types: npm install -D @types/node@${pinnedDependencies(["@types/node"])["@types/node"]} (or the newest of your Node's line), then run init again.`,
    );
  }
  const esLib = facts.tsconfig.esLib;
  if (esLib !== undefined && esLib < OLDEST_ES_LIB) {
    problems.push(
      `tsconfig.json targets ES${esLib === 2009 ? "5" : String(esLib)}: generated code needs ES${String(OLDEST_ES_LIB)} (BigInt literals, Promise.allSettled, Set and Map iteration)`,
    );
    fixes.push(
      `Set "target" (or "lib") in tsconfig.json to "ES${String(OLDEST_ES_LIB)}" or newer; Node 22 runs ES2023.`,
    );
  }
  if (facts.tsconfig.implicitAnyWithoutNullChecks) {
    problems.push(
      "tsconfig.json has noImplicitAny (strict) on but strictNullChecks off: a function that returns null then has an implicit any return type (TS7011), which generated code has",
    );
    fixes.push(
      'Turn strictNullChecks on (remove "strictNullChecks": false), or noImplicitAny off with it, as NestJS\'s defaults do; then run init again.',
    );
  }
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  throw new UsageError(`${first ?? ""}; nothing was written.`, [
    ...rest.map((problem) => `Also: ${problem}.`),
    ...fixes,
  ]);
}
