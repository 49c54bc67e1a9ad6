import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { aliasPrefixes } from "./typecheck-baseline.js";
import type { TypeSource } from "./typecheck-packages.js";

const NODE_MODULES = "node_modules";
// The narrower config the check runs on after the run: the repo's, with only the affected files as roots.
const CHECK_CONFIG = "tsconfig.create-perf-backend-check.json";

interface ShownConfig {
  compilerOptions?: { paths?: Record<string, unknown>; baseUrl?: string };
  files?: string[];
}
// A full check of a large repo by the native compiler; beyond this something is wrong (a hung process).
const NATIVE_TIMEOUT_MS = 300_000;
// `src/a.ts(3,7): error TS2322: message` (or `error TS5083: message` for the config), continued by indented lines.
const DIAGNOSTIC_LINE = /^(?:(.+?)\((\d+),(\d+)\): )?error (TS\d+): (.*)$/;

/** TypeScript 7's native compiler: the platform binary its launcher would run, or the launcher under Node. */
async function nativeCompiler(typescriptDir: string): Promise<{ file: string; args: string[] }> {
  try {
    const module = (await import(pathToFileURL(path.join(typescriptDir, "lib/getExePath.js")).href)) as {
      default: () => string;
    };
    const exe = module.default();
    if (existsSync(exe)) return { file: exe, args: [] };
  } catch {
    // An unexpected layout: the launcher finds the binary itself.
  }
  return { file: process.execPath, args: [path.join(typescriptDir, "bin/tsc")] };
}

/** tsc's `--pretty false` output in the API route's format: `file(line,col): TS1234 message`. */
export function parseTscOutput(output: string): string[] {
  const diagnostics: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = DIAGNOSTIC_LINE.exec(line);
    if (match) {
      const [, file, row, column, code, message] = match;
      diagnostics.push(
        file
          ? `${file}(${row ?? ""},${column ?? ""}): ${code ?? ""} ${message ?? ""}`
          : `${code ?? ""} ${message ?? ""}`,
      );
    } else if (/^\s+\S/.test(line) && diagnostics.length > 0) {
      diagnostics[diagnostics.length - 1] += `\n${line}`;
    }
  }
  return diagnostics;
}

/** node_modules of the overlay: the repo's entries as links, with the packages the run adds pointing at their types. */
function linkNodeModules(realDir: string, overlayDir: string, added: readonly TypeSource[]): void {
  if (added.length === 0) {
    if (existsSync(realDir)) symlinkSync(realDir, overlayDir, "dir");
    return;
  }
  mkdirSync(overlayDir, { recursive: true });
  const addedByScope = new Map<string, TypeSource[]>();
  for (const source of added) {
    const scope = source.name.startsWith("@") ? (source.name.split("/")[0] ?? "") : "";
    addedByScope.set(scope, [...(addedByScope.get(scope) ?? []), source]);
  }
  const entries = existsSync(realDir) ? readdirSync(realDir) : [];
  for (const entry of entries) {
    if (addedByScope.has(entry)) continue;
    if (added.some((source) => source.name === entry)) continue;
    symlinkSync(path.join(realDir, entry), path.join(overlayDir, entry));
  }
  for (const [scope, sources] of addedByScope) {
    if (scope) {
      const scopeDir = path.join(overlayDir, scope);
      mkdirSync(scopeDir, { recursive: true });
      const realScope = path.join(realDir, scope);
      for (const entry of existsSync(realScope) ? readdirSync(realScope) : []) {
        if (!sources.some((source) => source.name === `${scope}/${entry}`))
          symlinkSync(path.join(realScope, entry), path.join(scopeDir, entry));
      }
    }
    for (const source of sources) symlinkSync(source.dir, path.join(overlayDir, source.name), "dir");
  }
}

/** The folders above the repo, nearest first, up to the highest that holds node_modules or is the workspace root. */
function foldersAbove(root: string, workspaceRoot: string | null): string[] {
  const folders: string[] = [];
  let highest = -1;
  for (let folder = path.dirname(root); ; folder = path.dirname(folder)) {
    folders.push(folder);
    if (folder === workspaceRoot || existsSync(path.join(folder, NODE_MODULES))) highest = folders.length - 1;
    if (path.dirname(folder) === folder) break;
  }
  return folders.slice(0, highest + 1);
}

export interface NativeCheck {
  /** The repo's diagnostics before the run, when no cached baseline was given. */
  before: string[] | null;
  after: string[];
}

/**
 * TypeScript 7 has no JS API: its native tsc checks an overlay, a temporary copy of the repo's program files
 * (node_modules linked, never copied) where the staged files replace theirs. The repo itself is never written;
 * tsc runs with --noEmit in the copy.
 */
export async function checkOnOverlay(input: {
  root: string;
  typescriptDir: string;
  configFile: string;
  files: readonly string[];
  staged: ReadonlyMap<string, string>;
  added: readonly TypeSource[];
  needBaseline: boolean;
  /** The workspace root above a workspace package, if any. */
  workspaceRoot?: string | null;
  /** The files to check after the run, given the tsconfig's alias prefixes (null: all of them). */
  select: (aliasPrefixes: readonly string[]) => string[] | null;
}): Promise<NativeCheck> {
  const temp = mkdtempSync(path.join(tmpdir(), "cpb-tsc-"));
  // The copy sits at the same depth below copies of the folders above the repo that matter to tsc: their
  // node_modules (hoisted, or a workspace root's) linked, their tsconfig files copied (a relative `extends`).
  const above = foldersAbove(input.root, input.workspaceRoot ?? null);
  const top = above.at(-1) ?? input.root;
  const overlay = path.join(temp, path.relative(top, input.root));
  try {
    mkdirSync(overlay, { recursive: true });
    for (const folder of above) {
      const copy = path.join(temp, path.relative(top, folder));
      mkdirSync(copy, { recursive: true });
      for (const entry of readdirSync(folder).filter((name) => /^tsconfig.*\.json$/.test(name)))
        copyFileSync(path.join(folder, entry), path.join(copy, entry));
      if (existsSync(path.join(folder, NODE_MODULES)))
        symlinkSync(path.join(folder, NODE_MODULES), path.join(copy, NODE_MODULES), "dir");
    }
    for (const file of input.files) {
      const target = path.join(overlay, file);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(input.root, file), target);
    }
    linkNodeModules(path.join(input.root, NODE_MODULES), path.join(overlay, NODE_MODULES), input.added);
    const compiler = await nativeCompiler(input.typescriptDir);
    const { execa } = await import("execa");
    const run = async (configFile = input.configFile): Promise<string[]> => {
      const args = [
        ...compiler.args,
        "-p",
        configFile,
        "--noEmit",
        "--pretty",
        "false",
        "--incremental",
        "false",
        "--composite",
        "false",
      ];
      const { stdout, stderr } = await execa(compiler.file, args, {
        cwd: overlay,
        reject: false,
        timeout: NATIVE_TIMEOUT_MS,
      });
      return parseTscOutput(`${stdout}\n${stderr}`);
    };
    const before = input.needBaseline ? await run() : null;
    for (const [file, content] of input.staged) {
      const target = path.join(overlay, file);
      mkdirSync(path.dirname(target), { recursive: true });
      rmSync(target, { force: true });
      writeFileSync(target, content);
    }
    // tsc's own view of the config (root files, paths) decides what a narrower check must include.
    const shown = await execa(compiler.file, [...compiler.args, "-p", input.configFile, "--showConfig"], {
      cwd: overlay,
      reject: false,
      timeout: NATIVE_TIMEOUT_MS,
    });
    let config: ShownConfig | null = null;
    try {
      config = JSON.parse(shown.stdout) as ShownConfig;
    } catch {
      config = null;
    }
    const baseUrl = config?.compilerOptions?.baseUrl;
    const selected = config
      ? input.select(
          aliasPrefixes(config.compilerOptions?.paths, baseUrl ? path.resolve(input.root, baseUrl) : undefined),
        )
      : null;
    if (!config || !selected) return { before, after: await run() };
    const only = new Set(selected);
    const roots = (config.files ?? [])
      .map((file) => path.posix.normalize(file))
      .filter((file) => only.has(file) || file.endsWith(".d.ts"));
    writeFileSync(
      path.join(overlay, CHECK_CONFIG),
      JSON.stringify({ extends: `./${input.configFile}`, files: roots, include: [] }),
    );
    const after = await run(CHECK_CONFIG);
    // Diagnostics of the files the narrower program also loads are the repo's own, unchanged.
    return {
      before,
      after: after.filter(
        (diagnostic) => !/^[^(]+\(/.test(diagnostic) || only.has(diagnostic.slice(0, diagnostic.indexOf("("))),
      ),
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
