import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { FileHost } from "../host.js";
import type { Tree } from "../tree.js";
import { workspaceRootFromPackage } from "../workspace-root.js";
import { applySourceStyle, detectSourceStyle, styleSamples } from "./match-style.js";

/** The repo's own formatter, found by its config file (Nx's formatFiles runs Prettier the same way). */
export type RepoFormatter = { kind: "prettier"; config: string } | { kind: "biome"; config: string };

const PRETTIER_CONFIGS = [
  ".prettierrc",
  ".prettierrc.json",
  ".prettierrc.json5",
  ".prettierrc.yaml",
  ".prettierrc.yml",
  ".prettierrc.toml",
  ".prettierrc.js",
  ".prettierrc.cjs",
  ".prettierrc.mjs",
  ".prettierrc.ts",
  "prettier.config.js",
  "prettier.config.cjs",
  "prettier.config.mjs",
  "prettier.config.ts",
];
const BIOME_CONFIGS = ["biome.json", "biome.jsonc"];
const FORMATTABLE = /\.(?:[cm]?[jt]s|json)$/;

type ReadFile = (file: string) => string | null;

/** package.json as an object, or null (a BOM is legal on disk; one that does not parse is reported by whoever edits it). */
function parsePackageJson(
  text: string | null,
): { prettier?: unknown; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } | null {
  if (text === null) return null;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, "")) as { prettier?: unknown };
  } catch {
    return null;
  }
}

/** A formatter config file, or package.json's `prettier` key. */
function configuredFormatter(read: ReadFile): RepoFormatter | null {
  const biome = BIOME_CONFIGS.find((file) => read(file) !== null);
  if (biome) return { kind: "biome", config: biome };
  const prettier = PRETTIER_CONFIGS.find((file) => read(file) !== null);
  if (prettier) return { kind: "prettier", config: prettier };
  return parsePackageJson(read("package.json"))?.prettier !== undefined
    ? { kind: "prettier", config: "package.json#prettier" }
    : null;
}

const BIOME_PACKAGE = "@biomejs/biome";

/** Biome declared without a biome.json: it formats and lints with its defaults (tabs, width 80, sorted imports). */
function biomeWithDefaults(read: ReadFile): boolean {
  const manifest = parsePackageJson(read("package.json"));
  return (
    manifest?.devDependencies?.[BIOME_PACKAGE] !== undefined || manifest?.dependencies?.[BIOME_PACKAGE] !== undefined
  );
}

/** The workspace root of a monorepo package, read from the disk (its formatter config applies to the package too). */
export interface WorkspaceRootFiles {
  /** From the package, e.g. "../..". */
  relative: string;
  read: ReadFile;
}

/**
 * The repo's formatter: a config in the package, then one at the workspace root (Prettier and Biome look upward
 * too), then Biome declared without a config (its defaults).
 */
export function detectFormatter(
  host: Pick<FileHost, "read">,
  workspaceRoot?: WorkspaceRootFiles | null,
): RepoFormatter | null {
  const read: ReadFile = (file) => host.read(file);
  const own = configuredFormatter(read);
  if (own) return own;
  const shared = workspaceRoot ? configuredFormatter(workspaceRoot.read) : null;
  if (shared && workspaceRoot) return { ...shared, config: `${workspaceRoot.relative}/${shared.config}` };
  for (const [prefix, readFile] of [
    ["", read],
    ...(workspaceRoot ? [[`${workspaceRoot.relative}/`, workspaceRoot.read] as const] : []),
  ] as const) {
    if (biomeWithDefaults(readFile))
      return { kind: "biome", config: `${prefix}package.json (${BIOME_PACKAGE} without a biome.json: its defaults)` };
  }
  return null;
}

/** The workspace root above a package on disk, or null (not in a workspace, or a virtual root). */
function workspaceRootFiles(root: string): WorkspaceRootFiles | null {
  const relative = workspaceRootFromPackage(root);
  if (relative === null || relative === "") return null;
  const dir = path.join(root, relative);
  return {
    relative,
    read: (file) => {
      try {
        return readFileSync(path.join(dir, file), "utf8");
      } catch {
        return null;
      }
    },
  };
}

interface PrettierApi {
  format(text: string, options: Record<string, unknown>): string | Promise<string>;
  resolveConfig(file: string): Promise<Record<string, unknown> | null>;
  getFileInfo(file: string, options: { ignorePath?: string }): Promise<{ ignored: boolean }>;
}

/** The repo's installed Prettier (its own version and plugins), or null when it is not installed. */
async function loadPrettier(root: string): Promise<PrettierApi | null> {
  let resolved: string;
  try {
    resolved = createRequire(path.join(root, "package.json")).resolve("prettier");
  } catch {
    return null;
  }
  const module = (await import(pathToFileURL(resolved).href)) as PrettierApi & { default?: PrettierApi };
  return typeof module.format === "function" ? module : (module.default ?? null);
}

/** node_modules/.bin/biome of the repo or of a directory above it (a workspace root). */
function findBiomeBinary(root: string): string | null {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", ".bin", "biome");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

type FileFormatter = (file: string, text: string) => Promise<string>;

async function formatterFor(root: string, formatter: RepoFormatter): Promise<FileFormatter | null> {
  if (formatter.kind === "prettier") {
    const prettier = await loadPrettier(root);
    if (!prettier) return null;
    const ignorePath = path.join(root, ".prettierignore");
    return async (file, text) => {
      const filepath = path.join(root, file);
      if ((await prettier.getFileInfo(filepath, { ignorePath })).ignored) return text;
      const config = (await prettier.resolveConfig(filepath)) ?? {};
      return prettier.format(text, { ...config, filepath });
    };
  }
  const biome = findBiomeBinary(root);
  if (!biome) return null;
  // execa is a quarter of the CLI's start-up; only Biome repos pay for it.
  const { execa } = await import("execa");
  return async (file, text) => {
    const result = await execa(biome, ["check", "--write", `--stdin-file-path=${file}`], {
      cwd: root,
      input: text,
      reject: false,
    });
    // `check --write` formats and applies the safe fixes (import order) the repo's `biome check` asks for;
    // an ignored or unsupported file comes back unchanged, a failure leaves the file as rendered.
    return result.exitCode === 0 && result.stdout.length > 0 ? `${result.stdout.replace(/\n?$/, "\n")}` : text;
  };
}

export interface StyleOptions {
  /** The project's source root: where the repo's own style is learned when it has no formatter. */
  srcDir?: string;
  /** Files that are ours (generated now or earlier): never style samples. */
  ours?: ReadonlySet<string>;
}

/** Without a formatter: the indentation and quotes the repo's own sources use (TypeScript and JavaScript only). */
async function matchRepoStyle(
  host: Pick<FileHost, "read">,
  tree: Tree,
  targets: readonly string[],
  options: StyleOptions,
): Promise<string[]> {
  if (options.srcDir === undefined) return [];
  const samples = styleSamples(
    (file) => host.read(file),
    (dir) => tree.children(dir),
    options.srcDir,
    options.ours ?? new Set(targets),
  );
  const style = detectSourceStyle(samples);
  if (!style) return [];
  let changed = 0;
  for (const file of targets.filter((target) => !target.endsWith(".json"))) {
    const text = tree.read(file);
    if (text === null) continue;
    const styled = await applySourceStyle(file, text, style);
    if (styled !== text) {
      tree.write(file, styled);
      changed += 1;
    }
  }
  return changed === 0
    ? []
    : [
        `Matched your sources' indentation and quotes in ${String(changed)} generated file(s) (no Prettier or Biome config found).`,
      ];
}

/**
 * Formats the files a run generates with the repo's own Prettier or Biome (only those files, before
 * they are planned, so the hashes recorded are of what lands on disk). Returns notes for the user.
 */
export async function formatGeneratedFiles(
  root: string,
  host: Pick<FileHost, "read">,
  tree: Tree,
  files: readonly string[],
  options: StyleOptions = {},
): Promise<string[]> {
  const formatter = detectFormatter(host, workspaceRootFiles(root));
  const targets = files.filter((file) => FORMATTABLE.test(file));
  if (targets.length === 0) return [];
  if (!formatter) return matchRepoStyle(host, tree, targets, options);
  const format = await formatterFor(root, formatter);
  if (!format) {
    return [
      `Found ${formatter.config} but ${formatter.kind === "prettier" ? "prettier" : "@biomejs/biome"} is not installed: generated files are left as rendered (install it and format them, e.g. with your format script).`,
    ];
  }
  let changed = 0;
  for (const file of targets) {
    const text = tree.read(file);
    if (text === null) continue;
    const formatted = await format(file, text);
    if (formatted !== text) {
      tree.write(file, formatted);
      changed += 1;
    }
  }
  if (changed === 0) return [];
  return [
    `Formatted ${String(changed)} generated file(s) with your ${formatter.kind === "prettier" ? "Prettier" : "Biome"} (${formatter.config}).`,
  ];
}
