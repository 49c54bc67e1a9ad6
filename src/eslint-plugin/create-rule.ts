import path from "node:path";
import { pathToFileURL } from "node:url";

import { ESLintUtils } from "@typescript-eslint/utils";

import { packageRoot } from "../core/packages/package-root.js";

/** What every rule of this plugin says about itself; `doctor` prints `playbook` and `fix` next to each finding. */
export interface PerfRuleDocs {
  description: string;
  /** The playbook rule the finding breaks. */
  playbook: string;
  /** What to do instead, in one line (often a generator command). */
  fix: string;
  requiresTypeChecking: true;
}

// The docs ship inside the package (docs/rules/<rule>.md), so the link works offline and matches the installed version.
export const createRule = ESLintUtils.RuleCreator<PerfRuleDocs>(
  (name) => pathToFileURL(path.join(packageRoot(), "docs", "rules", `${name}.md`)).href,
);
