import path from "node:path";

import { compareText } from "./format/compare-text.js";
import type { FileHost } from "./host.js";
import { normalizeTreePath } from "./paths.js";

/**
 * `generate`: a file the tool owns; replacing different existing content is a conflict.
 * `edit`: a deliberate change of an existing file (barrel, package.json) made from its current text.
 */
export type ChangeKind = "generate" | "edit";

export interface StagedChange {
  readonly path: string;
  readonly content: string;
  readonly kind: ChangeKind;
  /** Extra file mode bits, e.g. 0o755 for scripts. */
  readonly mode?: number;
}

export interface StagedConflict {
  readonly path: string;
  readonly reason: string;
}

export interface WriteOptions {
  kind?: ChangeKind;
  mode?: number;
}

/**
 * Staged changes over a read-only host (Nx devkit's Tree, in short):
 * reads fall through to the host unless the path was written in this run.
 */
export class Tree {
  readonly #host: FileHost;
  readonly #changes = new Map<string, StagedChange>();
  readonly #conflicts = new Map<string, StagedConflict>();
  readonly #outside: ReadonlySet<string>;
  /**
   * The workspace root's package.json (`../../package.json`) when the run is in a package of a workspace:
   * the only path above the root a generator may read or edit (dev tools the workspace keeps at its root).
   * The host decides it; like every other change it is validated before any write and rolled back.
   */
  readonly workspaceManifest: string | null;

  constructor(host: FileHost) {
    this.#host = host;
    this.workspaceManifest = host.workspaceManifest ?? null;
    this.#outside = new Set(this.workspaceManifest ? [this.workspaceManifest] : []);
  }

  #key(filePath: string): string {
    return normalizeTreePath(filePath, this.#outside);
  }

  read(filePath: string): string | null {
    const key = this.#key(filePath);
    return this.#changes.get(key)?.content ?? this.#host.read(key);
  }

  /** The file as it is on the host, ignoring what this run staged. */
  readOriginal(filePath: string): string | null {
    return this.#host.read(this.#key(filePath));
  }

  /** Whether this run staged a write of the file. */
  isStaged(filePath: string): boolean {
    return this.#changes.has(this.#key(filePath));
  }

  exists(filePath: string): boolean {
    return this.read(filePath) !== null;
  }

  write(filePath: string, content: string, options: WriteOptions = {}): void {
    const key = this.#key(filePath);
    // Above the root only an edit of the workspace root's package.json, never a file of ours.
    if (this.#outside.has(key) && options.kind !== "edit")
      throw new Error(`Tree.write: ${key} is outside the package; only an edit is allowed.`);
    const previous = this.#changes.get(key);
    // An edit of a file this run generates is still a generated file.
    const kind = previous?.kind === "generate" ? "generate" : (options.kind ?? "generate");
    this.#changes.set(key, { path: key, content, kind, mode: options.mode ?? previous?.mode });
  }

  /** Files and directories directly inside `dirPath`, staged ones included. */
  children(dirPath: string): string[] {
    const dir = normalizeTreePath(dirPath);
    const names = new Set(this.#host.list(dir));
    for (const key of this.#changes.keys()) {
      if (this.#outside.has(key)) continue;
      const relative = dir === "" ? key : key.startsWith(`${dir}/`) ? key.slice(dir.length + 1) : null;
      if (relative) names.add(relative.split("/")[0] ?? relative);
    }
    return [...names].sort();
  }

  /** Every file below `dirPath` on the host (recursively), as tree paths. */
  listOriginalFiles(dirPath: string, skip: ReadonlySet<string> = new Set()): string[] {
    const dir = normalizeTreePath(dirPath);
    const files: string[] = [];
    for (const name of this.#host.list(dir)) {
      if (skip.has(name)) continue;
      const child = dir === "" ? name : path.posix.join(dir, name);
      if (this.#host.isDirectory(child)) files.push(...this.listOriginalFiles(child, skip));
      else files.push(child);
    }
    return files;
  }

  /** A conflict that is not a single file write (e.g. a target directory that is not empty). */
  /** Moves a file this run generates (not on disk yet) to another path: tests placed where the repo keeps them. */
  move(from: string, to: string): void {
    const key = normalizeTreePath(from);
    const change = this.#changes.get(key);
    if (change?.kind !== "generate" || this.#host.read(key) !== null)
      throw new Error(`Tree.move: ${key} is not a file this run generates.`);
    this.#changes.delete(key);
    this.write(to, change.content, { kind: "generate", ...(change.mode === undefined ? {} : { mode: change.mode }) });
  }

  addConflict(filePath: string, reason: string): void {
    const key = normalizeTreePath(filePath);
    this.#conflicts.set(key, { path: key, reason });
  }

  changes(): StagedChange[] {
    return [...this.#changes.values()].sort((a, b) => compareText(a.path, b.path));
  }

  conflicts(): StagedConflict[] {
    return [...this.#conflicts.values()];
  }
}
