import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDiskHost } from "../host.js";
import { Tree } from "../tree.js";
import { affectedFiles, introducedDiagnostics, packageJsonChangesExistingTypes } from "./typecheck-baseline.js";
import { parseTscOutput } from "./typecheck-native.js";
import { typeSourceFor } from "./typecheck-packages.js";
import { typecheckStaged } from "./typecheck.js";
import type { TypecheckInput } from "./typecheck.js";

const REPO_NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../node_modules");
// TypeScript 7 comes from the registry once per machine (the tool's own type cache), like any package a run adds.
const SHARED_CACHE = path.join(tmpdir(), "cpb-typecheck-spec-cache");
const NATIVE_VERSION = "7.0.2";
const FETCH_TIMEOUT_MS = 180_000;
const NO_PACKAGES: TypecheckInput["addedPackages"] = new Map();

interface Repo {
  root: string;
  cacheDir: string;
  stage: (files: Record<string, string>) => Tree;
  check: (files: Record<string, string>, added?: TypecheckInput["addedPackages"]) => ReturnType<typeof typecheckStaged>;
}

async function makeRepo(
  typescriptDir: string,
  compilerOptions: Record<string, unknown>,
  files: Record<string, string>,
  include = ["src"],
): Promise<Repo> {
  const root = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-"));
  const cacheDir = `${root}-cache`;
  await mkdir(path.join(root, "node_modules"));
  await symlink(typescriptDir, path.join(root, "node_modules/typescript"));
  await symlink(path.join(REPO_NODE_MODULES, "@types"), path.join(root, "node_modules/@types"));
  await writeFile(path.join(root, "package.json"), JSON.stringify({ name: "repo", type: "module" }));
  await writeFile(
    path.join(root, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, module: "NodeNext", noEmit: true, types: [], ...compilerOptions },
      include,
    }),
  );
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  const stage = (staged: Record<string, string>): Tree => {
    const tree = new Tree(createDiskHost(root));
    for (const [file, content] of Object.entries(staged)) tree.write(file, content);
    return tree;
  };
  return {
    root,
    cacheDir,
    stage,
    check: (staged, added = NO_PACKAGES) => typecheckStaged(root, stage(staged), { addedPackages: added, cacheDir }),
  };
}

const ROUTES = [
  { route: "api" as const, typescript: async () => path.join(REPO_NODE_MODULES, "typescript") },
  {
    route: "native" as const,
    typescript: async () => {
      const source = await typeSourceFor("typescript", NATIVE_VERSION, SHARED_CACHE, SHARED_CACHE);
      if (!source) throw new Error(`typescript@${NATIVE_VERSION} could not be fetched`);
      return source.dir;
    },
  },
];

describe.each(ROUTES)(
  "typecheckStaged, $route route: the repo after the run against the repo before it",
  ({ route, typescript }) => {
    let repo: Repo;
    beforeAll(async () => {
      repo = await makeRepo(
        await typescript(),
        { target: "ES2020", lib: ["ES2020"] },
        {
          "src/existing.ts": "export const answer = 42;\n",
          "src/user.ts": 'import { answer } from "./existing.js";\nexport const doubled: number = answer * 2;\n',
          // An error the repo already has: never the run's fault.
          "src/legacy.ts": "export const legacy: number = 'not a number';\n",
        },
      );
    }, FETCH_TIMEOUT_MS);
    afterAll(() => Promise.all([repo.root, repo.cacheDir].map((dir) => rm(dir, { recursive: true, force: true }))));

    it("passes code that compiles, with the repo's own error counted as preexisting, and caches that baseline", async () => {
      const files = {
        "src/new.ts":
          'import { answer } from "./existing.js";\nimport { twice } from "./util/twice.js";\nexport const value: number = twice(answer);\n',
        "src/util/twice.ts": "export const twice = (n: number): number => n * 2;\n",
      };
      const first = await repo.check(files);
      expect(first.skipped).toBeNull();
      expect(first.route).toBe(route);
      expect(first.diagnostics).toEqual([]);
      expect(first.preexisting).toBe(1);
      const second = await repo.check(files);
      expect(second.baselineCached).toBe(true);
      expect(second.diagnostics).toEqual([]);
    });

    it("leaves the next run its baseline: once a green run's files are written, the next check finds it cached", async () => {
      const files = {
        "src/chain.ts": 'import { answer } from "./existing.js";\nexport const chain: number = answer;\n',
      };
      expect((await repo.check(files)).diagnostics).toEqual([]);
      await writeFile(path.join(repo.root, "src/chain.ts"), files["src/chain.ts"]);
      try {
        const next = await repo.check({
          "src/next.ts": 'import { chain } from "./chain.js";\nexport const next: string = chain;\n',
        });
        expect(next.baselineCached).toBe(true);
        expect(next.preexisting).toBe(1);
        expect(next.diagnostics).toEqual([expect.stringMatching(/^src\/next\.ts\(2,14\): TS2322 /)]);
      } finally {
        await rm(path.join(repo.root, "src/chain.ts"));
      }
    });

    it("reports what the repo's lib lacks (ES2020: no .at(), no replaceAll) in the staged file", async () => {
      const result = await repo.check({
        "src/new.ts": 'export const last = [1, 2].at(-1);\nexport const text = "a".replaceAll("a", "b");\n',
      });
      expect(result.diagnostics.join("\n")).toContain("src/new.ts(1,");
      expect(result.diagnostics.join("\n")).toContain("TS2550");
      expect(result.diagnostics).toHaveLength(2);
    });

    it("reports a break in a file the run never touched (an edit removed the export it imports)", async () => {
      const result = await repo.check({ "src/existing.ts": "export const question = 'six by nine';\n" });
      expect(result.diagnostics).toHaveLength(1);
      expect(result.diagnostics[0]).toMatch(/^src\/user\.ts\(1,10\): TS2305 /);
    });

    it("checks a package the run adds, not installed yet, against the types of the version it pins", async () => {
      const cached = path.join(repo.cacheDir, "packages/fake-loader@1.2.3/node_modules/fake-loader");
      await mkdir(cached, { recursive: true });
      await writeFile(
        path.join(cached, "package.json"),
        JSON.stringify({ name: "fake-loader", version: "1.2.3", types: "index.d.ts" }),
      );
      await writeFile(path.join(cached, "index.d.ts"), "export declare function load(id: number): Promise<string>;\n");
      const added = new Map([["fake-loader", { spec: "1.2.3", manifestDir: repo.root }]]);
      const good = await repo.check(
        { "src/load.ts": 'import { load } from "fake-loader";\nexport const loaded: Promise<string> = load(1);\n' },
        added,
      );
      expect(good.skipped).toBeNull();
      expect(good.diagnostics).toEqual([]);
      const bad = await repo.check(
        { "src/load.ts": 'import { load } from "fake-loader";\nexport const loaded: Promise<number> = load(1);\n' },
        added,
      );
      expect(bad.diagnostics).toEqual([expect.stringMatching(/^src\/load\.ts\(2,14\): TS2322 /)]);
    });
  },
);

describe.each(ROUTES)("typecheckStaged, $route route, checkJs: JS files count", ({ typescript }) => {
  let repo: Repo;
  beforeAll(async () => {
    repo = await makeRepo(
      await typescript(),
      { target: "ES2022", allowJs: true, checkJs: true },
      { "src/index.ts": "export const ready = true;\n" },
      ["src", "*.js"],
    );
  }, FETCH_TIMEOUT_MS);
  afterAll(() => Promise.all([repo.root, repo.cacheDir].map((dir) => rm(dir, { recursive: true, force: true }))));

  it("refuses a JS file with an implicit any and passes it with its JSDoc type", async () => {
    const untyped = await repo.check({
      "plopfile.js": "export default function plopfile(plop) {\n  return plop;\n}\n",
    });
    expect(untyped.diagnostics).toEqual([expect.stringMatching(/^plopfile\.js\(1,34\): TS7006 /)]);
    const typed = await repo.check({
      "plopfile.js":
        "/** @param {{ name: string }} plop */\nexport default function plopfile(plop) {\n  return plop;\n}\n",
    });
    expect(typed.diagnostics).toEqual([]);
  });
});

describe("typecheckStaged without a compiler", () => {
  it("skips, saying why, when the repo has no TypeScript", async () => {
    const bare = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-bare-"));
    try {
      const tree = new Tree(createDiskHost(bare));
      tree.write("src/new.ts", "export const broken: number = 'text';\n");
      expect(
        (await typecheckStaged(bare, tree, { addedPackages: NO_PACKAGES, cacheDir: path.join(bare, "cache") })).skipped,
      ).toContain("TypeScript is not installed");
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe("diagnostics: tsc output and what a run introduced", () => {
  it("reads tsc's plain output, continuation lines included, in the API route's format", () => {
    const output =
      "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n  Details here.\nerror TS5083: Cannot read file 'x'.\n";
    expect(parseTscOutput(output)).toEqual([
      "src/a.ts(3,7): TS2322 Type 'string' is not assignable to type 'number'.\n  Details here.",
      "TS5083 Cannot read file 'x'.",
    ]);
  });

  it("counts a diagnostic as the run's only when the repo did not have it (positions may move), per occurrence", () => {
    const before = ["src/a.ts(3,7): TS2322 x", "src/b.ts(1,1): TS2304 y"];
    expect(
      introducedDiagnostics(before, ["src/a.ts(5,7): TS2322 x", "src/a.ts(9,1): TS2322 x", "src/c.ts(1,1): TS2304 y"]),
    ).toEqual(["src/a.ts(9,1): TS2322 x", "src/c.ts(1,1): TS2304 y"]);
  });
});

describe("which files a run can affect", () => {
  const files = ["src/a.ts", "src/b.ts", "src/c.ts", "src/d.ts", "src/types.d.ts"];
  const original: Record<string, string> = {
    "src/a.ts": "export const a = 1;\n",
    "src/b.ts": 'import { a } from "./a.js";\nexport const b = a;\n',
    "src/c.ts": 'export { b } from "./b.js";\n',
    "src/d.ts": 'import { x } from "@/x";\nexport const d = x;\n',
  };
  const read = (file: string): string | null => original[file] ?? null;

  it("is the staged files and their importers, transitively; not the rest", () => {
    expect(affectedFiles(files, new Map([["src/a.ts", "export const a = 2;\n"]]), read, [])).toEqual([
      "src/a.ts",
      "src/b.ts",
      "src/c.ts",
    ]);
    expect(
      affectedFiles(files, new Map([["src/new.ts", 'import { a } from "./a.js";\nexport const n = a;\n']]), read, []),
    ).toEqual(["src/new.ts"]);
  });

  it("is every file when the run can reach files that do not import it, or imports go through an alias", () => {
    expect(
      affectedFiles(files, new Map([["src/g.ts", "declare global { var x: number }\nexport {};\n"]]), read, []),
    ).toBeNull();
    expect(affectedFiles(files, new Map([["src/script.ts", "const loose = 1;\n"]]), read, [])).toBeNull();
    expect(affectedFiles(files, new Map([["tsconfig.json", "{}"]]), read, [])).toBeNull();
    expect(affectedFiles(files, new Map([["src/a.ts", "export const a = 2;\n"]]), read, ["@/"])).toBeNull();
  });

  it("counts a package.json edit only when it re-pins a dependency or changes another field", () => {
    const before = JSON.stringify({ type: "module", dependencies: { pg: "8.0.0" } });
    expect(
      packageJsonChangesExistingTypes(
        before,
        JSON.stringify({ type: "module", dependencies: { pg: "8.0.0", redis: "6.3.1" } }),
      ),
    ).toBe(false);
    expect(
      packageJsonChangesExistingTypes(before, JSON.stringify({ type: "module", dependencies: { pg: "8.1.0" } })),
    ).toBe(true);
    expect(
      packageJsonChangesExistingTypes(before, JSON.stringify({ type: "commonjs", dependencies: { pg: "8.0.0" } })),
    ).toBe(true);
  });
});

describe("typecheckStaged, native route, in a workspace package whose tsconfig extends the root's", () => {
  let workspace: string;
  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-workspace-"));
    const source = await typeSourceFor("typescript", NATIVE_VERSION, SHARED_CACHE, SHARED_CACHE);
    if (!source) throw new Error(`typescript@${NATIVE_VERSION} could not be fetched`);
    await mkdir(path.join(workspace, "node_modules"));
    await symlink(source.dir, path.join(workspace, "node_modules/typescript"));
    await writeFile(
      path.join(workspace, "package.json"),
      JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }),
    );
    await writeFile(
      path.join(workspace, "tsconfig.base.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noUnusedLocals: true, module: "NodeNext", noEmit: true, types: [] },
      }),
    );
    await mkdir(path.join(workspace, "packages/api/src"), { recursive: true });
    await writeFile(path.join(workspace, "packages/api/package.json"), JSON.stringify({ name: "api", type: "module" }));
    await writeFile(
      path.join(workspace, "packages/api/tsconfig.json"),
      JSON.stringify({ extends: "../../tsconfig.base.json", include: ["src"] }),
    );
    await writeFile(path.join(workspace, "packages/api/src/index.ts"), "export const ready = true;\n");
  }, FETCH_TIMEOUT_MS);
  afterAll(() =>
    Promise.all([workspace, `${workspace}-cache`].map((dir) => rm(dir, { recursive: true, force: true }))),
  );

  it("reads the root's settings through the relative extends (noUnusedLocals makes an unused local the run's error)", async () => {
    const root = path.join(workspace, "packages/api");
    const tree = new Tree(createDiskHost(root));
    tree.write("src/loose.ts", "export function loose(): number {\n  const unused = 1;\n  return 2;\n}\n");
    const result = await typecheckStaged(root, tree, { addedPackages: NO_PACKAGES, cacheDir: `${workspace}-cache` });
    expect(result.route).toBe("native");
    expect(result.diagnostics).toEqual([expect.stringMatching(/^src\/loose\.ts\(2,9\): TS6133 /)]);
  });
});

describe("typecheckStaged, native route, with node_modules in a folder above the repo (hoisted)", () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-hoisted-"));
    const source = await typeSourceFor("typescript", NATIVE_VERSION, SHARED_CACHE, SHARED_CACHE);
    if (!source) throw new Error(`typescript@${NATIVE_VERSION} could not be fetched`);
    await mkdir(path.join(parent, "node_modules/fake-lib"), { recursive: true });
    await symlink(source.dir, path.join(parent, "node_modules/typescript"));
    await writeFile(
      path.join(parent, "node_modules/fake-lib/package.json"),
      JSON.stringify({ name: "fake-lib", version: "1.0.0", types: "index.d.ts" }),
    );
    await writeFile(
      path.join(parent, "node_modules/fake-lib/index.d.ts"),
      "export declare function label(id: number): string;\n",
    );
    await mkdir(path.join(parent, "app/src"), { recursive: true });
    await writeFile(
      path.join(parent, "app/package.json"),
      JSON.stringify({ name: "app", type: "module", dependencies: { "fake-lib": "1.0.0" } }),
    );
    await writeFile(
      path.join(parent, "app/tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, module: "NodeNext", noEmit: true, types: [] },
        include: ["src"],
      }),
    );
    await writeFile(path.join(parent, "app/src/index.ts"), "export const ready = true;\n");
  }, FETCH_TIMEOUT_MS);
  afterAll(() => Promise.all([parent, `${parent}-cache`].map((dir) => rm(dir, { recursive: true, force: true }))));

  it("resolves the repo's packages from there, so a type error against them is reported as such", async () => {
    const root = path.join(parent, "app");
    const tree = new Tree(createDiskHost(root));
    tree.write("src/use.ts", 'import { label } from "fake-lib";\nexport const id: number = label(1);\n');
    const result = await typecheckStaged(root, tree, { addedPackages: NO_PACKAGES, cacheDir: `${parent}-cache` });
    expect(result.route).toBe("native");
    expect(result.diagnostics).toEqual([expect.stringMatching(/^src\/use\.ts\(2,14\): TS2322 /)]);
  });
});
