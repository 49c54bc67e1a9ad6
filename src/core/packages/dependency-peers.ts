import type { DependencyName } from "./dependency-versions.js";

/**
 * Peer ranges of the versions in dependency-versions.ts that can clash with what a repo has installed
 * (`npm view NAME@VERSION peerDependencies`; optional peers too: npm checks them once installed).
 * Update together with DEPENDENCY_VERSIONS.
 */
export const DEPENDENCY_PEERS: Partial<Record<DependencyName, Record<string, string>>> = {
  bullmq: { "bullmq-otel": ">=2.0.0", ioredis: ">=5.0.0", pg: ">=8.0.0", redis: ">=5.0.0" },
  vitest: {
    "@types/node": "^20.0.0 || ^22.0.0 || >=24.0.0",
    "@vitest/coverage-istanbul": "4.1.12",
    "@vitest/coverage-v8": "4.1.12",
    "@vitest/ui": "4.1.12",
    vite: "^6.0.0 || ^7.0.0 || ^8.0.0",
  },
  "@eslint/js": { eslint: "^10.0.0" },
  "typescript-eslint": { eslint: "^8.57.0 || ^9.0.0 || ^10.0.0", typescript: ">=4.8.4 <6.1.0" },
  "eslint-plugin-import-x": { "@typescript-eslint/utils": "^8.56.0", eslint: "^8.57.0 || ^9.0.0 || ^10.0.0" },
  "eslint-plugin-unicorn": { eslint: ">=9.38.0" },
};
