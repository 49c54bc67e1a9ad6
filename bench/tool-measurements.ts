import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { measureNodeProcess } from "./processes.js";
import type { ProcessCost, RunOptions } from "./processes.js";
import { CLI, LEGACY_FILE_COUNT, legacyFileCount, PLOP_RUN_SCRIPT, PROJECT_NAME, writeLegacyTree } from "./project.js";
import type { Measurement } from "./stats.js";

const KIB_PER_MIB = 1024;
// One tool run takes about a second; a child still running after this is reported, not waited for.
const TOOL_CHILD_TIMEOUT_MS = 60_000;
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

/** The samples of one side of a row, or why it stopped: a failed or killed child ends that series, not the bench. */
export class Series {
  readonly ms: number[] = [];
  readonly rss: number[] = [];
  failed: string | undefined;

  async sample(measure: () => Promise<ProcessCost>): Promise<void> {
    if (this.failed !== undefined) return;
    try {
      const cost = await measure();
      this.ms.push(cost.ms);
      this.rss.push(kibToMib(cost.maxRssKib));
    } catch (error) {
      this.failed = error instanceof Error ? error.message : String(error);
    }
  }
}

/** Why a row of these two series has no figures (either side failed), or undefined. */
const notMeasured = (baseline: Series, ours: Series): string | undefined => baseline.failed ?? ours.failed;

/** Which Node runs the measured processes, and how its rows are numbered and named. */
export interface ToolRun {
  /** Node binary (default: the one running the bench). */
  node?: string;
  /** Row numbers: `{ large: "6", cost: "7" }` on the bench's own Node. */
  rows: { large: string; cost: string };
  /** Appended to row ids and shown in the comparison, e.g. "node24" / "(Node 24)". */
  idSuffix: string;
  label: string;
  /** Folders of 100 files in row 6's legacy tree (default 50: 5,000 files); the smoke uses fewer. */
  legacyDirectories?: number;
}

/** Row 6: `generate repository --dry-run` on the plain project vs the same project plus 5,000 .ts files. */
export async function measureLargeRepository(
  project: string,
  workDir: string,
  repetitions: number,
  tool: ToolRun,
): Promise<Measurement> {
  const parked = path.join(workDir, "legacy-parked");
  const legacy = path.join(project, "src/legacy");
  const fileCount = tool.legacyDirectories === undefined ? LEGACY_FILE_COUNT : legacyFileCount(tool.legacyDirectories);
  await writeLegacyTree(parked, tool.legacyDirectories);
  const plain = new Series();
  const large = new Series();
  const args = [...REPOSITORY_ARGS, "--dry-run", "--yes"];
  const options: RunOptions = { cwd: project, node: tool.node, timeoutMs: TOOL_CHILD_TIMEOUT_MS };
  // The first run fills Node's compile cache (Node >= 22.1) and the schema-model cache, as any user's first run does.
  await plain.sample(() => measureNodeProcess(CLI, args, options));
  plain.ms.length = 0;
  plain.rss.length = 0;
  // Alternate runs; a rename moves the tree in and out of the same project in O(1).
  for (let repetition = 0; repetition < repetitions && notMeasured(plain, large) === undefined; repetition += 1) {
    await plain.sample(() => measureNodeProcess(CLI, args, options));
    await rename(parked, legacy);
    try {
      await large.sample(() => measureNodeProcess(CLI, args, options));
    } finally {
      await rename(legacy, parked);
    }
  }
  await rm(parked, { recursive: true, force: true });
  return {
    id: `tool-large-repo${tool.idSuffix}`,
    comparison: `${tool.rows.large}. ${tool.label}generate repository posts --with comments --dry-run`,
    metric: "whole-process wall time",
    unit: "ms",
    betterIs: "lower",
    baselineLabel: "plain generated project",
    oursLabel: `+ ${fileCount.toLocaleString("en-US")} .ts files in src/legacy`,
    counted: "built CLI, node start to exit",
    baseline: plain.ms,
    ours: large.ms,
    expectNearOne: true,
    notMeasured: notMeasured(plain, large),
  };
}

/** Row 7: `create`, a plop repository run and a generate dry run vs a plain plop `add` of one file. */
export async function measureToolCost(
  project: string,
  workDir: string,
  repetitions: number,
  tool: ToolRun,
): Promise<Measurement[]> {
  const floorDir = path.join(workDir, "plop-floor");
  await mkdir(floorDir, { recursive: true });
  const floorPlopfile = path.join(floorDir, "plopfile.js");
  await writeFile(floorPlopfile, FLOOR_PLOPFILE);
  await writeFile(path.join(floorDir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  const plopRun = path.join(project, PLOP_RUN_SCRIPT);
  const projectPlopfile = path.join(project, "plopfile.js");
  const before = await snapshot(project);

  const floor = new Series();
  const create = new Series();
  const plop = new Series();
  const dryRun = new Series();
  const options = (cwd: string): RunOptions => ({ cwd, node: tool.node, timeoutMs: TOOL_CHILD_TIMEOUT_MS });
  const runFloor = () => measureNodeProcess(plopRun, [floorPlopfile, "one-file", FLOOR_ANSWERS], options(floorDir));
  await floor.sample(runFloor);
  floor.ms.length = 0;
  floor.rss.length = 0;
  for (let repetition = 0; repetition < repetitions && floor.failed === undefined; repetition += 1) {
    await floor.sample(runFloor);

    const target = path.join(workDir, `create-${String(repetition)}`);
    await mkdir(target);
    await create.sample(() =>
      measureNodeProcess(CLI, [PROJECT_NAME, "--yes", "--no-install", "--no-git"], options(target)),
    );
    await rm(target, { recursive: true, force: true });

    try {
      await plop.sample(() =>
        measureNodeProcess(plopRun, [projectPlopfile, "repository", REPOSITORY_ANSWERS], options(project)),
      );
    } finally {
      await restore(project, before);
    }

    await dryRun.sample(() => measureNodeProcess(CLI, [...REPOSITORY_ARGS, "--dry-run", "--yes"], options(project)));
  }
  await rm(floorDir, { recursive: true, force: true });

  const common = { betterIs: "lower" as const, baselineLabel: "plain plop add of one file (floor)" };
  const createRow = `${tool.rows.cost}a. ${tool.label}create-perf-backend demo --yes --no-install --no-git`;
  const plopRepository = `${tool.rows.cost}b. ${tool.label}plop repository posts --with comments (answers given)`;
  const generateDryRun = `${tool.rows.cost}c. ${tool.label}generate repository posts --with comments --dry-run`;
  // A series that stopped early leaves the other's samples unpaired: only the repetitions both finished count.
  const paired = (ours: Series, of: "ms" | "rss") => ({
    baseline: floor[of].slice(0, ours[of].length),
    ours: ours[of],
    notMeasured: notMeasured(floor, ours),
  });
  return [
    {
      ...common,
      id: `tool-create-time${tool.idSuffix}`,
      comparison: createRow,
      metric: "whole-process wall time",
      unit: "ms",
      oursLabel: "create a project",
      counted: "node start to exit",
      ...paired(create, "ms"),
    },
    {
      ...common,
      id: `tool-create-memory${tool.idSuffix}`,
      comparison: createRow,
      metric: "peak memory",
      unit: "MiB",
      oursLabel: "create a project",
      counted: "max RSS of the process",
      ...paired(create, "rss"),
    },
    {
      ...common,
      id: `tool-plop-time${tool.idSuffix}`,
      comparison: plopRepository,
      metric: "whole-process wall time",
      unit: "ms",
      oursLabel: "plop repository run",
      counted: "node start to exit, files written",
      ...paired(plop, "ms"),
    },
    {
      ...common,
      id: `tool-plop-memory${tool.idSuffix}`,
      comparison: plopRepository,
      metric: "peak memory",
      unit: "MiB",
      oursLabel: "plop repository run",
      counted: "max RSS of the process",
      ...paired(plop, "rss"),
    },
    {
      ...common,
      id: `tool-dry-run-time${tool.idSuffix}`,
      comparison: generateDryRun,
      metric: "whole-process wall time",
      unit: "ms",
      oursLabel: "generate dry run",
      counted: "built CLI, node start to exit",
      ...paired(dryRun, "ms"),
    },
  ];
}
