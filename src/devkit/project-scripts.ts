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
