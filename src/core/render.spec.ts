import { describe, expect, it } from "vitest";

import { renderString } from "./render.js";

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
