import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { execa } from "execa";

import { packageRoot } from "../src/core/packages/package-root.js";
import { declaredDependencies, toolCacheDir, typeSourceFor } from "../src/core/typecheck/typecheck-packages.js";

// TypeScript 7's native tsc: a created project checks in about a second, where the API takes seven.
const NATIVE_TSC = path.join(packageRoot(), "node_modules/typescript-native/bin/tsc");
const COMPILE_TIMEOUT_MS = 120_000;
const SOURCE = /\.(?:[cm]?[jt]sx?|json)$/;

/**
 * Compiles a virtual workspace (a generator spec's output over `createBaseProject()`) with its own tsconfig against
 * the exact versions its package.json pins: this tool's copy when it is that version, else the per-version cache the
 * verified-writes check fills once from the registry. The workspace's files go to a temporary folder whose
 * node_modules links to those copies; nothing is installed. Returns tsc's diagnostics (empty when it compiles).
 */
export async function compileWorkspace(files: Readonly<Record<string, string>>): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cpb-compile-"));
  try {
    for (const [file, content] of Object.entries(files)) {
      if (!SOURCE.test(file) || file.startsWith("../")) continue;
      const target = path.join(dir, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    const missing: string[] = [];
    for (const [name, spec] of declaredDependencies(files["package.json"] ?? null)) {
      const source = spec.startsWith("file:")
        ? { name, dir: packageRoot() }
        : await typeSourceFor(name, spec, dir, toolCacheDir());
      if (!source) {
        missing.push(`${name}@${spec}`);
        continue;
      }
      const link = path.join(dir, "node_modules", name);
      await mkdir(path.dirname(link), { recursive: true });
      await symlink(source.dir, link, "dir");
    }
    if (missing.length > 0)
      throw new Error(`compileWorkspace: no copy of ${missing.join(", ")} (the registry did not answer)`);
    const result = await execa(process.execPath, [NATIVE_TSC, "--noEmit", "--pretty", "false", "-p", dir], {
      cwd: dir,
      reject: false,
      timeout: COMPILE_TIMEOUT_MS,
    });
    if (result.exitCode === 0) return [];
    const lines = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => line.trim() !== "");
    return lines.length > 0 ? lines : [`tsc exited ${String(result.exitCode)}`];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
