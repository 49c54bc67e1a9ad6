/**
 * A generated project targets the Node major it is created with: `engines` and `@types/node` follow it.
 * Versions checked with `npm view @types/node versions`; the engines floors are the first releases of each line
 * that run the generated toolchain (require(esm) unflagged: 20.19, 22.12).
 */
const NODE_TARGETS = {
  20: { engines: ">=20.19", typesNode: "20.19.43" },
  22: { engines: ">=22.12", typesNode: "22.20.5" },
  24: { engines: ">=24", typesNode: "24.19.2" },
  26: { engines: ">=26", typesNode: "26.6.6" },
} as const satisfies Record<number, { engines: string; typesNode: string }>;

export interface NodeTarget {
  major: number;
  engines: string;
  typesNode: string;
}

/** The target for a Node version: its own line, or the nearest older line this tool knows (odd and newer majors). */
export function nodeTarget(version: string = process.versions.node): NodeTarget {
  const major = Number.parseInt(version, 10);
  const known = Object.keys(NODE_TARGETS)
    .map(Number)
    .sort((a, b) => a - b);
  const chosen = [...known].reverse().find((line) => line <= major) ?? known[0] ?? 20;
  return { major: chosen, ...NODE_TARGETS[chosen as keyof typeof NODE_TARGETS] };
}
