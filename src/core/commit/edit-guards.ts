import { lstatSync, readlinkSync } from "node:fs";
import path from "node:path";

import { UsageError } from "../output/errors.js";
import type { PlanEntry } from "../plan.js";

// Git's conflict markers at the start of a line: `<<<<<<< HEAD` ... `>>>>>>> branch` (a lone `=======` may be a heading).
const OURS_MARKER = /^<{7}(?: |\r?$)/m;
const THEIRS_MARKER = /^>{7}(?: |\r?$)/m;

/** Whether `text` holds an unresolved merge: an edit would parse around the markers and drop the other side. */
export function hasConflictMarkers(text: string): boolean {
  return OURS_MARKER.test(text) && THEIRS_MARKER.test(text);
}

/**
 * The first key that appears twice in one object of a JSON text (`"scripts"` twice: JSON.parse keeps the last,
 * so an edit written back would drop the first block), or undefined. The text is assumed to parse.
 */
/** Whether the character at `index` follows an odd run of backslashes. */
function escaped(text: string, index: number): boolean {
  let backslashes = 0;
  while (text[index - 1 - backslashes] === "\\") backslashes += 1;
  return backslashes % 2 === 1;
}

export function duplicateJsonKey(text: string): string | undefined {
  const frames: Array<{ keys: Set<string> | null; expectKey: boolean }> = [];
  // Jumps from one structural character to the next: a char-by-char walk was most of a run's guard time.
  const structural = /[{}[\],"]/g;
  for (let match = structural.exec(text); match !== null; match = structural.exec(text)) {
    const index = match.index;
    const char = text[index];
    const top = frames.at(-1);
    if (char === '"') {
      let end = text.indexOf('"', index + 1);
      while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) end = text.length;
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(index, end + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
        top.expectKey = false;
      }
      structural.lastIndex = end + 1;
    } else if (char === "{") frames.push({ keys: new Set(), expectKey: true });
    else if (char === "[") frames.push({ keys: null, expectKey: false });
    else if (char === "}" || char === "]") frames.pop();
    else if (top?.keys) top.expectKey = true;
  }
  return undefined;
}

function isSymbolicLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Existing files the run is about to change that it must not touch, checked before anything is written: files
 * with merge conflict markers, JSON files with a key given twice and (on disk) symbolic links, which the atomic
 * rename would replace by a regular file and leave the link's target stale. Exit 2, naming the file and the fix.
 */
export function assertEditableFiles(entries: readonly PlanEntry[], root: string | null): void {
  for (const entry of entries) {
    if (entry.before === null || entry.after === null || entry.after === entry.before) continue;
    if (hasConflictMarkers(entry.before)) {
      throw new UsageError(`${entry.path} has git conflict markers (<<<<<<<, =======, >>>>>>>); nothing was written.`, [
        "Resolve the merge first (edit the file, then git add it), and run again.",
      ]);
    }
    const duplicate = entry.path.endsWith(".json") ? duplicateJsonKey(entry.before) : undefined;
    if (duplicate !== undefined) {
      throw new UsageError(`${entry.path} has the key "${duplicate}" twice in one object; nothing was written.`, [
        "JSON keeps only the last one, so writing the file back would drop the first: merge them by hand, and run again.",
      ]);
    }
    const full = root === null ? null : path.join(root, entry.path);
    if (full !== null && isSymbolicLink(full)) {
      throw new UsageError(`${entry.path} is a symbolic link (to ${readlinkSync(full)}); nothing was written.`, [
        "Writing it would replace the link by a regular file and leave its target stale: point the layout in perf-backend.json at the real file, or replace the link by the file.",
      ]);
    }
  }
}
