// What a formatter may change without changing the code: whitespace, quote style, semicolons and
// trailing commas (Prettier, Biome, or init matching a repo's hand-written style).
const WHITESPACE = /\s+/g;
const SINGLE_QUOTE = /'/g;
const SEMICOLON = /;/g;
const TRAILING_COMMA = /,(?=[)\]}])/g;

function normalize(code: string): string {
  return code.replace(WHITESPACE, "").replace(SINGLE_QUOTE, '"').replace(SEMICOLON, "").replace(TRAILING_COMMA, "");
}

/** Whether two renderings of a generated file differ only in formatting (the same input re-run). */
export function sameCodeIgnoringFormat(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return a === b || normalize(a) === normalize(b);
}
