import { defineConfig } from "vitest/config";

const UNIT_TIMEOUT_MS = 20_000;

export default defineConfig({
  test: {
    include: ["src/**/*.spec.ts", "generators/**/*.spec.ts", "test/**/*.test.ts"],
    testTimeout: UNIT_TIMEOUT_MS,
    hookTimeout: UNIT_TIMEOUT_MS,
    // e2e suites install packages and start services: keep them from fighting over 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
