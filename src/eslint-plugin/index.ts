import type { TSESLint } from "@typescript-eslint/utils";

import { packageInfo } from "../core/packages/package-root.js";
import { cacheTtlRequired } from "./rules/cache-ttl-required.js";
import { fkNeedsIndex } from "./rules/fk-needs-index.js";
import { noBlockingInHandler } from "./rules/no-blocking-in-handler.js";
import { noQueryInLoop } from "./rules/no-query-in-loop.js";
import { releaseInFinally } from "./rules/release-in-finally.js";

/** The prefix the rules carry in a config: `perf-backend/no-query-in-loop`. */
export const PLUGIN_NAMESPACE = "perf-backend";

export const rules = {
  "release-in-finally": releaseInFinally,
  "no-query-in-loop": noQueryInLoop,
  "cache-ttl-required": cacheTtlRequired,
  "no-blocking-in-handler": noBlockingInHandler,
  "fk-needs-index": fkNeedsIndex,
};

export type PerfRuleName = keyof typeof rules;

const { name, version } = packageInfo();

export const plugin = {
  meta: { name: `${name}/eslint-plugin`, version },
  rules,
} satisfies TSESLint.FlatConfig.Plugin;

/**
 * The plugin's rules plus the core and typescript-eslint rules that serve the same playbook rules. Put it after
 * `tseslint.configs.recommended` (which registers the `@typescript-eslint` plugin and parser) and give the parser type
 * information (`parserOptions.projectService: true`).
 */
export const recommended: TSESLint.FlatConfig.Config = {
  name: `${PLUGIN_NAMESPACE}/recommended`,
  plugins: { [PLUGIN_NAMESPACE]: plugin },
  rules: {
    ...Object.fromEntries(Object.keys(rules).map((rule) => [`${PLUGIN_NAMESPACE}/${rule}`, "error"])),
    "no-await-in-loop": "error",
    "@typescript-eslint/no-floating-promises": "error",
    "@typescript-eslint/no-misused-promises": "error",
  },
};

export const configs = { recommended };
