import { describe, expect, it } from "vitest";

import { DEFAULT_LAYOUT } from "../../generators/app/layout.js";
import type { Generator } from "./generator.js";
import { hashContent } from "./hash.js";
import { createMemoryHost } from "./host.js";
import { MANIFEST_FILE } from "./manifest.js";
import type { Manifest } from "./manifest.js";
import { ConflictError } from "./output/errors.js";
import { silentReporter } from "./output/reporter.js";
import { runPipeline } from "./run.js";

const manifest = (files: Record<string, string>): string =>
  JSON.stringify({ version: 1, generatedBy: "test", layout: DEFAULT_LAYOUT, files });

const writeFeature: Generator<{ content: string }> = (tree, options) => {
  tree.write("src/feature.ts", options.content);
  tree.write("src/index.ts", 'export * from "./feature.js";\n', { kind: "edit" });
  return { tasks: [{ kind: "install", packageManager: "npm" }], nextSteps: ["npm test"] };
};

function run(files: Record<string, string>, content: string, policy: "abort" | "skip" | "overwrite" = "abort") {
  return runPipeline({
    root: "/virtual",
    generate: (tree) => writeFeature(tree, { content }),
    dryRun: true,
    policy,
    reporter: silentReporter,
    host: createMemoryHost(files),
  });
}

describe("runPipeline", () => {
  it("a dry run returns the plan and tasks but writes and runs nothing", async () => {
    const result = await run({ [MANIFEST_FILE]: manifest({}) }, "export const A = 1;\n");
    expect(result.dryRun).toBe(true);
    expect(result.written).toEqual([]);
    expect(result.taskOutcomes).toEqual([]);
    expect(result.tasks).toEqual([{ kind: "install", packageManager: "npm" }]);
    expect(result.plan.entries.map((entry) => [entry.path, entry.action])).toEqual([
      ["perf-backend.json", "update"],
      ["src/feature.ts", "create"],
      ["src/index.ts", "create"],
    ]);
  });

  it("records generated files in the manifest but not edited ones", async () => {
    const result = await run({ [MANIFEST_FILE]: manifest({}) }, "v1\n");
    const after = JSON.parse(result.plan.entries[0]?.after ?? "{}") as { files: Record<string, string> };
    expect(after.files).toEqual({ "src/feature.ts": hashContent("v1\n") });
  });

  it("aborts on a file the user edited, naming it and the way out", async () => {
    const files = {
      [MANIFEST_FILE]: manifest({ "src/feature.ts": hashContent("v1\n") }),
      "src/feature.ts": "v1 + my edit\n",
    };
    const failure = await run(files, "v2\n").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as ConflictError).details[0]).toBe("src/feature.ts: edited since it was generated");
    expect((failure as ConflictError).details[1]).toContain("--on-conflict skip");
  });

  it("regenerates an untouched generated file and updates its hash", async () => {
    const files = { [MANIFEST_FILE]: manifest({ "src/feature.ts": hashContent("v1\n") }), "src/feature.ts": "v1\n" };
    const result = await run(files, "v2\n");
    expect(result.plan.entries.find((entry) => entry.path === "src/feature.ts")?.action).toBe("update");
    const after = JSON.parse(result.plan.entries[0]?.after ?? "{}") as { files: Record<string, string> };
    expect(after.files["src/feature.ts"]).toBe(hashContent("v2\n"));
  });

  it("with --on-conflict skip keeps the user's file and its old hash", async () => {
    const files = { [MANIFEST_FILE]: manifest({ "src/feature.ts": hashContent("v1\n") }), "src/feature.ts": "mine\n" };
    const result = await run(files, "v2\n", "skip");
    expect(result.plan.entries.find((entry) => entry.path === "src/feature.ts")).toMatchObject({
      action: "conflict",
      write: false,
    });
    const manifestEntry = result.plan.entries.find((entry) => entry.path === MANIFEST_FILE);
    expect(manifestEntry?.action ?? "unchanged").toBe("unchanged");
  });

  it("an edit of an untouched generated file keeps it tool-owned; of a user-edited one does not", async () => {
    const edit: Generator<{ content: string }> = (tree, options) => {
      tree.write("src/index.ts", options.content, { kind: "edit" });
      return {};
    };
    const runEdit = (files: Record<string, string>) =>
      runPipeline({
        root: "/virtual",
        generate: (tree) => edit(tree, { content: "v2\n" }),
        dryRun: true,
        policy: "abort",
        reporter: silentReporter,
        host: createMemoryHost(files),
      });
    const untouched = await runEdit({
      [MANIFEST_FILE]: manifest({ "src/index.ts": hashContent("v1\n") }),
      "src/index.ts": "v1\n",
    });
    const recorded = JSON.parse(untouched.plan.entries[0]?.after ?? "{}") as { files: Record<string, string> };
    expect(recorded.files["src/index.ts"]).toBe(hashContent("v2\n"));
    const userEdited = await runEdit({
      [MANIFEST_FILE]: manifest({ "src/index.ts": hashContent("v1\n") }),
      "src/index.ts": "mine\n",
    });
    expect(userEdited.plan.entries.find((entry) => entry.path === MANIFEST_FILE)).toBeUndefined();
  });

  it("reads perf-backend.json once when the caller has parsed it, and trusts that copy", async () => {
    const onDisk = { [MANIFEST_FILE]: manifest({ "src/feature.ts": hashContent("v1\n") }), "src/feature.ts": "v1\n" };
    let reads = 0;
    const host = createMemoryHost(onDisk);
    const counting = {
      ...host,
      read: (file: string) => (file === MANIFEST_FILE ? ((reads += 1), host.read(file)) : host.read(file)),
    };
    const parsed = JSON.parse(onDisk[MANIFEST_FILE]) as Manifest;
    const result = await runPipeline({
      root: "/virtual",
      generate: (tree) => writeFeature(tree, { content: "v2\n" }),
      manifest: parsed,
      dryRun: true,
      policy: "abort",
      reporter: silentReporter,
      host: counting,
    });
    // The plan reads the file's original once to classify the manifest entry; nothing parses it again.
    expect(reads).toBe(1);
    expect(result.plan.entries.find((entry) => entry.path === "src/feature.ts")?.action).toBe("update");
  });

  it("a second identical run plans zero changes", async () => {
    const first = await run({ [MANIFEST_FILE]: manifest({}) }, "v1\n");
    const files = Object.fromEntries(first.plan.entries.map((entry) => [entry.path, entry.after ?? ""]));
    const second = await run(files, "v1\n");
    expect(second.plan.entries.every((entry) => entry.action === "unchanged")).toBe(true);
  });
});
