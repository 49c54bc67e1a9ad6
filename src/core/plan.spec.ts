import { describe, expect, it } from "vitest";

import { hashContent } from "./hash.js";
import { createMemoryHost } from "./host.js";
import { createPlan, planWrites, summarizePlan } from "./plan.js";
import type { ConflictPolicy } from "./plan.js";
import { Tree } from "./tree.js";

function planFor(
  files: Record<string, string>,
  stage: (tree: Tree) => void,
  policy: ConflictPolicy = "abort",
  owned = {},
) {
  const tree = new Tree(createMemoryHost(files));
  stage(tree);
  return createPlan(tree, { policy, ownedHashes: owned });
}

describe("createPlan", () => {
  it("classifies create, update, unchanged and conflict", () => {
    const plan = planFor({ "same.ts": "x\n", "edit.ts": "old\n", "mine.ts": "user\n" }, (tree) => {
      tree.write("new.ts", "n\n");
      tree.write("same.ts", "x\n");
      tree.write("edit.ts", "new\n", { kind: "edit" });
      tree.write("mine.ts", "generated\n");
    });
    const actions = Object.fromEntries(plan.entries.map((entry) => [entry.path, entry.action]));
    expect(actions).toEqual({ "edit.ts": "update", "mine.ts": "conflict", "new.ts": "create", "same.ts": "unchanged" });
    expect(summarizePlan(plan)).toEqual({ create: 1, update: 1, unchanged: 1, conflict: 1 });
    expect(planWrites(plan).map((entry) => entry.path)).toEqual(["edit.ts", "new.ts"]);
  });

  it("produces unified diffs", () => {
    const plan = planFor({ "a.ts": "one\ntwo\n" }, (tree) => tree.write("a.ts", "one\nthree\n", { kind: "edit" }));
    const diff = plan.entries[0]?.diff ?? "";
    expect(diff).toContain("--- a/a.ts");
    expect(diff).toContain("+++ b/a.ts");
    expect(diff).toContain("-two");
    expect(diff).toContain("+three");
  });

  it("diffs a new file against /dev/null", () => {
    const plan = planFor({}, (tree) => tree.write("b.ts", "hello\n"));
    expect(plan.entries[0]?.diff).toMatch(/--- \/dev\/null[\s\S]*\+hello/);
  });

  it("regenerates an untouched generated file but not one the user edited", () => {
    const files = { "gen.ts": "v1\n", "edited.ts": "user change\n" };
    const owned = { "gen.ts": hashContent("v1\n"), "edited.ts": hashContent("v1\n") };
    const plan = planFor(
      files,
      (tree) => {
        tree.write("gen.ts", "v2\n");
        tree.write("edited.ts", "v2\n");
      },
      "abort",
      owned,
    );
    expect(plan.entries.map((entry) => [entry.path, entry.action, entry.reason])).toEqual([
      ["edited.ts", "conflict", "edited since it was generated"],
      ["gen.ts", "update", undefined],
    ]);
  });

  it("applies the conflict policy to what gets written", () => {
    const stage = (tree: Tree) => tree.write("mine.ts", "generated\n");
    const files = { "mine.ts": "user\n" };
    expect(planWrites(planFor(files, stage, "skip"))).toHaveLength(0);
    expect(planWrites(planFor(files, stage, "overwrite")).map((entry) => entry.path)).toEqual(["mine.ts"]);
  });

  it("includes conflicts that are not file writes", () => {
    const plan = planFor({}, (tree) => tree.addConflict(".", "the directory is not empty"));
    expect(plan.entries).toMatchObject([
      { path: "", action: "conflict", reason: "the directory is not empty", write: false },
    ]);
  });
});
