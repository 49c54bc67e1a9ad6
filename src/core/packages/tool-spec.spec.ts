import { describe, expect, it } from "vitest";

import { packageRoot } from "./package-root.js";
import { defaultToolSpec } from "./tool-spec.js";

// These specs run from the checkout (not from a node_modules copy), so the spec is the checkout itself.
describe("defaultToolSpec from a checkout", () => {
  it("is file: for npm and yarn 1 (npm links it; yarn 1's link: would write bins into the checkout)", () => {
    expect(defaultToolSpec()).toBe(`file:${packageRoot()}`);
    expect(defaultToolSpec("yarn")).toBe(`file:${packageRoot()}`);
  });

  it("is link: for pnpm, whose file: installs our dependencies and links their bins (tsc 6) into the package", () => {
    expect(defaultToolSpec("pnpm")).toBe(`link:${packageRoot()}`);
  });
});
