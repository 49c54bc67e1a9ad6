import { describe, expect, it } from "vitest";

import { nodeTarget } from "./node-target.js";

describe("nodeTarget", () => {
  it("follows the Node line the project is created with", () => {
    expect(nodeTarget("20.20.0")).toMatchObject({
      major: 20,
      engines: ">=20.19",
      typesNode: expect.stringMatching(/^20\./) as unknown,
    });
    expect(nodeTarget("24.21.0")).toMatchObject({
      major: 24,
      engines: ">=24",
      typesNode: expect.stringMatching(/^24\./) as unknown,
    });
    expect(nodeTarget("26.1.0").typesNode).toMatch(/^26\./);
  });

  it("takes the nearest older line for odd or unknown majors", () => {
    expect(nodeTarget("23.1.0").major).toBe(22);
    expect(nodeTarget("27.0.0").major).toBe(26);
    expect(nodeTarget("18.0.0").major).toBe(20);
  });
});
