/** The npm scripts generated code relies on; create writes them all, init adds the ones a repo lacks. */
export const PROJECT_SCRIPTS = {
  build: "tsc -p tsconfig.build.json",
  test: "vitest run",
  lint: "eslint .",
  typecheck: "tsc --noEmit",
  "db:generate": "drizzle-kit generate",
  "db:migrate": "drizzle-kit migrate",
} as const;

export type ProjectScript = keyof typeof PROJECT_SCRIPTS;

/** The named scripts, in the order given (package.json keeps insertion order). */
export function projectScripts(names: readonly ProjectScript[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, PROJECT_SCRIPTS[name]]));
}

export interface ProcessScriptsInput {
  /** npm script name, e.g. `queue-worker:hash-password`; `<name>:dev` runs the source with tsx. */
  name: string;
  /** The entry module in the sources, e.g. `src/workers/hash-password.queue-worker.ts`. */
  sourceFile: string;
  /** The project's source root (`src`): the build (tsconfig.build.json, rootDir) mirrors it under `dist/`. */
  srcDir: string;
}

const BUILD_DIR = "dist";

/**
 * Scripts that start a long-running entry point other than the server (a queue worker): the built
 * `.js` under plain node (production, like `start`) and the source under tsx (development).
 */
export function processScripts(input: ProcessScriptsInput): Record<string, string> {
  const root = input.srcDir.replace(/\/+$/, "");
  const relative = input.sourceFile.startsWith(`${root}/`) ? input.sourceFile.slice(root.length + 1) : input.sourceFile;
  const built = `${BUILD_DIR}/${relative.replace(/\.ts$/, ".js")}`;
  return { [input.name]: `node ${built}`, [`${input.name}:dev`]: `tsx ${input.sourceFile}` };
}
