import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../host.js";
import { Tree } from "../tree.js";
import { mergePackageJson } from "./package-json.js";

describe("mergePackageJson", () => {
  it("adds only what is missing and reports version differences without changing them", () => {
    const tree = new Tree(
      createMemoryHost({ "package.json": '{\n    "name": "x",\n    "dependencies": { "pg": "8.0.0" }\n}\n' }),
    );
    const result = mergePackageJson(tree, {
      dependencies: { pg: "8.23.1", dataloader: "2.2.3" },
      scripts: { test: "vitest run" },
    });
    expect(result.added).toEqual(["dependencies dataloader@2.2.3", "scripts test@vitest run"]);
    expect(result.differing).toEqual([{ section: "dependencies", name: "pg", existing: "8.0.0", wanted: "8.23.1" }]);
    const written = tree.read("package.json") ?? "";
    expect(written).toContain('\n    "dependencies": {\n        "dataloader": "2.2.3",\n        "pg": "8.0.0"');
  });

  it("stages nothing when everything is there, and keeps CRLF", () => {
    const tree = new Tree(
      createMemoryHost({ "package.json": '{\r\n  "dependencies": {\r\n    "pg": "1.0.0"\r\n  }\r\n}\r\n' }),
    );
    expect(mergePackageJson(tree, { dependencies: { pg: "1.0.0" } }).added).toEqual([]);
    expect(tree.changes()).toEqual([]);
    mergePackageJson(tree, { devDependencies: { vitest: "4.1.12" } });
    expect((tree.read("package.json") ?? "").replaceAll("\r\n", "")).not.toContain("\n");
  });

  it("counts a devDependency as present for a runtime dependency", () => {
    const tree = new Tree(createMemoryHost({ "package.json": '{ "devDependencies": { "pg": "8.23.1" } }' }));
    expect(mergePackageJson(tree, { dependencies: { pg: "8.23.1" } }).added).toEqual([]);
  });
});
