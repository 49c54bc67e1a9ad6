// `npx tsx bench/typecheck-cost.ts`: what the pre-commit typecheck adds to a run on a 500-file repo, per route
// (TypeScript 6 through its API, TypeScript 7's native tsc on an overlay), on the first run (the repo's baseline
// computed) and once that baseline is cached. `measureTypecheckCost` is the bench row.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

import { createDiskHost } from "../src/core/host.js";
import { Tree } from "../src/core/tree.js";
import { typeSourceFor } from "../src/core/typecheck/typecheck-packages.js";
import { typecheckStaged } from "../src/core/typecheck/typecheck.js";
import type { Measurement } from "./stats.js";

const DIRECTORIES = 5;
const FILES_PER_DIRECTORY = 100;
const NATIVE_VERSION = "7.0.2";
const TOOL_NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules");

function legacyModule(directory: number, file: number): string {
  const name = `legacy${String(directory)}x${String(file)}`;
  const previous =
    file === 0
      ? ""
      : `import { legacy${String(directory)}x${String(file - 1)} } from "./module-${String(file - 1)}.js";\n`;
  return `${previous}
export interface ${name[0]?.toUpperCase() ?? ""}${name.slice(1)}Record {
  id: number;
  label: string;
  tags: string[];
}

export function ${name}(input: { id: number; label: string; tags: string[] }): string {
  const tags = input.tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0);
  return \`\${String(input.id)}:\${input.label}:\${tags.join(",")}\`;
}
${file === 0 ? "" : `export const chained${String(file)} = legacy${String(directory)}x${String(file - 1)};\n`}`;
}

/** A repo of 500 TypeScript files (chains of imports), strict NodeNext, with the given compiler installed. */
async function writeRepo(root: string, typescriptDir: string): Promise<void> {
  await mkdir(path.join(root, "node_modules"), { recursive: true });
  await symlink(typescriptDir, path.join(root, "node_modules/typescript"));
  await writeFile(path.join(root, "package.json"), JSON.stringify({ name: "legacy", type: "module" }));
  await writeFile(
    path.join(root, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, module: "NodeNext", target: "ES2022", noEmit: true, types: [] },
      include: ["src"],
    }),
  );
  for (let directory = 0; directory < DIRECTORIES; directory += 1) {
    const folder = path.join(root, "src", `area-${String(directory)}`);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      Array.from({ length: FILES_PER_DIRECTORY }, (_, file) =>
        writeFile(path.join(folder, `module-${String(file)}.ts`), legacyModule(directory, file)),
      ),
    );
  }
}

/** One run's check: a new file importing the end of a chain, and an edit of a module others import. */
async function timeCheck(root: string, cacheDir: string): Promise<number> {
  const tree = new Tree(createDiskHost(root));
  tree.write(
    "src/feature.ts",
    'import { legacy0x99 } from "./area-0/module-99.js";\nexport const feature = legacy0x99({ id: 1, label: "a", tags: [] });\n',
  );
  const started = performance.now();
  const result = await typecheckStaged(root, tree, { addedPackages: new Map(), cacheDir });
  const ms = performance.now() - started;
  if (result.skipped !== null || result.diagnostics.length > 0)
    throw new Error(`unexpected check result: ${JSON.stringify(result)}`);
  return ms;
}

const ROUTES = [
  {
    id: "api",
    label: "TypeScript 6 API",
    typescript: async (): Promise<string> => path.join(TOOL_NODE_MODULES, "typescript"),
  },
  {
    id: "native",
    label: `TypeScript ${NATIVE_VERSION} native tsc`,
    typescript: async (cacheDir: string): Promise<string> => {
      const source = await typeSourceFor("typescript", NATIVE_VERSION, cacheDir, cacheDir);
      if (!source) throw new Error(`typescript@${NATIVE_VERSION} could not be fetched`);
      return source.dir;
    },
  },
];

/** Rows "typecheck-api" and "typecheck-native": the check's time on the first run vs with the baseline cached. */
export async function measureTypecheckCost(workDir: string, repetitions: number): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const packages = path.join(workDir, "typecheck-packages");
  for (const route of ROUTES) {
    const root = path.join(workDir, `typecheck-${route.id}`);
    await writeRepo(root, await route.typescript(packages));
    const first: number[] = [];
    const cached: number[] = [];
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const cacheDir = path.join(workDir, `typecheck-cache-${route.id}-${String(repetition)}`);
      first.push(await timeCheck(root, cacheDir));
      cached.push(await timeCheck(root, cacheDir));
    }
    rows.push({
      id: `typecheck-${route.id}`,
      comparison: `pre-commit typecheck, ${route.label}, ${String(DIRECTORIES * FILES_PER_DIRECTORY)}-file repo`,
      metric: "check time",
      unit: "ms",
      betterIs: "lower",
      baselineLabel: "first run (repo baseline computed)",
      oursLabel: "baseline cached",
      counted: "typecheckStaged, one new file importing the repo",
      baseline: first,
      ours: cached,
    });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const workDir = await mkdtemp(path.join(tmpdir(), "cpb-bench-typecheck-"));
  try {
    const repetitions = Number(process.env.REPETITIONS ?? "3");
    for (const row of await measureTypecheckCost(workDir, repetitions)) {
      const median = (values: number[]): number =>
        [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
      console.log(
        `${row.comparison}: first run median ${median(row.baseline).toFixed(0)} ms [${row.baseline.map((ms) => ms.toFixed(0)).join(", ")}], cached median ${median(row.ours).toFixed(0)} ms [${row.ours.map((ms) => ms.toFixed(0)).join(", ")}]`,
      );
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
