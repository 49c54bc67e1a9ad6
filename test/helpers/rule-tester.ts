import path from "node:path";

import { RuleTester } from "@typescript-eslint/rule-tester";
import { afterAll, describe, it } from "vitest";

import { REPO_ROOT } from "./cli.js";

/** Where the rule cases are type-checked: a tsconfig, the `file.ts` every case is linted as, and a repositories folder. */
export const RULE_FIXTURE_DIR = path.join(REPO_ROOT, "test", "fixtures", "rule-tester");

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** A rule tester with full type information, the way the rules run in a project. */
export function createTypedRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: RULE_FIXTURE_DIR } },
  });
}
