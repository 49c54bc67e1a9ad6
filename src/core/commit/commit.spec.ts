import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { makeTempDir, snapshotDir } from "../../../test/helpers/temp-dir.js";
import { createDiskHost } from "../host.js";
import { createPlan, planWrites } from "../plan.js";
import type { PlanEntry } from "../plan.js";
import { Tree } from "../tree.js";
import { commitEntries, diskCommitFs } from "./commit.js";
import type { CommitFs } from "./commit.js";

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir("commit"));
  await mkdir(path.join(dir, "src"));
  await writeFile(path.join(dir, "src/index.ts"), "export {};\n");
  await writeFile(path.join(dir, "run.sh"), "#!/bin/sh\necho old\n");
  await chmod(path.join(dir, "run.sh"), 0o755);
});
afterEach(() => cleanup());

function stagedWrites(): PlanEntry[] {
  const tree = new Tree(createDiskHost(dir));
  tree.write("src/index.ts", 'export * from "./a.js";\n', { kind: "edit" });
  tree.write("run.sh", "#!/bin/sh\necho new\n", { kind: "edit" });
  tree.write("src/a.ts", "export const A = 1;\n");
  tree.write("src/deep/nested/b.ts", "export const B = 2;\n");
  tree.write("docs/c.md", "# c\n");
  return planWrites(createPlan(tree, { policy: "abort" }));
}

/** A file system that fails on the n-th call of one operation. */
function failingOn(operation: keyof CommitFs, failAt: number): CommitFs {
  let calls = 0;
  return {
    ...diskCommitFs,
    [operation]: async (...args: unknown[]) => {
      calls += 1;
      if (calls === failAt) throw new Error(`injected ${operation} failure #${String(failAt)}`);
      return (diskCommitFs[operation] as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  } as CommitFs;
}

describe("commitEntries", () => {
  it("writes every file, creates directories and keeps an executable bit", async () => {
    const leftovers = await commitEntries(dir, stagedWrites());
    expect(leftovers).toEqual([]);
    const after = await snapshotDir(dir);
    expect(after["src/index.ts"]).toBe('644 export * from "./a.js";\n');
    expect(after["run.sh"]).toBe("755 #!/bin/sh\necho new\n");
    expect(after["src/deep/nested/b.ts"]).toBe("644 export const B = 2;\n");
    expect(Object.keys(after).filter((name) => /\.(tmp|bak)$/.test(name))).toEqual([]);
  });

  /** Calls of each operation in a commit that succeeds. */
  async function countCalls(): Promise<Map<keyof CommitFs, number>> {
    const counts = new Map<keyof CommitFs, number>();
    const counting = Object.fromEntries(
      Object.entries(diskCommitFs).map(([name, operation]) => [
        name,
        (...args: unknown[]) => {
          counts.set(name as keyof CommitFs, (counts.get(name as keyof CommitFs) ?? 0) + 1);
          return (operation as (...a: unknown[]) => Promise<unknown>)(...args);
        },
      ]),
    ) as unknown as CommitFs;
    const writes = stagedWrites();
    const before = await snapshotDir(dir);
    await commitEntries(dir, writes, counting);
    await cleanup();
    ({ dir, cleanup } = await makeTempDir("commit"));
    for (const [file, content] of Object.entries(before)) {
      if (file.endsWith("/")) await mkdir(path.join(dir, file), { recursive: true });
      else
        await writeFile(path.join(dir, file), content.slice(content.indexOf(" ") + 1), {
          mode: Number.parseInt(content.slice(0, 3), 8),
        });
    }
    return counts;
  }

  it("leaves the target exactly as before when any file operation fails at any call", async () => {
    const counts = await countCalls();
    // unlink and rmdir only clean up after the files are in place; a failing existence check reads as "absent".
    const injections = [...counts].flatMap(([operation, calls]) =>
      Array.from({ length: calls }, (_, index) => [operation, index + 1] as const),
    );
    expect(injections.length).toBeGreaterThan(20);
    const before = await snapshotDir(dir);
    for (const [operation, failAt] of injections) {
      if (operation === "unlink" || operation === "rmdir" || operation === "mode") continue;
      const outcome = await commitEntries(dir, stagedWrites(), failingOn(operation, failAt)).then(
        () => "written",
        (error: unknown) => (error as Error).message,
      );
      expect(outcome, `${operation} #${String(failAt)}`).toMatch(/injected/);
      expect(await snapshotDir(dir), `${operation} #${String(failAt)}`).toEqual(before);
    }
  });

  it("refuses to write when a file changed after the plan was made", async () => {
    const writes = stagedWrites();
    await writeFile(path.join(dir, "src/index.ts"), "// edited meanwhile\n");
    const before = await snapshotDir(dir);
    await expect(commitEntries(dir, writes)).rejects.toThrow(/src\/index.ts changed on disk/);
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it("creates a missing root directory and removes it again on failure", async () => {
    const root = path.join(dir, "new/project");
    const tree = new Tree(createDiskHost(root));
    tree.write("a.ts", "a\n");
    tree.write("b/c.ts", "c\n");
    const before = await snapshotDir(dir);
    await expect(
      commitEntries(root, planWrites(createPlan(tree, { policy: "abort" })), failingOn("rename", 2)),
    ).rejects.toThrow();
    expect(await snapshotDir(dir)).toEqual(before);
    await commitEntries(root, planWrites(createPlan(tree, { policy: "abort" })));
    expect((await snapshotDir(root))["b/c.ts"]).toBe("644 c\n");
  });
});

describe("commit re-check against what the generator read", () => {
  it("refuses when another program changed a file between the generator's read and the plan", async () => {
    const tree = new Tree(createDiskHost(dir));
    const read = tree.read("src/index.ts") ?? "";
    // Another process appends an export after the generator read the barrel.
    await writeFile(path.join(dir, "src/index.ts"), 'export * from "./theirs.js";\n');
    tree.write("src/index.ts", `${read}export * from "./ours.js";\n`, { kind: "edit" });
    const writes = planWrites(createPlan(tree, { policy: "abort" }));
    expect(writes[0]?.before).toBe(read);
    const before = await snapshotDir(dir);
    await expect(commitEntries(dir, writes)).rejects.toThrow(/src\/index.ts changed on disk after this run read it/);
    expect(await snapshotDir(dir)).toEqual(before);
  });
});
