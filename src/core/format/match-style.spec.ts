import { describe, expect, it } from "vitest";

import { applySourceStyle, detectSourceStyle } from "./match-style.js";

const GENERATED = [
  'import { Pool } from "pg";',
  "",
  "export function query(pool: Pool): string {",
  "  if (pool) {",
  '    return `select "x"',
  "  from t`;",
  "  }",
  '  return "it\'s" + "plain";',
  "}",
  "",
].join("\n");

describe("detectSourceStyle", () => {
  it("reads tabs or the smallest space indent, and the quotes most string literals use", () => {
    expect(detectSourceStyle(["function a() {\n\treturn 'x';\n}\n", "const b = 'y';\n"])).toEqual({
      indent: "\t",
      quote: "'",
    });
    expect(detectSourceStyle(['function a() {\n    if (x) {\n        return "x";\n    }\n}\n'])).toEqual({
      indent: "    ",
      quote: '"',
    });
    expect(detectSourceStyle([])).toBeNull();
  });
});

describe("applySourceStyle", () => {
  it("re-indents and re-quotes outside template literals, and leaves strings with quotes inside alone", async () => {
    expect(await applySourceStyle("a.ts", GENERATED, { indent: "\t", quote: "'" })).toBe(
      [
        "import { Pool } from 'pg';",
        "",
        "export function query(pool: Pool): string {",
        "\tif (pool) {",
        '\t\treturn `select "x"',
        "  from t`;",
        "\t}",
        "\treturn \"it's\" + 'plain';",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("changes nothing where the repo writes like the templates", async () => {
    expect(await applySourceStyle("a.ts", GENERATED, { indent: "  ", quote: '"' })).toBe(GENERATED);
  });
});
