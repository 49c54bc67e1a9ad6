import { describe, expect, it } from "vitest";

import { namedBypass } from "./named-bypass.js";

describe("namedBypass", () => {
  it("reads plop's named arguments after --", () => {
    const argv = ["node", "plop", "repository", "--", "--name", "users", "--with=posts.comments", "--no-migrate", "--timestamps"];
    expect(namedBypass(argv)).toEqual({ name: "users", with: "posts.comments", migrate: false, timestamps: true });
  });

  it("is empty without --, and camel-cases flag names", () => {
    expect(namedBypass(["node", "plop", "repository", "users"])).toEqual({});
    expect(namedBypass(["node", "plop", "schema", "--", "--soft-delete", "--partial-index", "createdAt where deletedAt is null"])).toEqual({
      softDelete: true,
      partialIndex: "createdAt where deletedAt is null",
    });
  });
});
