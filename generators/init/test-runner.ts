import type * as TsMorphModule from "ts-morph";
import type { Node as TsNode, ObjectLiteralExpression, SourceFile } from "ts-morph";

import { editSourceFile, PACKAGE_JSON } from "../../src/devkit/index.js";
import type { ProjectLayout, RepoFacts, Tree } from "../../src/devkit/index.js";

/**
 * Where generated tests go in a repo whose own test runner would also run them (jest's default testMatch takes
 * every `*.test.ts`): a folder of their own, which the repo's runner is told to ignore and our vitest config is
 * limited to. Its name is the ignore pattern, so it must say what it holds.
 */
export const FOREIGN_RUNNER_TESTS_DIR = "perf-tests";
// Jest matches testPathIgnorePatterns (regular expressions) against absolute paths; its default is node_modules.
const JEST_IGNORE_PATTERN = `/${FOREIGN_RUNNER_TESTS_DIR}/`;
const JEST_DEFAULT_IGNORES = ["/node_modules/"];
const JEST_IGNORE_KEY = "testPathIgnorePatterns";
const JEST_CONFIG_FILES = [
  "jest.config.ts",
  "jest.config.mts",
  "jest.config.cts",
  "jest.config.js",
  "jest.config.mjs",
  "jest.config.cjs",
  "jest.config.json",
];
const JSON_FILE = /\.json$/;

export interface TestRunnerPlan {
  /** Our vitest config includes only layout.testsDir: the repo's own tests belong to its runner. */
  testsOnly: boolean;
  notes: string[];
}

type Json = Record<string, unknown>;

function detectIndent(text: string): string | number {
  return /^([ \t]+)"/m.exec(text)?.[1] ?? 2;
}

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The objects jest reads testPathIgnorePatterns from: each inline project of a `projects` config (jest ignores the
 * top level's then), else the config itself.
 */
function jestTargets(config: Json): unknown[] {
  const projects = config["projects"];
  return Array.isArray(projects) ? projects : [config];
}

/** Adds our folder to one config object's ignores; false when its patterns are not a list we can extend. */
function ignoreInJsonObject(target: Json): boolean {
  const current = target[JEST_IGNORE_KEY];
  if (current !== undefined && !Array.isArray(current)) return false;
  const patterns = Array.isArray(current) ? (current as unknown[]) : JEST_DEFAULT_IGNORES;
  if (!patterns.includes(JEST_IGNORE_PATTERN)) target[JEST_IGNORE_KEY] = [...patterns, JEST_IGNORE_PATTERN];
  return true;
}

/** The config object a JSON file (or package.json's `jest` key) holds, with our folder added to its ignores. */
function ignoreInJsonConfig(tree: Tree, file: string, key: string | null): boolean {
  const text = tree.read(file);
  if (text === null) return false;
  const json = JSON.parse(text.replace(/^\uFEFF/, "")) as Json;
  const config = key === null ? json : json[key];
  if (!isObject(config)) return false;
  const targets = jestTargets(config);
  const before = JSON.stringify(json);
  // A project given as a path has its own config file: not edited here (the note says what to add).
  const edited = targets.filter(isObject).map(ignoreInJsonObject);
  if (JSON.stringify(json) !== before) {
    const newline = text.includes("\r\n") ? "\r\n" : "\n";
    tree.write(file, `${JSON.stringify(json, null, detectIndent(text))}\n`.replaceAll("\n", newline), { kind: "edit" });
  }
  return edited.length === targets.length && edited.every(Boolean);
}

/** `export default {...}`, `module.exports = {...}`, or the object a variable so exported is initialized with. */
function exportedConfigObject(
  sourceFile: SourceFile,
  tsMorph: typeof TsMorphModule,
): ObjectLiteralExpression | undefined {
  const { Node, SyntaxKind } = tsMorph;
  const unwrap = (node: TsNode | undefined): ObjectLiteralExpression | undefined => {
    let current = node;
    // `{...} satisfies Config`, `{...} as Config`, `(...)`: the object itself.
    while (
      current &&
      (Node.isSatisfiesExpression(current) || Node.isAsExpression(current) || Node.isParenthesizedExpression(current))
    ) {
      current = current.getExpression();
    }
    if (Node.isObjectLiteralExpression(current)) return current;
    if (Node.isIdentifier(current)) {
      const declaration = sourceFile.getVariableDeclaration(current.getText());
      return declaration ? unwrap(declaration.getInitializer()) : undefined;
    }
    return undefined;
  };
  const exported = sourceFile.getExportAssignments()[0]?.getExpression();
  if (exported) return unwrap(exported);
  for (const statement of sourceFile.getStatements()) {
    const expression = Node.isExpressionStatement(statement) ? statement.getExpression() : undefined;
    if (!Node.isBinaryExpression(expression) || expression.getOperatorToken().getKind() !== SyntaxKind.EqualsToken)
      continue;
    if (expression.getLeft().getText() === "module.exports") return unwrap(expression.getRight());
  }
  return undefined;
}

/** Adds our folder to one config object literal's ignores; false when they are not an array literal. */
function ignoreInObjectLiteral(
  config: ObjectLiteralExpression,
  tsMorph: typeof TsMorphModule,
  literal: (pattern: string) => string,
): boolean {
  const property = config.getProperty(JEST_IGNORE_KEY);
  if (!property) {
    config.addPropertyAssignment({
      name: JEST_IGNORE_KEY,
      initializer: `[${[...JEST_DEFAULT_IGNORES, JEST_IGNORE_PATTERN].map(literal).join(", ")}]`,
    });
    return true;
  }
  const initializer = tsMorph.Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
  if (!tsMorph.Node.isArrayLiteralExpression(initializer)) return false;
  if (!initializer.getElements().some((element) => element.getText().slice(1, -1) === JEST_IGNORE_PATTERN))
    initializer.addElement(literal(JEST_IGNORE_PATTERN));
  return true;
}

async function ignoreInModuleConfig(tree: Tree, file: string): Promise<boolean> {
  let found = false;
  await editSourceFile(tree, file, (sourceFile, tsMorph) => {
    const config = exportedConfigObject(sourceFile, tsMorph);
    if (!config) return;
    // The file's own quotes (a CommonJS config has no imports for the shared detection to count).
    const text = sourceFile.getFullText();
    const quote = (text.match(/'/g) ?? []).length > (text.match(/"/g) ?? []).length ? "'" : '"';
    const literal = (pattern: string): string => `${quote}${pattern}${quote}`;
    const projects = config.getProperty("projects");
    if (!projects) {
      found = ignoreInObjectLiteral(config, tsMorph, literal);
      return;
    }
    // jest reads testPathIgnorePatterns per project when `projects` is set: each inline project gains it.
    const list = tsMorph.Node.isPropertyAssignment(projects) ? projects.getInitializer() : undefined;
    if (!tsMorph.Node.isArrayLiteralExpression(list)) return;
    const edited = list
      .getElements()
      .map((element) =>
        tsMorph.Node.isObjectLiteralExpression(element) ? ignoreInObjectLiteral(element, tsMorph, literal) : false,
      );
    found = edited.length > 0 && edited.every(Boolean);
  });
  return found;
}

/** The repo's jest config: package.json's `jest` key or a jest.config file; null when the repo has no jest. */
function jestConfig(tree: Tree, facts: RepoFacts): { file: string; key: string | null } | null {
  const file = JEST_CONFIG_FILES.find((candidate) => tree.exists(candidate));
  if (file) return { file, key: null };
  const packageJson = JSON.parse((tree.read(PACKAGE_JSON) ?? "{}").replace(/^\uFEFF/, "")) as Json;
  if (typeof packageJson["jest"] === "object" && packageJson["jest"] !== null)
    return { file: PACKAGE_JSON, key: "jest" };
  const declared = { ...facts.packageJson.dependencies, ...facts.packageJson.devDependencies };
  // jest without a config: its defaults (every *.test.ts); a config file init writes is the minimal edit.
  return declared["jest"] !== undefined ? { file: "jest.config.json", key: null } : null;
}

/**
 * Keeps generated tests out of the repo's own test runner (issue 22 item 7): in a jest repo they go to
 * `perf-tests/` (our vitest config runs only that folder), and the repo's jest config ignores that folder.
 */
export async function planTestRunner(tree: Tree, facts: RepoFacts, layout: ProjectLayout): Promise<TestRunnerPlan> {
  const jest = jestConfig(tree, facts);
  if (!jest) return { testsOnly: false, notes: [] };
  layout.testsDir = FOREIGN_RUNNER_TESTS_DIR;
  const where = jest.key === null ? jest.file : `${jest.file} ("${jest.key}")`;
  let ignored: boolean;
  if (!tree.exists(jest.file)) {
    tree.write(
      jest.file,
      `${JSON.stringify({ [JEST_IGNORE_KEY]: [...JEST_DEFAULT_IGNORES, JEST_IGNORE_PATTERN] }, null, 2)}\n`,
    );
    ignored = true;
  } else {
    ignored = JSON_FILE.test(jest.file)
      ? ignoreInJsonConfig(tree, jest.file, jest.key)
      : await ignoreInModuleConfig(tree, jest.file);
  }
  const notes = [
    `Generated tests go to ${FOREIGN_RUNNER_TESTS_DIR}/ and run with vitest (our vitest config runs only that folder); your jest keeps your tests.`,
    ignored
      ? `${where}: jest ignores ${FOREIGN_RUNNER_TESTS_DIR}/ (testPathIgnorePatterns "${JEST_IGNORE_PATTERN}").`
      : `Add "${JEST_IGNORE_PATTERN}" to testPathIgnorePatterns in ${where} (in each of its projects, if it has any; its config could not be edited statically): jest would run vitest tests otherwise.`,
  ];
  return { testsOnly: true, notes };
}
