import { pinnedDependencies } from "../../src/core/packages/dependency-versions.js";

/**
 * One node_modules above a set of fixture repos: each fixture's own `tsc`, `vitest` and `drizzle-kit` resolve
 * packages from there, so suites install once (the versions generated projects pin).
 */
export const FIXTURE_ROOT_DEPENDENCIES = {
  ...pinnedDependencies([
    "@types/node",
    "@types/pg",
    "dataloader",
    "drizzle-kit",
    "drizzle-orm",
    "lru-cache",
    "pg",
    "pino",
    "piscina",
    "redis",
    "tsx",
    "typescript",
    "vitest",
  ]),
  // The driver of the postgres.js fixtures (their own dependency, not one generated projects pin).
  postgres: "3.4.9",
};
