import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { DEFAULT_LAYOUT } from "../../../generators/app/layout.js";
import type { GeneratorResult } from "../generator.js";
import { hashContent } from "../hash.js";
import { MANIFEST_FILE } from "../manifest.js";
import type { Reporter } from "../output/reporter.js";
import { runPipeline } from "../run.js";
import type { Tree } from "../tree.js";

const TSCONFIG = '{ "compilerOptions": { "strict": true } }\n';
// The check either runs as a step or says why it could not (a temp folder has no node_modules: "not installed").
const TYPECHECK_STEP = /^Typecheck(?:ing the repo with the generated files| skipped: TypeScript is not installed)/;

/** README: `--typecheck` defaults to on where the tsconfig is the repo's own, off where this tool generated it. */
describe("the pre-commit typecheck's default", () => {
  const roots: string[] = [];
  afterEach(async () => {
    await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });

  async function stepsOfDryRun(tsconfigHashes: Record<string, string>, typecheck?: boolean): Promise<string[]> {
    const root = await mkdtemp(path.join(tmpdir(), "cpb-typecheck-default-"));
    roots.push(root);
    await writeFile(path.join(root, "tsconfig.json"), TSCONFIG);
    await writeFile(
      path.join(root, MANIFEST_FILE),
      JSON.stringify({ version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files: tsconfigHashes }),
    );
    const steps: string[] = [];
    const reporter: Reporter = {
      info: (message) => {
        if (TYPECHECK_STEP.test(message)) steps.push(message);
      },
      warn: () => undefined,
      plan: () => undefined,
      step: (title, work) => {
        steps.push(title);
        return work();
      },
    };
    const generate = (tree: Tree): GeneratorResult => {
      tree.write("src/feature.ts", "export const feature = 1;\n");
      return {};
    };
    await runPipeline({ root, generate, dryRun: true, policy: "abort", reporter, typecheck });
    return steps;
  }

  it("runs where the repo owns its tsconfig (not in the manifest, or edited since we wrote it)", async () => {
    expect(await stepsOfDryRun({})).toEqual([expect.stringMatching(TYPECHECK_STEP)]);
    expect(await stepsOfDryRun({ "tsconfig.json": hashContent("{}\n") })).toEqual([
      expect.stringMatching(TYPECHECK_STEP),
    ]);
  });

  it("is skipped where this tool generated the tsconfig and nobody changed it, unless --typecheck asks", async () => {
    expect(await stepsOfDryRun({ "tsconfig.json": hashContent(TSCONFIG) })).toEqual([]);
    expect(await stepsOfDryRun({ "tsconfig.json": hashContent(TSCONFIG) }, true)).toEqual([
      expect.stringMatching(TYPECHECK_STEP),
    ]);
    expect(await stepsOfDryRun({}, false)).toEqual([]);
  });
});
