import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { GenerationError } from "./output/errors.js";
import { normalizeTreePath, workspaceManifestPath } from "./paths.js";

/** Read-only view of the files a tree stages changes over. */
export interface FileHost {
  /** File text, or null when there is no such file. */
  read(filePath: string): string | null;
  /** Names of the entries directly inside a directory (empty when it does not exist). */
  list(dirPath: string): string[];
  isDirectory(dirPath: string): boolean;
  /** The workspace root's package.json above the root (`../../package.json`), when the host lets it be read and edited. */
  readonly workspaceManifest?: string | null;
}

export interface HostOptions {
  /** The workspace root relative to the host's root (`../..`): its package.json becomes readable and editable. */
  workspaceRoot?: string | null;
}

const outsideOf = (options: HostOptions): { workspaceManifest: string | null; outside: ReadonlySet<string> } => {
  const workspaceManifest = options.workspaceRoot ? workspaceManifestPath(options.workspaceRoot) : null;
  return { workspaceManifest, outside: new Set(workspaceManifest ? [workspaceManifest] : []) };
};

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  // A name too long to exist cannot be there; the run refuses to write it later (path-limits.ts).
  return code === "ENOENT" || code === "ENOTDIR" || code === "ENAMETOOLONG";
}

function unreadable(filePath: string, error: unknown): GenerationError {
  const { code, message } = error as NodeJS.ErrnoException;
  return new GenerationError(`Cannot read ${filePath} (${code ?? message}); nothing was written.`, [
    code === "EACCES"
      ? `Give your user read access to ${filePath}, then run again.`
      : `Check ${filePath}, then run again.`,
  ]);
}

/**
 * The disk as of the first read of each file: every later read in the run (the generator, the plan) sees the
 * same text, so the commit can check that nothing changed since the generator read it.
 */
export function createDiskHost(root: string, options: HostOptions = {}): FileHost {
  const { workspaceManifest, outside } = outsideOf(options);
  const resolve = (p: string): string => path.join(root, normalizeTreePath(p, outside));
  const seen = new Map<string, string | null>();
  const readOnce = (filePath: string): string | null => {
    try {
      const absolute = resolve(filePath);
      // Most reads of a new project's paths miss: a stat that returns nothing costs a fortieth of ENOENT's exception.
      if (statSync(absolute, { throwIfNoEntry: false }) === undefined) return null;
      return readFileSync(absolute, "utf8");
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return null;
      throw unreadable(filePath, error);
    }
  };
  return {
    workspaceManifest,
    read(filePath) {
      const key = normalizeTreePath(filePath, outside);
      if (!seen.has(key)) seen.set(key, readOnce(key));
      return seen.get(key) ?? null;
    },
    list(dirPath) {
      try {
        return readdirSync(resolve(dirPath));
      } catch (error) {
        if (isMissing(error)) return [];
        throw unreadable(dirPath, error);
      }
    },
    isDirectory(dirPath) {
      try {
        return statSync(resolve(dirPath)).isDirectory();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}

/** A virtual workspace: generator specs run on one of these, never on the disk. */
export function createMemoryHost(files: Record<string, string> = {}, options: HostOptions = {}): FileHost {
  const { workspaceManifest, outside } = outsideOf(options);
  const contents = new Map(Object.entries(files).map(([p, text]) => [normalizeTreePath(p, outside), text]));
  const entriesOf = (dirPath: string): string[] => {
    const dir = normalizeTreePath(dirPath);
    const prefix = dir === "" ? "" : `${dir}/`;
    const names = new Set<string>();
    for (const filePath of contents.keys()) {
      // The workspace root's package.json is readable by its path, never listed inside the root.
      if (filePath.startsWith(prefix) && !outside.has(filePath))
        names.add(filePath.slice(prefix.length).split("/")[0] ?? "");
    }
    names.delete("");
    return [...names].sort();
  };
  return {
    workspaceManifest,
    read: (filePath) => contents.get(normalizeTreePath(filePath, outside)) ?? null,
    list: entriesOf,
    isDirectory: (dirPath) => entriesOf(dirPath).length > 0 && !contents.has(normalizeTreePath(dirPath)),
  };
}
