import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { measureNodeProcess } from "./processes.js";
import { CLI, LEGACY_FILE_COUNT, PLOP_RUN_SCRIPT, PROJECT_NAME, writeLegacyTree } from "./project.js";
import type { Measurement } from "./stats.js";

const KIB_PER_MIB = 1024;
// A repository the project does not have yet, so every run plans (or writes) real files.
const REPOSITORY_ARGS = ["generate", "repository", "posts", "--with", "comments"];
const REPOSITORY_ANSWERS = JSON.stringify({ name: "posts", with: ["comments"] });
const kibToMib = (kib: number): number => kib / KIB_PER_MIB;
const FLOOR_ANSWERS = JSON.stringify({ name: "hello" });
// The files a plop repository run writes or edits; restored after each run so every run does the same work.
const RESTORED_PATHS = ["src/repositories", "perf-backend.json", "package.json"];

const FLOOR_PLOPFILE = `// The floor: plop loading a plopfile and writing one file from a template, nothing else.
export default function plopfile(plop) {
  plop.setGenerator("one-file", {
    description: "one add action",
    prompts: [{ type: "input", name: "name", message: "name" }],
    actions: [{ type: "add", path: "out/{{name}}.txt", template: "hello {{name}}\\n", force: true }],
  });
}
`;

async function snapshot(project: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of RESTORED_PATHS) {
    const absolute = path.join(project, entry);
    const names = entry.includes(".") ? [absolute] : (await readdir(absolute)).map((name) => path.join(absolute, name));
    for (const name of names) files.set(name, await readFile(name, "utf8"));
  }
  return files;
}

async function restore(project: string, files: Map<string, string>): Promise<void> {
  const repositories = path.join(project, "src/repositories");
  for (const name of await readdir(repositories)) {
    if (!files.has(path.join(repositories, name))) await rm(path.join(repositories, name), { force: true });
  }
  for (const [name, text] of files) await writeFile(name, text);
}

/** Which Node runs the measured processes, and how its rows are numbered and named. */
export interface ToolRun {
  /** Node binary (default: the one running the bench). */
  node?: string;
  /** Row numbers: `{ large: "6", cost: "7" }` on the bench's own Node. */
  rows: { large: string; cost: string };
  /** Appended to row ids and shown in the comparison, e.g. "node24" / "(Node 24)". */
  idSuffix: string;
  label: string;
}

/** Row 6: `generate repository --dry-run` on the plain project vs the same project plus 5,000 .ts files. */
export async function measureLargeRepository(project: string, workDir: string, repetitions: number, tool: ToolRun): Promise<Measurement> {
  const parked = path.join(workDir, "legacy-parked");
  const legacy = path.join(project, "src/legacy");
  await writeLegacyTree(parked);
  const result: Measurement = {
    id: `tool-large-repo${tool.idSuffix}`,
    comparison: `${tool.rows.large}. ${tool.label}generate repository posts --with comments --dry-run`,
    metric: "whole-process wall time",
    unit: "ms",
    betterIs: "lower",
    baselineLabel: "plain generated project",
    oursLabel: `+ ${LEGACY_FILE_COUNT.toLocaleString("en-US")} .ts files in src/legacy`,
    counted: "built CLI, node start to exit",
    baseline: [],
    ours: [],
    expectNearOne: true,
  };
  const args = [...REPOSITORY_ARGS, "--dry-run", "--yes"];
  const options = { cwd: project, node: tool.node };
  // The first run fills Node's compile cache (Node >= 22.1), as any user's first run does.
  await measureNodeProcess(CLI, args, options);
  // Alternate runs; a rename moves the tree in and out of the same project in O(1).
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    result.baseline.push((await measureNodeProcess(CLI, args, options)).ms);
    await rename(parked, legacy);
    try {
      result.ours.push((await measureNodeProcess(CLI, args, options)).ms);
    } finally {
      await rename(legacy, parked);
    }
  }
  await rm(parked, { recursive: true, force: true });
  return result;
}

/** Row 7: `create` and a plop repository run vs a plain plop `add` of one file: wall time and peak memory. */
export async function measureToolCost(project: string, workDir: string, repetitions: number, tool: ToolRun): Promise<Measurement[]> {
  const floorDir = path.join(workDir, "plop-floor");
  await mkdir(floorDir, { recursive: true });
  const floorPlopfile = path.join(floorDir, "plopfile.js");
  await writeFile(floorPlopfile, FLOOR_PLOPFILE);
  await writeFile(path.join(floorDir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  const plopRun = path.join(project, PLOP_RUN_SCRIPT);
  const projectPlopfile = path.join(project, "plopfile.js");
  const before = await snapshot(project);

  const floor = { ms: [] as number[], rss: [] as number[] };
  const create = { ms: [] as number[], rss: [] as number[] };
  const plop = { ms: [] as number[], rss: [] as number[] };
  const runFloor = () => measureNodeProcess(plopRun, [floorPlopfile, "one-file", FLOOR_ANSWERS], { cwd: floorDir, node: tool.node });
  await runFloor();
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    const floorCost = await runFloor();
    floor.ms.push(floorCost.ms);
    floor.rss.push(kibToMib(floorCost.maxRssKib));

    const target = path.join(workDir, `create-${String(repetition)}`);
    await mkdir(target);
    const createCost = await measureNodeProcess(CLI, [PROJECT_NAME, "--yes", "--no-install", "--no-git"], { cwd: target, node: tool.node });
    await rm(target, { recursive: true, force: true });
    create.ms.push(createCost.ms);
    create.rss.push(kibToMib(createCost.maxRssKib));

    try {
      const plopCost = await measureNodeProcess(plopRun, [projectPlopfile, "repository", REPOSITORY_ANSWERS], { cwd: project, node: tool.node });
      plop.ms.push(plopCost.ms);
      plop.rss.push(kibToMib(plopCost.maxRssKib));
    } finally {
      await restore(project, before);
    }
  }
  await rm(floorDir, { recursive: true, force: true });

  const common = { betterIs: "lower" as const, baselineLabel: "plain plop add of one file (floor)" };
  const createRow = `${tool.rows.cost}a. ${tool.label}create-perf-backend demo --yes --no-install --no-git`;
  const plopRepository = `${tool.rows.cost}b. ${tool.label}plop repository posts --with comments (answers given)`;
  return [
    { ...common, id: `tool-create-time${tool.idSuffix}`, comparison: createRow, metric: "whole-process wall time", unit: "ms", oursLabel: "create a project", counted: "node start to exit", baseline: floor.ms, ours: create.ms },
    { ...common, id: `tool-create-memory${tool.idSuffix}`, comparison: createRow, metric: "peak memory", unit: "MiB", oursLabel: "create a project", counted: "max RSS of the process", baseline: floor.rss, ours: create.rss },
    { ...common, id: `tool-plop-time${tool.idSuffix}`, comparison: plopRepository, metric: "whole-process wall time", unit: "ms", oursLabel: "plop repository run", counted: "node start to exit, files written", baseline: floor.ms, ours: plop.ms },
    { ...common, id: `tool-plop-memory${tool.idSuffix}`, comparison: plopRepository, metric: "peak memory", unit: "MiB", oursLabel: "plop repository run", counted: "max RSS of the process", baseline: floor.rss, ours: plop.rss },
  ];
}

