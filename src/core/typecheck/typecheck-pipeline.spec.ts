import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { GeneratorResult } from "../generator.js";
import { GenerationError } from "../output/errors.js";
import type { Reporter } from "../output/reporter.js";
import { runPipeline } from "../run.js";
import type { Tree } from "../tree.js";
import { typeSourceFor } from "./typecheck-packages.js";

const REPO_NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../node_modules");
const SHARED_CACHE = path.join(tmpdir(), "cpb-typecheck-spec-cache");
const FETCH_TIMEOUT_MS = 180_000;
const PACKAGE_JSON = JSON.stringify({ name: "repo", type: "module", dependencies: {} }, null, 2);
const FAKE_TYPES = "export declare function load(id: number): Promise<string>;\n";

const ROUTES = [
  { route: "api", typescript: async () => path.join(REPO_NODE_MODULES, "typescript") },
  {
    route: "native",
    typescript: async () => {
      const source = await typeSourceFor("typescript", "7.0.2", SHARED_CACHE, SHARED_CACHE);
      if (!source) throw new Error("typescript@7.0.2 could not be fetched");
      return source.dir;
    },
  },
];

function recordingReporter(lines: string[]): Reporter {
  return {
    info: (line) => lines.push(line),
    warn: (line) => lines.push(line),
    plan: () => undefined,
    step: (_title, work) => work(),
  };
}

/** A generator that adds `fake-loader` (types in the tool's cache, not installed) and a file using it. */
function addsLoader(content: string, extra: Record<string, string> = {}) {
  return (tree: Tree): GeneratorResult => {
    const json = JSON.parse(tree.read("package.json") ?? "{}") as { dependencies: Record<string, string> };
    tree.write(
      "package.json",
      JSON.stringify({ ...json, dependencies: { ...json.dependencies, "fake-loader": "1.2.3" } }, null, 2),
      { kind: "edit" },
    );
    tree.write("src/load.ts", content);
    for (const [file, text] of Object.entries(extra)) tree.write(file, text);
    return {};
  };
}

describe.each(ROUTES)("a run that would break the repo's typecheck, $route route", ({ typescript }) => {
  let root: string;
  let cache: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-pipeline-"));
    cache = `${root}-cache`;
    const fake = path.join(cache, "packages/fake-loader@1.2.3/node_modules/fake-loader");
    await mkdir(fake, { recursive: true });
    await writeFile(
      path.join(fake, "package.json"),
      JSON.stringify({ name: "fake-loader", version: "1.2.3", types: "index.d.ts" }),
    );
    await writeFile(path.join(fake, "index.d.ts"), FAKE_TYPES);
    await mkdir(path.join(root, "node_modules"));
    await mkdir(path.join(root, "src"));
    await symlink(await typescript(), path.join(root, "node_modules/typescript"));
    await writeFile(path.join(root, "package.json"), PACKAGE_JSON);
    await writeFile(
      path.join(root, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, module: "NodeNext", noEmit: true, types: [] },
        include: ["src"],
      }),
    );
    await writeFile(path.join(root, "src/existing.ts"), "export const answer = 42;\n");
    vi.stubEnv("CREATE_PERF_BACKEND_CACHE", cache);
  }, FETCH_TIMEOUT_MS);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([root, cache].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const run = (generate: (tree: Tree) => GeneratorResult, lines: string[], typecheck?: boolean) =>
    runPipeline({
      root,
      generate,
      dryRun: false,
      policy: "abort",
      reporter: recordingReporter(lines),
      skipTasks: true,
      typecheck,
    });

  it("refuses a generated file that imports a missing export, though it adds a package: exit 1, nothing written", async () => {
    const broken = addsLoader(
      'import { load } from "fake-loader";\nimport { question } from "./existing.js";\nexport const loaded = load(question);\n',
    );
    const failure = await run(broken, []).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GenerationError);
    expect((failure as GenerationError).message).toContain("would add 1 TypeScript error(s)");
    expect((failure as GenerationError).details[0]).toMatch(/^src\/load\.ts\(2,10\): TS2305 /);
    expect(existsSync(path.join(root, "src/load.ts"))).toBe(false);
    expect(await readFile(path.join(root, "package.json"), "utf8")).toBe(PACKAGE_JSON);
  });

  it("writes a run that keeps the repo green, checked against the added package's pinned types", async () => {
    const lines: string[] = [];
    await run(
      addsLoader(
        'import { load } from "fake-loader";\nimport { answer } from "./existing.js";\nexport const loaded: Promise<string> = load(answer);\n',
      ),
      lines,
    );
    expect(existsSync(path.join(root, "src/load.ts"))).toBe(true);
    expect(lines.join("\n")).toMatch(/Typechecked the repo with the generated files: no new errors/);
    await rm(path.join(root, "src/load.ts"));
    await writeFile(path.join(root, "package.json"), PACKAGE_JSON);
  });

  it("--no-typecheck writes the broken file and says in one line what was not verified", async () => {
    const lines: string[] = [];
    await run(addsLoader('import { question } from "./existing.js";\nexport const value = question;\n'), lines, false);
    expect(existsSync(path.join(root, "src/load.ts"))).toBe(true);
    expect(lines).toContain("Not verified (--no-typecheck): whether the repo still typechecks with these files.");
    await rm(path.join(root, "src/load.ts"));
    await writeFile(path.join(root, "package.json"), PACKAGE_JSON);
  });
});

describe("a repo whose package.json declares a package that is not installed", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-missing-"));
    await mkdir(path.join(root, "node_modules"));
    await symlink(path.join(REPO_NODE_MODULES, "typescript"), path.join(root, "node_modules/typescript"));
    await writeFile(
      path.join(root, "package.json"),
      JSON.stringify({ name: "repo", type: "module", dependencies: { dataloader: "2.2.3", typescript: "6.0.3" } }),
    );
    await writeFile(
      path.join(root, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", noEmit: true }, include: ["src"] }),
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("stops before writing, naming the package and the install command, instead of a TS2307 cascade", async () => {
    const generate = (tree: Tree): GeneratorResult => {
      tree.write(
        "src/loader.ts",
        'import DataLoader from "dataloader";\nexport const loader = new DataLoader(async (ids: readonly number[]) => ids);\n',
      );
      return {};
    };
    const failure = await runPipeline({
      root,
      generate,
      dryRun: false,
      policy: "abort",
      reporter: recordingReporter([]),
      skipTasks: true,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GenerationError);
    expect((failure as GenerationError).message).toBe(
      "package.json declares dataloader, not installed here; nothing was written.",
    );
    expect((failure as GenerationError).details[0]).toContain("`npm i`");
    expect((failure as GenerationError).details.join("\n")).not.toContain("TS2307");
    expect(existsSync(path.join(root, "src/loader.ts"))).toBe(false);
  });
});
