import { describe, expect, it } from "vitest";

import { createAppPackageJson } from "./package-json.js";

describe("createAppPackageJson", () => {
  it("declares engines and pins @types/node for the Node line it runs on", () => {
    const json = createAppPackageJson({ projectName: "demo", server: true, toolSpec: "^0.1.0" }) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    const major = process.versions.node.split(".")[0] ?? "";
    expect(json.engines.node).toMatch(new RegExp(`^>=${major}(\\.|$)`));
    expect(json.devDependencies["@types/node"]).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`));
  });
});
