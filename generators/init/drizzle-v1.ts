import path from "node:path";

import lessThan from "semver/functions/lt.js";
import minVersion from "semver/ranges/min-version.js";

import { drizzleLineOf, readProjectSchema, UsageError } from "../../src/devkit/index.js";
import type { RepoFacts, ToolchainFacts, Tree } from "../../src/devkit/index.js";
import type { ModulePlan } from "./module-plan.js";

/** What init's client needs on a drizzle-orm 1.0 repo: the repo's own `defineRelations` export to pass as `relations`. */
export interface DrizzleV1Relations {
  /** The module that exports it. */
  file: string;
  /** Its export name (`relations` in Drizzle's docs). */
  exportName: string;
  /** The repo has none yet: init places this module (`defineRelations(schema, () => ({}))`). */
  placed: boolean;
  notes: string[];
}

// The first version of the 1.0 line, prereleases included (1.0.0-rc.5 is one).
const FIRST_V1 = "1.0.0-0";

/** Whether a declared range's lowest version is on the 1.0 line (a tag or workspace spec is not). */
function isV1Range(range: string): boolean {
  try {
    const lowest = minVersion(range);
    return lowest !== null && !lessThan(lowest, FIRST_V1);
  } catch {
    return false;
  }
}

// The name generated clients use for it: `drizzle({ client, relations })`.
const RELATIONS_BINDING = "relations";
const RELATIONS_MODULE = "relations.ts";

/** `relations`, or `appRelations as relations`: the import clause that binds the repo's export to the client's name. */
export const relationsBinding = (exportName: string): string =>
  exportName === RELATIONS_BINDING ? RELATIONS_BINDING : `${exportName} as ${RELATIONS_BINDING}`;

/**
 * On drizzle-orm 1.0 (installed, else the declared range), init's client is `drizzle({ client, relations })` over the
 * repo's own defineRelations, never v0 `relations()` (a repo with tables only gets an empty one beside its schema).
 * What it cannot serve is exit 2 before anything is written, naming it: v0 relations() beside 1.0 (readProjectSchema
 * says so), a defineRelations that is not exported, a workspace db package (its relations live in another package).
 * Null on the 0.x line.
 */
export async function planDrizzleV1(
  tree: Tree,
  facts: RepoFacts,
  toolchain: ToolchainFacts,
  plan: ModulePlan,
  owned: ReadonlySet<string>,
): Promise<DrizzleV1Relations | null> {
  const shared = toolchain.workspaceDb?.declared["drizzle-orm"];
  const sharedOnV1 = shared !== undefined && isV1Range(shared);
  if (drizzleLineOf(tree) !== "1" && !sharedOnV1) return null;
  if (toolchain.workspaceDb) {
    throw new UsageError(
      `This package is on drizzle-orm 1.0 and its database comes from the workspace package ${toolchain.workspaceDb.name}: init does not serve a 1.0 client over another package's relations yet; nothing was written.`,
      [`Run init in ${toolchain.workspaceDb.name} itself, or keep this package on drizzle-orm 0.45.`],
    );
  }
  // The repo's own client passes its relations: the model follows that import to the defineRelations file.
  const repoClient = facts.drizzle.db?.file ?? facts.drizzle.client?.file ?? plan.layout.db.client;
  // A repo whose client is not importable (or not made yet) keeps them where Drizzle's docs do: relations.ts beside the schema.
  const besideSchema = path.posix.join(path.posix.dirname(plan.layout.db.schemaBarrel), RELATIONS_MODULE);
  const model = await readProjectSchema(tree, {
    db: { ...plan.layout.db, client: repoClient, schema: plan.layout.db.schema ?? besideSchema },
  });
  const exports = model.relationsExports;
  const main = exports.find((entry) => !entry.part);
  if (!main && model.defineRelations) {
    const { file, line } = model.defineRelations;
    throw new UsageError(
      `This repo is on drizzle-orm 1.0 (relational queries v2), and ${file}:${String(line)} calls defineRelations, but not as an exported const a client can import: generated clients pass the repo's relations to drizzle({ client, relations }); nothing was written.`,
      [
        `Export it (\`export const relations = defineRelations(schema, (r) => ({ ... }));\`), pass it to your drizzle({ client, relations }), then run init again.`,
      ],
    );
  }
  if (!main) {
    // No relations yet (tables only): ours beside the schema, as a new 1.0 project has it; generators fill it.
    const besideBarrel = path.posix.dirname(plan.layout.db.schemaBarrel);
    const preferred = path.posix.join(besideBarrel, RELATIONS_MODULE);
    const file =
      tree.exists(preferred) && !owned.has(preferred)
        ? path.posix.join(besideBarrel, `perf-${RELATIONS_MODULE}`)
        : preferred;
    return {
      file,
      exportName: RELATIONS_BINDING,
      // An earlier run's own (generators may have added entries since): kept as it is.
      placed: !(owned.has(file) && tree.exists(file)),
      notes: [
        `drizzle-orm 1.0: no defineRelations in your schema, so ${file} holds one (relations v2) for ${plan.layout.db.client}'s drizzle({ client, relations }); generators add each table's r.one / r.many there.`,
      ],
    };
  }
  const parts = exports.filter((entry) => entry.part);
  const notes = [
    `drizzle-orm 1.0: ${plan.layout.db.client} is drizzle({ client, relations }) over your ${main.name} from ${main.file}; generators add missing relations there (r.one / r.many), never v0 relations().`,
  ];
  if (parts.length > 0)
    notes.push(
      `${parts.map((part) => `${part.name} (${part.file})`).join(", ")}: defineRelationsPart relations are not passed to ${plan.layout.db.client}; generated repositories do not read them.`,
    );
  return { file: main.file, exportName: main.name, placed: false, notes };
}
