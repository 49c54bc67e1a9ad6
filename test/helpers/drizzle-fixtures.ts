import path from "node:path";
import { fileURLToPath } from "node:url";

import { createDiskHost } from "../../src/core/host.js";
import { Tree } from "../../src/core/tree.js";
import type { ReadSchemaOptions } from "../../src/schema-model/index.js";

export const DRIZZLE_FIXTURES_DIR = fileURLToPath(new URL("../fixtures/drizzle-schemas/", import.meta.url));

/** Every shape of the corpus; `define-relations` is Drizzle 1.0 and does not compile against 0.45. */
export const DRIZZLE_SHAPES = [
  "t3-single-file",
  "pascal-table-folder",
  "no-relations",
  "snake-casing",
  "uuid-text-keys",
  "self-reference",
  "multiple-fks",
  "pg-schema",
  "composite-join",
  "pnpm-monorepo",
  "numeric-unique",
] as const;

export const V2_SHAPE = "define-relations";

export const fixtureDir = (shape: string): string => path.join(DRIZZLE_FIXTURES_DIR, shape);

/** A fixture repo as a tree, read from disk like a real one. */
export const fixtureTree = (shape: string): Tree => new Tree(createDiskHost(fixtureDir(shape)));

/** Where the Drizzle project sits inside a fixture (a package of a monorepo). */
const SHAPE_ROOTS: Readonly<Record<string, string>> = { "pnpm-monorepo": "packages/db" };

export const fixtureOptions = (shape: string): ReadSchemaOptions => ({ root: SHAPE_ROOTS[shape] ?? "" });
