import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { REPO_ROOT } from "./helpers/cli.js";

// Backticked tokens that read as paths of this repo (the ones a reader would open).
const OWN_PATH = /^(?:bin|bench|docs|generators|src|templates|test)\/[\w./-]*$/;
const SOURCE_FILE = /^[\w.-]+\.(?:ts|js|md|hbs)$/;
const SOURCE_FOLDER = /^[\w-]+\/$/;
// Paths that ARCHITECTURE.md's recipe asks a contributor to create, and generated-project paths.
const EXAMPLE_PATH = /\bqueue\b|^src\/db\//;
const SEARCHED_ROOTS = ["bin", "src", "generators", "templates", "test"];

function backticked(markdown: string): string[] {
  return [...markdown.matchAll(/`([^`\s]+)`/g)].map((match) => match[1] ?? "");
}

function allEntries(root: string): string[] {
  return readdirSync(path.join(REPO_ROOT, root), { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.parentPath.includes("node_modules"))
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name));
}

describe("docs name what exists", () => {
  it("ARCHITECTURE.md: every repo path, file name and folder it names exists", () => {
    const names = new Set(SEARCHED_ROOTS.flatMap(allEntries));
    const missing = backticked(readFileSync(path.join(REPO_ROOT, "ARCHITECTURE.md"), "utf8")).filter((token) => {
      if (EXAMPLE_PATH.test(token)) return false;
      // An import specifier (`src/devkit/index.js`) names the .ts file it compiles from.
      if (OWN_PATH.test(token))
        return ![token, token.replace(/\.js$/, ".ts")].some((file) => existsSync(path.join(REPO_ROOT, file)));
      if (SOURCE_FILE.test(token) || SOURCE_FOLDER.test(token)) return !names.has(token);
      return false;
    });
    expect(missing).toEqual([]);
  });

  it("every ESLint rule has its docs page, and every docs page a rule", () => {
    const rules = readdirSync(path.join(REPO_ROOT, "src/eslint-plugin/rules"))
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".spec.ts"))
      .map((file) => file.replace(/\.ts$/, ""));
    const pages = readdirSync(path.join(REPO_ROOT, "docs/rules")).map((file) => file.replace(/\.md$/, ""));
    expect(pages.sort()).toEqual(rules.sort());
  });

  it("every template folder's README names template files that exist", () => {
    const templates = path.join(REPO_ROOT, "templates");
    const missing = readdirSync(templates)
      .filter((folder) => existsSync(path.join(templates, folder, "README.md")))
      .flatMap((folder) =>
        backticked(readFileSync(path.join(templates, folder, "README.md"), "utf8"))
          .filter((token) => token.endsWith(".hbs"))
          .filter((token) => !existsSync(path.join(templates, folder, token)))
          .map((token) => `templates/${folder}/README.md: ${token}`),
      );
    expect(missing).toEqual([]);
  });
});
