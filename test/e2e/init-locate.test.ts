import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LOCATE_SHAPES, REFUSED_SHAPES } from "../fixtures/locate-shapes.js";
import { runMain } from "../helpers/cli.js";
import { makeTempDir, snapshotDir } from "../helpers/temp-dir.js";
import { describeInitAdapts } from "./init-adapts-suite.js";

// Drizzle setups found where a text scan does not look (a DI provider factory, a service method, a pulled schema in
// a Next.js app): their own tables.
await describeInitAdapts(LOCATE_SHAPES);

// Versions generated code does not serve: init stops before anything is written (no install, no database needed).
describe("init refuses what it cannot serve", () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir: root, cleanup } = await makeTempDir("init-refuses"));
  });
  afterAll(async () => {
    await cleanup();
  });

  it.each(REFUSED_SHAPES.map((shape) => [shape.name, shape] as const))(
    "%s: exit 2 with the reason, nothing written",
    async (_name, shape) => {
      const repo = path.join(root, shape.name);
      for (const [file, content] of Object.entries(shape.files)) {
        await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
        await writeFile(path.join(repo, file), content);
      }
      const before = await snapshotDir(repo);
      const result = await runMain(["init", "--no-install"], repo);
      expect(result.exitCode, `${result.stdout} ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(shape.reason);
      expect(result.stderr).toContain("nothing was written");
      expect(await snapshotDir(repo)).toEqual(before);
    },
  );
});
