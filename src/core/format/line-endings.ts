const BOM = "\uFEFF";

/** The text as compared and hashed: no byte-order mark, LF line endings (a CRLF checkout is the same file). */
export function normalizeText(text: string): string {
  return (text.startsWith(BOM) ? text.slice(BOM.length) : text).replaceAll("\r\n", "\n");
}

/** `next` written in the style of `existing`: its line ending (CRLF when it has any) and its BOM. */
export function matchTextStyle(existing: string, next: string): string {
  const normalized = normalizeText(next);
  const withEndings = existing.includes("\r\n") ? normalized.replaceAll("\n", "\r\n") : normalized;
  return existing.startsWith(BOM) ? `${BOM}${withEndings}` : withEndings;
}
