import { describe, expect, it } from "vitest";

import { hashContent } from "../hash.js";
import { matchTextStyle, normalizeText } from "./line-endings.js";

describe("line endings and BOM", () => {
  it("hashes a CRLF or BOM checkout like the LF file the tool wrote", () => {
    expect(hashContent("\uFEFFa\r\nb\r\n")).toBe(hashContent("a\nb\n"));
    expect(hashContent("a\nb\n")).not.toBe(hashContent("a\nc\n"));
  });

  it("writes new text in the existing file's style", () => {
    expect(matchTextStyle("x\r\ny\r\n", "a\nb\n")).toBe("a\r\nb\r\n");
    expect(matchTextStyle("\uFEFFx\n", "a\nb\n")).toBe("\uFEFFa\nb\n");
    expect(matchTextStyle("x\n", "a\r\nb\r\n")).toBe("a\nb\n");
    expect(normalizeText("\uFEFFa\r\n")).toBe("a\n");
  });
});
