// `npx tsx bench/drizzle-schema-parse.ts`: how long the Drizzle schema model takes to read the largest corpus
// fixture and a synthetic 200-table schema (ts-morph import measured apart: it is paid once per run).
import { performance } from "node:perf_hooks";

import { loadTsMorph } from "../src/core/ast/edit-source.js";
import { createMemoryHost } from "../src/core/host.js";
import { Tree } from "../src/core/tree.js";
import { readDrizzleSchema } from "../src/schema-model/index.js";
import type { ReadSchemaOptions } from "../src/schema-model/index.js";
import { DRIZZLE_SHAPES, fixtureOptions, fixtureTree } from "../test/helpers/drizzle-fixtures.js";
import { syntheticDrizzleSchema } from "../test/helpers/synthetic-drizzle-schema.js";

const REPETITIONS = 15;
const SYNTHETIC_TABLES = 200;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function timeRead(
  makeTree: () => Tree,
  options: ReadSchemaOptions = {},
): Promise<{ first: number; median: number; tables: number; files: number; bytes: number }> {
  const samples: number[] = [];
  let tables = 0;
  let files = 0;
  let bytes = 0;
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    const tree = makeTree();
    const started = performance.now();
    const model = await readDrizzleSchema(tree, options);
    samples.push(performance.now() - started);
    tables = model.tables.size;
    files = model.parsedFiles.length;
    bytes = model.parsedFiles.reduce((sum, file) => sum + (tree.read(file)?.length ?? 0), 0);
  }
  return { first: samples[0] ?? Number.NaN, median: median(samples), tables, files, bytes };
}

const importStarted = performance.now();
await loadTsMorph();
const importMs = performance.now() - importStarted;

const fixtures = [];
for (const shape of DRIZZLE_SHAPES)
  fixtures.push({ shape, ...(await timeRead(() => fixtureTree(shape), fixtureOptions(shape))) });
// The largest fixture: the most source text parsed.
const largest = [...fixtures].sort((a, b) => b.bytes - a.bytes)[0];
const syntheticFiles = syntheticDrizzleSchema(SYNTHETIC_TABLES);
const synthetic = await timeRead(() => new Tree(createMemoryHost(syntheticFiles)));

const format = (ms: number): string => `${ms.toFixed(1)} ms`;
console.log(`ts-morph import (once per run): ${format(importMs)}`);
for (const fixture of fixtures)
  console.log(
    `fixture ${fixture.shape}: ${fixture.tables} tables, ${fixture.files} files, ${fixture.bytes} chars: median ${format(fixture.median)} (first ${format(fixture.first)})`,
  );
console.log(`largest fixture ${largest?.shape}: median ${format(largest?.median ?? Number.NaN)}`);
console.log(
  `synthetic ${SYNTHETIC_TABLES} tables, ${synthetic.files} files, ${synthetic.bytes} chars: median ${format(synthetic.median)} (first ${format(synthetic.first)}) over ${REPETITIONS} reads`,
);
