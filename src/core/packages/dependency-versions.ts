import { nodeTarget } from "../node-target.js";

/**
 * Every version a generated project gets, pinned exactly (no ranges) and checked against Node 20
 * with `npm view NAME@VERSION engines`. The one place to bump them.
 */
export const DEPENDENCY_VERSIONS = {
  // runtime
  "@fastify/under-pressure": "9.2.0",
  bullmq: "6.7.0",
  dataloader: "2.2.3",
  "drizzle-orm": "0.45.4",
  fastify: "5.12.8",
  // BullMQ's Redis driver (an optional peer it loads when given connection options, not a client).
  ioredis: "6.0.0",
  "lru-cache": "11.5.3",
  pg: "8.23.1",
  piscina: "5.3.2",
  pino: "10.4.0",
  "prom-client": "15.1.3",
  redis: "6.3.1",
  // development
  "@eslint/js": "10.0.1",
  "@types/node": "20.19.43",
  "@types/pg": "8.23.1",
  "drizzle-kit": "0.31.11",
  eslint: "10.15.0",
  "eslint-plugin-import-x": "4.18.1",
  "eslint-plugin-unicorn": "65.0.1",
  globals: "17.14.0",
  plop: "4.0.5",
  tsx: "4.23.15",
  typescript: "6.0.3",
  "typescript-eslint": "8.74.0",
  vitest: "4.1.12",
} as const satisfies Record<string, string>;

export type DependencyName = keyof typeof DEPENDENCY_VERSIONS;

/** `{ name: version }` for the given packages, in the order given; `@types/node` for the Node line this runs on. */
export function pinnedDependencies(names: readonly DependencyName[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [name, name === "@types/node" ? nodeTarget().typesNode : DEPENDENCY_VERSIONS[name]]),
  );
}
