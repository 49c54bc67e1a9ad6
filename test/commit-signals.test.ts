import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { REPO_ROOT } from "./helpers/cli.js";
import { makeTempDir } from "./helpers/temp-dir.js";

const FILES = 5;

// A real process (the built engine) that gets Ctrl-C in the middle of its renames.
const SCRIPT = `
const { commitEntries, diskCommitFs } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, "dist/src/core/commit/commit.js")).href)});
const entries = Array.from({ length: ${String(FILES)} }, (_, index) => ({
  path: "dir/f" + index + ".txt", action: "create", kind: "generate", before: null, after: "file " + index + "\\n", write: true, diff: "",
}));
let renames = 0;
const fs = {
  ...diskCommitFs,
  rename: async (from, to) => {
    renames += 1;
    if (renames === 2) process.kill(process.pid, "SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 20));
    return diskCommitFs.rename(from, to);
  },
};
await commitEntries(process.argv[1], entries, fs);
`;

describe("commit under Ctrl-C", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir("signals"));
  });
  afterEach(() => cleanup());

  it("finishes every rename, then lets the signal end the process", async () => {
    const child = await execa("node", ["--input-type=module", "-e", SCRIPT, dir], { reject: false });
    expect(child.signal).toBe("SIGINT");
    const written = (await readdir(path.join(dir, "dir"))).sort();
    expect(written).toEqual(Array.from({ length: FILES }, (_, index) => `f${String(index)}.txt`));
    expect(await readFile(path.join(dir, "dir/f4.txt"), "utf8")).toBe("file 4\n");
  });
});
