import { describe, expect, it } from "vitest";

import { createMemoryHost } from "./host.js";
import { generateFiles, loadTemplates, renderString } from "./render.js";
import { Tree } from "./tree.js";

describe("renderString", () => {
  it("renders code verbatim: no HTML escaping of <, >, & or quotes", () => {
    const out = renderString("const x: {{type}} = {{value}};", { type: "Array<string>", value: `a && "b" || 'c'` });
    expect(out).toBe(`const x: Array<string> = a && "b" || 'c';`);
  });

  it("fails on a missing variable instead of rendering an empty string", () => {
    expect(() => renderString("hello {{name}}", {}, "greeting")).toThrow(/Rendering greeting failed: "name" not defined/);
  });

  it("offers case helpers from change-case", () => {
    const out = renderString("{{camelCase n}} {{pascalCase n}} {{kebabCase n}} {{constantCase n}}", { n: "user profile" });
    expect(out).toBe("userProfile UserProfile user-profile USER_PROFILE");
  });
});

describe("generateFiles", () => {
  it("renders every template of a folder, turning _dotfiles into .dotfiles", () => {
    const tree = new Tree(createMemoryHost());
    const written = generateFiles(tree, "app/base", "", {
      projectName: "demo",
      server: true,
      srcDir: "src",
      drizzleSchema: "src/db/schema/index.ts",
      drizzleOut: "drizzle",
    });
    expect(written.length).toBe(loadTemplates("app/base").size);
    expect(written).toContain(".gitignore");
    expect(written.every((file) => !file.endsWith(".hbs"))).toBe(true);
    expect(tree.read("src/db/pool.ts")).toContain("POOL_MAX_CONNECTIONS");
  });
});
