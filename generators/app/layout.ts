import type { ProjectLayout } from "../../src/devkit/declare.js";

/** Where a new project keeps things; `init` records a detected layout of the same shape instead. */
export const DEFAULT_LAYOUT: ProjectLayout = {
  srcDir: "src",
  importStyle: "nodenext",
  db: {
    pool: "src/db/pool.ts",
    client: "src/db/client.ts",
    transaction: "src/db/transaction.ts",
    schemaDir: "src/db/schema",
    schemaBarrel: "src/db/schema/index.ts",
    migrationsDir: "drizzle",
  },
  repositoriesDir: "src/repositories",
  cache: { client: "src/cache/redis-client.ts", dir: "src/cache" },
  workers: {
    dir: "src/workers",
    pools: "src/workers/worker-pools.ts",
    resolveWorkerFile: "src/workers/resolve-worker-file.ts",
  },
  shutdown: "src/shutdown.ts",
};
