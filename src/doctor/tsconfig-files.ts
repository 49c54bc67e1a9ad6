import { existsSync } from "node:fs";
import path from "node:path";

import { UsageError } from "../core/output/errors.js";

const SOURCE_FILE = /\.(?:ts|tsx|mts|cts)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
// TypeScript's diagnostic codes: 1000-1999 are syntax errors; 6258 is "'x' should be set inside 'compilerOptions'".
const SYNTAX_CODES_START = 1000;
const SYNTAX_CODES_END = 2000;
const OPTION_OUTSIDE_COMPILER_OPTIONS = 6258;
const SHOWN_ERRORS = 3;
const isSyntaxError = (code: number): boolean => code >= SYNTAX_CODES_START && code < SYNTAX_CODES_END;

/** The TypeScript files the repo's own tsconfig includes (declaration files and JavaScript left out). */
export async function tsconfigSourceFiles(tsconfigPath: string): Promise<string[]> {
  if (!existsSync(tsconfigPath)) {
    throw new UsageError(`No tsconfig at ${tsconfigPath}.`, [
      "Run doctor in the repo's root, or pass --tsconfig <path>.",
    ]);
  }
  // TypeScript is big: loaded only when doctor runs.
  const { default: ts } = await import("typescript");
  const errors: string[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        errors.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (!parsed || errors.length > 0) throw new UsageError(`Cannot read ${tsconfigPath}: ${errors.join("; ")}`);
  // TypeScript still lists files for a config it could not parse (every file below it: doctor ran out of memory on
  // `--tsconfig package.json`); JSON syntax errors and compiler options at the top level mean it is no tsconfig.
  const fatal = ts
    .getConfigFileParsingDiagnostics(parsed)
    .filter((diagnostic) => isSyntaxError(diagnostic.code) || diagnostic.code === OPTION_OUTSIDE_COMPILER_OPTIONS);
  if (fatal.length > 0) {
    const where = (diagnostic: (typeof fatal)[number]): string => {
      if (!diagnostic.file || diagnostic.start === undefined) return "";
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return ` (line ${String(line + 1)}, column ${String(character + 1)})`;
    };
    const listed = fatal
      .slice(0, SHOWN_ERRORS)
      .map((diagnostic) => `${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}${where(diagnostic)}`);
    throw new UsageError(`${tsconfigPath} is not a tsconfig TypeScript can parse: ${listed.join("; ")}.`, [
      "Pass the repo's tsconfig with --tsconfig <path> (default: tsconfig.json).",
    ]);
  }
  return parsed.fileNames
    .filter((file) => SOURCE_FILE.test(file) && !DECLARATION_FILE.test(file))
    .map((file) => path.resolve(file));
}
