import { describe, expect, it } from "vitest";

import { withMovedPaths } from "./relocate-tests.js";

describe("withMovedPaths", () => {
  const moves = new Map([["src/cache/a.test.ts", "test/cache/a.test.ts"]]);

  it("names a moved test where it went, wherever the message mentions it", () => {
    expect(withMovedPaths("npx vitest run src/cache/a.test.ts   # one statement", moves)).toBe(
      "npx vitest run test/cache/a.test.ts   # one statement",
    );
    expect(withMovedPaths("see src/cache/a.test.ts.", moves)).toBe("see test/cache/a.test.ts.");
  });

  it("leaves a longer path that merely ends or starts with it", () => {
    expect(withMovedPaths("packages/x/src/cache/a.test.ts", moves)).toBe("packages/x/src/cache/a.test.ts");
    expect(withMovedPaths("src/cache/a.test.ts-snapshot", moves)).toBe("src/cache/a.test.ts-snapshot");
    expect(withMovedPaths("src/cache/aXtest.ts", moves)).toBe("src/cache/aXtest.ts");
  });
});
