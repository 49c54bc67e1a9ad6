import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { COMPILER_SHAPES, REPO_SHAPES, writeShape } from "../fixtures/repo-shapes.js";
import { runMain } from "../helpers/cli.js";
import { useInstalledRoot } from "../helpers/installed-root.js";
import { inProject } from "../helpers/project.js";
import { FIXTURE_ROOT_DEPENDENCIES } from "../helpers/shared-dependencies.js";

// init and up to six generators, each typechecked in process, then tsc: a shared 2-core machine under load needs the margin.
const SHAPE_TIMEOUT_MS = 420_000;

interface JsonResult {
  ok: boolean;
  summary: { create: number; update: number; unchanged: number; conflict: number };
  packageManager?: string;
  error?: { message: string; hints: string[] };
}

async function cli(args: string[], cwd: string): Promise<{ exitCode: number; json: JsonResult; stderr: string }> {
  const result = await runMain([...args, "--json"], cwd);
  return { exitCode: result.exitCode, json: JSON.parse(result.stdout) as JsonResult, stderr: result.stderr };
}

describe("init on existing repos of different shapes", () => {
  const installed = useInstalledRoot("init-matrix", FIXTURE_ROOT_DEPENDENCIES);

  it(
    "typechecks what init would write against the repo's own tsconfig: ES2020 gets code its lib declares; a lib too old for it stops init by name (exit 2), --no-typecheck too",
    async () => {
      const [shape] = REPO_SHAPES;
      if (!shape) throw new Error("no repo shapes");
      const es2020 = await writeShape(path.join(installed().dir, "es2020-target"), shape);
      const compilerOptions = {
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        module: "NodeNext",
        target: "ES2020",
        lib: ["ES2020"],
        types: ["node"],
      };
      await writeFile(path.join(es2020, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }));
      const adapted = await cli(["init", "--no-install"], es2020);
      expect(adapted.exitCode, `${JSON.stringify(adapted.json.error)} ${adapted.stderr}`).toBe(0);
      expect(await readFile(path.join(es2020, "src/logger.ts"), "utf8")).not.toContain("replaceAll");

      // ES5 has no Promise or Map: no rewrite makes the generated code fit, so init refuses by name before it writes
      // (the typecheck would list TypeScript errors instead), and --no-typecheck does not get past it.
      const es5 = await writeShape(path.join(installed().dir, "es5-lib"), shape);
      await writeFile(
        path.join(es5, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { ...compilerOptions, target: "ES5", lib: ["ES5"] }, include: ["src"] }),
      );
      for (const flags of [[], ["--no-typecheck"]]) {
        const refused = await cli(["init", "--no-install", ...flags], es5);
        expect(refused.exitCode, refused.stderr).toBe(2);
        expect(refused.json.error?.message).toMatch(/^tsconfig\.json targets ES5: generated code needs ES2020/);
        expect(refused.json.error?.hints.join("\n")).toContain('Set "target" (or "lib")');
        await expect(readFile(path.join(es5, "perf-backend.json"), "utf8")).rejects.toThrow();
      }
    },
    SHAPE_TIMEOUT_MS,
  );

  it("refuses a workspace root and names the packages", async () => {
    const shape = REPO_SHAPES.find((candidate) => candidate.name === "pnpm-workspace");
    const fixture = path.join(installed().dir, "workspace-root-check");
    await writeShape(fixture, shape ?? REPO_SHAPES[0]!);
    const { exitCode, json } = await cli(["init", "--no-install"], fixture);
    expect(exitCode).toBe(2);
    expect(json.error?.message).toContain("workspace root");
    expect(json.error?.hints.join(" ")).toContain("packages/*");
  });

  it.each([...REPO_SHAPES, ...COMPILER_SHAPES].map((shape) => [shape.name, shape] as const))(
    "%s: init detects it, every generator writes into it, its own tsc passes, re-runs change nothing, edits are kept",
    async (_name, shape) => {
      const cwd = await writeShape(path.join(installed().dir, shape.name), shape);

      const init = await cli(["init", "--no-install"], cwd);
      expect(init.exitCode, `${JSON.stringify(init.json.error)} ${init.stderr}`).toBe(0);
      expect(init.json.packageManager).toBe(shape.expected.packageManager);
      const manifest = JSON.parse(await readFile(path.join(cwd, "perf-backend.json"), "utf8")) as {
        layout: {
          srcDir: string;
          importStyle: string;
          moduleSystem: string;
          aliases: unknown[];
          db: { driver: string; schemaBarrel: string; tableFactory?: { exportName: string } };
        };
      };
      expect(manifest.layout).toMatchObject({
        srcDir: shape.expected.srcDir,
        importStyle: shape.expected.importStyle,
        moduleSystem: shape.expected.moduleSystem,
        aliases: shape.expected.aliases,
        db: { driver: shape.expected.driver, schemaBarrel: shape.expected.schemaBarrel },
      });
      expect(manifest.layout.db.tableFactory?.exportName).toBe(shape.expected.tableFactory);

      for (const command of shape.generate) {
        const run = await cli(command, cwd);
        expect(run.exitCode, `${command.join(" ")}: ${JSON.stringify(run.json.error)} ${run.stderr}`).toBe(0);
        expect(run.stderr, "no follow-up task may fail").not.toContain("failed. Your files are in place");
      }
      if (shape.expectInFile)
        expect(await readFile(path.join(cwd, shape.expectInFile[0]), "utf8")).toContain(shape.expectInFile[1]);

      await inProject(cwd, installed().bin("tsc"), ["--noEmit", "-p", "."]);

      // Same input again: nothing to do.
      // (The first runs typechecked their output against the fixture's tsconfig; the re-runs only plan.)
      for (const command of [["init", "--no-install"], ...shape.generate]) {
        const again = await cli([...command, "--no-typecheck"], cwd);
        expect(
          again.exitCode,
          `${command.join(" ")} (second run): ${JSON.stringify(again.json.error)} ${again.stderr}`,
        ).toBe(0);
        expect(again.json.summary, command.join(" ")).toMatchObject({ create: 0, update: 0, conflict: 0 });
      }

      // A generated file the user edited is a conflict and stays as the user left it.
      const cacheFile = path.join(cwd, shape.expected.srcDir, "cache/user-profile-cache.ts");
      const edited = `${await readFile(cacheFile, "utf8")}\n// tuned by hand\n`;
      await writeFile(cacheFile, edited);
      const conflict = await cli(["generate", "cache", "user-profile", "--ttl", "120", "--no-install"], cwd);
      expect(conflict.exitCode).toBe(1);
      expect(conflict.json.error?.hints.join("\n")).toContain("user-profile-cache.ts: edited since it was generated");
      expect(await readFile(cacheFile, "utf8")).toBe(edited);

      if (shape.name === "crlf") {
        for (const file of ["package.json", "src/db/schema/index.ts", "src/db/schema/users.ts"]) {
          const text = await readFile(path.join(cwd, file), "utf8");
          expect(text.replaceAll("\r\n", ""), `${file} keeps CRLF`).not.toContain("\n");
        }
      }
    },
    SHAPE_TIMEOUT_MS,
  );
});
