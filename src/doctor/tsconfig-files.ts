import { existsSync } from "node:fs";
import path from "node:path";

import { UsageError } from "../core/errors.js";

const SOURCE_FILE = /\.(?:ts|tsx|mts|cts)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/** The TypeScript files the repo's own tsconfig includes (declaration files and JavaScript left out). */
export async function tsconfigSourceFiles(tsconfigPath: string): Promise<string[]> {
  if (!existsSync(tsconfigPath)) {
    throw new UsageError(`No tsconfig at ${tsconfigPath}.`, ["Run doctor in the repo's root, or pass --tsconfig <path>."]);
  }
  // TypeScript is big: loaded only when doctor runs.
  const { default: ts } = await import("typescript");
  const errors: string[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      errors.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  if (!parsed || errors.length > 0) throw new UsageError(`Cannot read ${tsconfigPath}: ${errors.join("; ")}`);
  return parsed.fileNames.filter((file) => SOURCE_FILE.test(file) && !DECLARATION_FILE.test(file)).map((file) => path.resolve(file));
}
