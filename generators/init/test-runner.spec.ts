import { describe, expect, it } from "vitest";

import type { ProjectLayout } from "../../src/devkit/index.js";
import { runGenerator } from "../testing.js";
import { FOREIGN_RUNNER_TESTS_DIR } from "./test-runner.js";

const TSCONFIG = `${JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", esModuleInterop: true, skipLibCheck: true, noEmit: true }, include: ["src"] })}\n`;
const JEST_DEPENDENCIES = { jest: "29.7.0", "ts-jest": "29.4.15" };
const OPTIONS = { toolSpec: "^0.1.0" };

function jestRepo(extra: Record<string, string>, packageJson: Record<string, unknown> = {}): Record<string, string> {
  return {
    "package.json": `${JSON.stringify({ name: "jest-service", version: "1.0.0", scripts: { test: "jest" }, devDependencies: JEST_DEPENDENCIES, ...packageJson }, null, 2)}\n`,
    "tsconfig.json": TSCONFIG,
    "src/greet.ts": "export const greet = (name: string): string => `hello ${name}`;\n",
    ...extra,
  };
}

const layoutOf = (files: Record<string, string>): ProjectLayout =>
  (JSON.parse(files["perf-backend.json"] ?? "{}") as { layout: ProjectLayout }).layout;
const testFiles = (files: Record<string, string>): string[] =>
  Object.keys(files).filter((file) => file.endsWith(".test.ts"));

describe("init in a repo whose own runner is jest", () => {
  it("package.json's jest key: generated tests go to perf-tests/, jest ignores it, our vitest runs only it; a second run plans nothing", async () => {
    const first = await runGenerator(
      "init",
      OPTIONS,
      jestRepo({}, { jest: { preset: "ts-jest", testEnvironment: "node" } }),
    );
    const jest = (JSON.parse(first.files["package.json"] ?? "{}") as { jest: Record<string, unknown> }).jest;
    expect(jest).toEqual({
      preset: "ts-jest",
      testEnvironment: "node",
      testPathIgnorePatterns: ["/node_modules/", `/${FOREIGN_RUNNER_TESTS_DIR}/`],
    });
    expect(layoutOf(first.files).testsDir).toBe(FOREIGN_RUNNER_TESTS_DIR);
    const generated = testFiles(first.files);
    expect(generated.length).toBeGreaterThan(0);
    expect(generated.filter((file) => !file.startsWith(`${FOREIGN_RUNNER_TESTS_DIR}/`))).toEqual([]);
    expect(first.files["vitest.config.mts"]).toContain(`include: ["${FOREIGN_RUNNER_TESTS_DIR}/**/*.test.ts"],`);
    expect(first.result.notes.join("\n")).toContain(`jest ignores ${FOREIGN_RUNNER_TESTS_DIR}/`);

    const second = await runGenerator("init", OPTIONS, first.files);
    expect(
      second.result.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path),
    ).toEqual([]);
  });

  it.each([
    [
      "jest.config.ts",
      'import type { Config } from "jest";\n\nconst config: Config = {\n  preset: "ts-jest",\n};\n\nexport default config;\n',
    ],
    [
      "jest.config.js",
      "module.exports = {\n  preset: 'ts-jest',\n  testPathIgnorePatterns: ['/node_modules/', '/dist/'],\n};\n",
    ],
  ])("%s: its exported object gains the ignore pattern (kept entries, the file's quotes)", async (file, text) => {
    const run = await runGenerator("init", OPTIONS, jestRepo({ [file]: text }));
    const edited = run.files[file] ?? "";
    if (file.endsWith(".ts")) expect(edited).toContain('testPathIgnorePatterns: ["/node_modules/", "/perf-tests/"]');
    else expect(edited).toContain("testPathIgnorePatterns: ['/node_modules/', '/dist/', '/perf-tests/']");
    expect(testFiles(run.files).filter((test) => !test.startsWith(`${FOREIGN_RUNNER_TESTS_DIR}/`))).toEqual([]);
  });

  it("a `projects` config: each inline project ignores perf-tests/ (jest reads no top-level ignores then); a project path gets a note", async () => {
    const projects = [
      { displayName: "unit", preset: "ts-jest", testMatch: ["<rootDir>/src/**/*.test.ts"] },
      { displayName: "e2e", preset: "ts-jest", testPathIgnorePatterns: ["/node_modules/", "/fixtures/"] },
    ];
    const json = await runGenerator("init", OPTIONS, jestRepo({}, { jest: { projects } }));
    const config = (JSON.parse(json.files["package.json"] ?? "{}") as { jest: Record<string, unknown> }).jest;
    expect(config[`testPathIgnorePatterns`]).toBeUndefined();
    expect(config["projects"]).toEqual([
      { ...projects[0], testPathIgnorePatterns: ["/node_modules/", `/${FOREIGN_RUNNER_TESTS_DIR}/`] },
      { ...projects[1], testPathIgnorePatterns: ["/node_modules/", "/fixtures/", `/${FOREIGN_RUNNER_TESTS_DIR}/`] },
    ]);
    const again = await runGenerator("init", OPTIONS, json.files);
    expect(again.result.plan.entries.filter((entry) => entry.action !== "unchanged")).toEqual([]);

    const module = await runGenerator(
      "init",
      OPTIONS,
      jestRepo({
        "jest.config.ts":
          'export default {\n  projects: [{ displayName: "unit", preset: "ts-jest" }, "<rootDir>/packages/api"],\n};\n',
      }),
    );
    const text = module.files["jest.config.ts"] ?? "";
    expect(text).toMatch(
      /displayName: "unit",\s*preset: "ts-jest",\s*testPathIgnorePatterns: \["\/node_modules\/", "\/perf-tests\/"\]/,
    );
    expect(text.match(/testPathIgnorePatterns/g)).toHaveLength(1);
    expect(module.result.notes.join("\n")).toContain("in each of its projects");
  });

  it("jest without a config (its defaults) gets a jest.config.json holding only the ignore; a config it cannot read gets a note", async () => {
    const bare = await runGenerator("init", OPTIONS, jestRepo({}));
    expect(JSON.parse(bare.files["jest.config.json"] ?? "{}")).toEqual({
      testPathIgnorePatterns: ["/node_modules/", "/perf-tests/"],
    });

    const computed = "module.exports = require('./jest.base.js');\n";
    const unreadable = await runGenerator("init", OPTIONS, jestRepo({ "jest.config.js": computed }));
    expect(unreadable.files["jest.config.js"]).toBe(computed);
    expect(unreadable.result.notes.join("\n")).toContain(
      'Add "/perf-tests/" to testPathIgnorePatterns in jest.config.js',
    );
  });

  it("a vitest repo keeps generated tests beside the modules and its vitest config as it was", async () => {
    const run = await runGenerator("init", OPTIONS, {
      "package.json": `${JSON.stringify({ name: "vitest-service", version: "1.0.0", type: "module", scripts: { test: "vitest run" } })}\n`,
      "tsconfig.json": TSCONFIG.replace('"commonjs"', '"NodeNext"'),
      "src/index.ts": "export const service = 1;\n",
    });
    expect(layoutOf(run.files).testsDir).toBeUndefined();
    expect(run.files["vitest.config.ts"]).toContain('include: ["src/**/*.test.ts"],');
  });
});
