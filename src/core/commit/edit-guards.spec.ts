import { describe, expect, it } from "vitest";

import { duplicateJsonKey, hasConflictMarkers } from "./edit-guards.js";

describe("duplicateJsonKey", () => {
  it.each([
    ['{ "a": 1, "a": 2 }', "a"],
    ['{ "x": { "b": 1, "c": [ { "b": 2 } ], "b": 3 } }', "b"],
    ['{ "k\\"q": 1, "k\\"q": 2 }', 'k"q'],
    ['{ "a\\\\": 1, "b": "x\\\\", "a\\\\": 2 }', "a\\"],
    ['{ "scripts": {}, "name": "a", "scripts": { "a": "b" } }', "scripts"],
  ])("%s -> %s", (text, key) => {
    expect(duplicateJsonKey(text)).toBe(key);
  });

  it.each([
    '{ "a": 1, "b": { "a": 2 } }',
    '{ "a": ["a", "a"], "b": "a" }',
    '[{ "a": 1 }, { "a": 2 }]',
    '{ "a": "{ \\"b\\": 1, \\"b\\": 2 }" }',
  ])("no duplicate in %s", (text) => {
    expect(duplicateJsonKey(text)).toBeUndefined();
  });
});

describe("hasConflictMarkers", () => {
  it("needs both sides of a merge at the start of lines", () => {
    expect(hasConflictMarkers("a\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> main\n")).toBe(true);
    expect(hasConflictMarkers("a\r\n<<<<<<<\r\nx\r\n>>>>>>>\r\n")).toBe(true);
    // A setext heading, and markers quoted inside a line, are not a merge.
    expect(hasConflictMarkers("Title\n=======\n")).toBe(false);
    expect(hasConflictMarkers('const s = "<<<<<<< HEAD >>>>>>> x";\n')).toBe(false);
  });
});
