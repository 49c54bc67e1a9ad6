import { applyGivenSetup, defaultToolSpec, inspectRepo, readToolchain } from "../../src/devkit/index.js";
import type { GeneratorContext, PackageManager } from "../../src/devkit/index.js";
import type { InitOptions } from "./generator.js";
import { locateClient } from "./locate-client.js";
import { refuseOrphanModules } from "./own-modules.js";
import { assertServedVersions } from "./version-floor.js";

/** init's flags as parsed (`--pm`, `--tool-spec`, `--schema`, `--db-client`). */
export interface InitValues {
  packageManager?: PackageManager | undefined;
  toolSpec?: string | undefined;
  schema?: string | undefined;
  dbClient?: string | undefined;
}

/** Reads the repo (package.json, tsconfig, Drizzle and pool modules) before anything is staged. */
export async function readRepo(values: InitValues, context: GeneratorContext): Promise<InitOptions> {
  // Files an earlier run wrote are ours to regenerate, not the repo's own modules.
  const owned = new Set(Object.keys(context.manifest?.files ?? {}));
  const facts = await inspectRepo(context.host, { ignore: owned });
  // What init was told wins over what it finds; a re-run without the flags keeps what the first run was told.
  const recorded = context.manifest?.layout.db;
  applyGivenSetup(context.host, facts.drizzle, {
    schema: values.schema ?? recorded?.schema,
    dbClient: values.dbClient ?? recorded?.dbClient,
  });
  const clientNote = await locateClient(context.host, facts, owned);
  if (!context.manifest) refuseOrphanModules(context.host, facts.srcDir);
  const packageManager = values.packageManager ?? context.packageManager;
  const toolchain = readToolchain(context.cwd, facts.packageJson as Record<string, unknown>);
  assertServedVersions(facts, toolchain);
  return {
    facts,
    toolchain,
    packageManager,
    toolSpec: values.toolSpec ?? defaultToolSpec(packageManager),
    owned,
    ...(clientNote ? { notes: [clientNote] } : {}),
  };
}
