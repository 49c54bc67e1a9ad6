import { describe, expect, it } from "vitest";

import { compareText } from "./compare-text.js";

const PRINTABLE = Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)).join("");
// Seeded, so a failure names a reproducible pair.
function randomText(next: () => number, alphabet: string): string {
  return Array.from({ length: Math.floor(next() * 7) }, () =>
    alphabet.charAt(Math.floor(next() * alphabet.length)),
  ).join("");
}
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe("compareText", () => {
  it("sorts every printable ASCII character as localeCompare does", () => {
    const chars = [...PRINTABLE];
    expect([...chars].sort(compareText)).toEqual([...chars].sort((a, b) => a.localeCompare(b)));
  });

  it.each([
    ["printable ASCII", PRINTABLE],
    ["path characters, case pairs", "aAbBzZ09-_./@ "],
    ["with letters outside ASCII (the fallback)", "aAé-É_ß."],
  ])("agrees with localeCompare (root and en) on 20,000 random pairs of %s", (_, alphabet) => {
    const next = seeded(alphabet.length);
    const disagreements: string[] = [];
    for (let pair = 0; pair < 20_000; pair += 1) {
      const [a, b] = [randomText(next, alphabet), randomText(next, alphabet)];
      const got = Math.sign(compareText(a, b));
      if (got !== Math.sign(a.localeCompare(b)) || got !== Math.sign(a.localeCompare(b, "en")))
        disagreements.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
  });
});
