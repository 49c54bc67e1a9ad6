import { createHash } from "node:crypto";

import { normalizeText } from "./format/line-endings.js";

/** Hash of a file as the tool compares it: line endings and a BOM do not count (git autocrlf). */
export function hashContent(content: string): string {
  return `sha256-${createHash("sha256").update(normalizeText(content)).digest("hex")}`;
}
