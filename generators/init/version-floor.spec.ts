import { describe, expect, it } from "vitest";

import { exitCodeFor } from "../../src/core/output/exit-codes.js";
import type { RepoFacts, ToolchainFacts } from "../../src/devkit/index.js";
import { runGenerator } from "../testing.js";
import { assertServedVersions } from "./version-floor.js";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function repo(options: {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  target?: string;
}) {
  return {
    "package.json": json({
      name: "floor",
      type: "module",
      dependencies: options.dependencies ?? {},
      devDependencies: options.devDependencies ?? {},
    }),
    "tsconfig.json": json({
      compilerOptions: { strict: true, module: "NodeNext", target: options.target ?? "ES2022" },
      include: ["src"],
    }),
    "src/index.ts": 'export const name = "floor";\n',
  };
}

async function refusal(files: Record<string, string>): Promise<Error & { hints?: string[] }> {
  const error = (await runGenerator("init", { toolSpec: "^0.1.0" }, files).catch(
    (caught: unknown) => caught,
  )) as Error & { hints?: string[] };
  expect(error).toBeInstanceOf(Error);
  expect(exitCodeFor(error)).toBe(2);
  return error;
}

describe("init and the versions generated code is written for", () => {
  it.each([
    [
      { dependencies: { "drizzle-orm": "^0.30.10", pg: "^8.11.0" } },
      /^drizzle-orm 0\.30\.10 \(declared \^0\.30\.10\) is older than 0\.36\.0: generated code uses identity columns/,
    ],
    [
      { dependencies: { "drizzle-orm": "0.29.5" } },
      /^drizzle-orm 0\.29\.5 \(declared 0\.29\.5\) is older than 0\.36\.0/,
    ],
    [
      { devDependencies: { "@types/node": "20.11.30" } },
      /^@types\/node 20\.11\.30 \(declared 20\.11\.30\) is older than 20\.12\.0: generated code uses AbortSignal\.any/,
    ],
    [{ target: "ES5" }, /^tsconfig\.json targets ES5: generated code needs ES2020/],
    [{ target: "ES2019" }, /^tsconfig\.json targets ES2019/],
  ])("refuses %j before writing anything (exit 2), naming the version and the fix", async (shape, message) => {
    const error = await refusal(repo(shape));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/; nothing was written\.$/);
    expect(error.hints?.join("\n")).toMatch(/Upgrade|Set "target"/);
  });

  it("names every problem at once: the first in the message, the others and each fix in the hints", async () => {
    const error = await refusal(
      repo({
        dependencies: { "drizzle-orm": "~0.29.0" },
        devDependencies: { "@types/node": "^18.19.0" },
        target: "ES2017",
      }),
    );
    expect(error.message).toMatch(/^drizzle-orm 0\.29\.0/);
    expect(error.hints?.filter((hint) => hint.startsWith("Also: "))).toHaveLength(2);
    expect(error.hints?.join("\n")).toContain("npm install drizzle-orm@0.45.4");
  });

  it("serves the oldest and newest lines it supports, and ranges or tags it cannot read", async () => {
    for (const shape of [
      { dependencies: { "drizzle-orm": "0.36.0" }, devDependencies: { "@types/node": "^20.12.0" }, target: "ES2020" },
      { dependencies: { "drizzle-orm": "^0.45.4" }, devDependencies: { "@types/node": "^24.0.0" } },
      // The 1.0 line (issue 23): a repo without tables gets a schema barrel and its defineRelations.
      { dependencies: { "drizzle-orm": "1.0.0-rc.5" } },
      { dependencies: { "drizzle-orm": "latest" }, devDependencies: { "@types/node": "workspace:*" } },
    ]) {
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, repo(shape));
      expect(run.files["perf-backend.json"], JSON.stringify(shape)).toBeDefined();
    }
  });

  it("strict without strictNullChecks is refused (generated code would fail TS7011); both off, as NestJS has them, is served", async () => {
    const withOptions = (compilerOptions: Record<string, unknown>): Record<string, string> => ({
      ...repo({}),
      "tsconfig.json": json({
        compilerOptions: { module: "NodeNext", target: "ES2022", ...compilerOptions },
        include: ["src"],
      }),
    });
    const error = await refusal(withOptions({ strict: true, strictNullChecks: false }));
    expect(error.message).toMatch(/^tsconfig\.json has noImplicitAny \(strict\) on but strictNullChecks off/);
    expect(error.hints?.join("\n")).toContain("Turn strictNullChecks on");
    const nest = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      withOptions({ strictNullChecks: false, noImplicitAny: false }),
    );
    expect(nest.files["perf-backend.json"]).toBeDefined();
  });

  it("reads the installed version before the declared range", () => {
    const facts = { packageJson: { dependencies: { "drizzle-orm": "^0.45.0" } }, tsconfig: {} } as unknown as RepoFacts;
    const installed = (version: string): ToolchainFacts => ({
      workspaceRoot: null,
      installed: { "drizzle-orm": { version, peers: {} } },
    });
    expect(() => assertServedVersions(facts, installed("0.30.10"))).toThrow(
      /^drizzle-orm 0\.30\.10 \(installed\) is older than 0\.36\.0/,
    );
    expect(() => assertServedVersions(facts, installed("0.45.4"))).not.toThrow();
  });
});
