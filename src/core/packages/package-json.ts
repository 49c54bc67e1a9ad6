import { GenerationError } from "../output/errors.js";
import { PACKAGE_JSON_SPEC } from "../state/package-json-schema.js";
import { readStateFile } from "../state/state-file.js";
import type { Tree } from "../tree.js";
import { declaredAnywhere, insertEntries } from "./package-json-order.js";

export const PACKAGE_JSON = "package.json";

type Section = "dependencies" | "devDependencies" | "scripts";
export type PackageJsonAdditions = Partial<Record<Section, Record<string, string>>>;

export interface PackageJsonMergeResult {
  /** `section name@value` for everything added. */
  added: string[];
  /** Entries the project already has with another value: kept as they are, reported. */
  differing: Array<{ section: Section; name: string; existing: string; wanted: string }>;
}

function detectIndent(text: string): string | number {
  return /^([ \t]+)"/m.exec(text)?.[1] ?? 2;
}

/** The validated dependency and script sections (same content as on disk, already checked). */
function pickSections(validated: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(validated).filter(([key]) => key === "scripts" || key.endsWith("ependencies")),
  );
}

/**
 * Adds missing dependencies and scripts to package.json; never changes an existing entry.
 * Keeps the file's indentation (tabs too), line endings and key order; new dependencies go in sorted
 * position when their section is sorted.
 */
export function mergePackageJson(
  tree: Tree,
  additions: PackageJsonAdditions,
  filePath = PACKAGE_JSON,
): PackageJsonMergeResult {
  const text = tree.read(filePath);
  if (text === null) throw new GenerationError(`Cannot add dependencies: ${filePath} does not exist.`);
  // A section of the wrong type ("dependencies": "oops") is refused, never rewritten.
  const validated: Record<string, unknown> = readStateFile({ ...PACKAGE_JSON_SPEC, file: filePath }, text);
  // Edits go on the file's own object: the schema's parse puts known keys first, reordering the file.
  const json = { ...(JSON.parse(text.replace(/^\uFEFF/, "")) as Record<string, unknown>), ...pickSections(validated) };
  const result: PackageJsonMergeResult = { added: [], differing: [] };
  for (const [section, entries] of Object.entries(additions) as Array<[Section, Record<string, string>]>) {
    const current = (json[section] ?? {}) as Record<string, string>;
    const added: Record<string, string> = {};
    for (const [name, wanted] of Object.entries(entries)) {
      // A package declared in any section (drizzle-kit as a dependency) is not added a second time.
      const existing = section === "scripts" ? current[name] : declaredAnywhere(json, name);
      if (existing === undefined) {
        added[name] = wanted;
        result.added.push(`${section} ${name}@${wanted}`);
      } else if (existing !== wanted) {
        result.differing.push({ section, name, existing, wanted });
      }
    }
    // Scripts keep the author's order; dependency sections are kept sorted the way package managers keep them.
    if (Object.keys(added).length > 0)
      json[section] = section === "scripts" ? { ...current, ...added } : insertEntries(current, added);
  }
  if (result.added.length === 0) return result;
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const output = `${JSON.stringify(json, null, detectIndent(text))}\n`.replaceAll("\n", newline);
  tree.write(filePath, output, { kind: "edit" });
  return result;
}

/** Notes for versions the project pins differently from what generated code is tested with. */
export function describeDiffering(result: PackageJsonMergeResult): string[] {
  return result.differing.map(
    (entry) =>
      `package.json: kept your ${entry.section} ${entry.name}@${entry.existing} (generated code is tested with ${entry.wanted}).`,
  );
}
