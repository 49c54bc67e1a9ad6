import { compareText } from "../format/compare-text.js";

/** Sections a package is already declared in, wherever we would add it (never a second entry). */
export const DEPENDENCY_SECTIONS = [
  "dependencies",
  "devDependencies",
  "peerDependencies",
  "optionalDependencies",
] as const;

// npm, pnpm and yarn sort dependency sections this way when they write them.
const compareKeys = compareText;

function isSorted(keys: readonly string[]): boolean {
  return keys.every((key, index) => index === 0 || compareKeys(keys[index - 1] ?? "", key) <= 0);
}

/**
 * Adds entries to a package.json section: in sorted position when the section is sorted or new (as package
 * managers keep dependencies), else after the existing ones.
 */
export function insertEntries(
  current: Record<string, string>,
  additions: Record<string, string>,
): Record<string, string> {
  const keys = Object.keys(current);
  // An empty section starts sorted: npm would sort it on the next install anyway.
  if (!isSorted(keys)) return { ...current, ...additions };
  const merged = { ...current, ...additions };
  return Object.fromEntries(
    Object.keys(merged)
      .sort(compareKeys)
      .map((key) => [key, merged[key] ?? ""]),
  );
}

/** The value a package is already declared with in any dependency section, or undefined. */
export function declaredAnywhere(json: Record<string, unknown>, name: string): string | undefined {
  for (const section of DEPENDENCY_SECTIONS) {
    const value = (json[section] as Record<string, string> | undefined)?.[name];
    if (value !== undefined) return value;
  }
  return undefined;
}
