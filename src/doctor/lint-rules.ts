import { readFile } from "node:fs/promises";
import path from "node:path";

import type { ESLint as EslintTypes } from "eslint";

import type { Finding, RuleInfo } from "./finding.js";

// Files handed to ESLint per call, so a terminal can show progress on big repos.
const LINT_BATCH_SIZE = 25;

export interface LintRulesOptions {
  root: string;
  tsconfigPath: string;
  files: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/** The plugin's rules as doctor describes them. */
export async function playbookRuleInfo(): Promise<RuleInfo[]> {
  const { PLUGIN_NAMESPACE, rules } = await import("../eslint-plugin/index.js");
  return Object.entries(rules).map(([name, rule]) => {
    const docs = rule.meta.docs;
    return {
      id: `${PLUGIN_NAMESPACE}/${name}`,
      description: docs?.description ?? name,
      playbook: docs?.playbook ?? "",
      fix: docs?.fix ?? "",
      ...(docs?.url ? { helpUri: docs.url } : {}),
    };
  });
}

/**
 * Runs this package's rules, and only them, on the given files with the repo's own tsconfig for types.
 * No config file of the repo is read (`overrideConfigFile: true`), and nothing is written.
 */
export async function lintWithPlaybookRules(options: LintRulesOptions): Promise<Finding[]> {
  const { eslint, namespace } = await createPlaybookEslint(options, false);
  const findings: Finding[] = [];
  for (let start = 0; start < options.files.length; start += LINT_BATCH_SIZE) {
    const batch = options.files.slice(start, start + LINT_BATCH_SIZE);
    // Batches run one after another so progress is real and the type program is built once.
    const results = await eslint.lintFiles([...batch]);
    for (const result of results) {
      for (const message of result.messages) {
        // A disable comment naming a rule of the repo's own config ("Definition for rule ... was not found") is not ours to judge.
        if (message.ruleId !== null && !message.ruleId.startsWith(`${namespace}/`)) continue;
        findings.push({
          ruleId: message.ruleId ?? "parse-error",
          severity: message.severity === 2 ? "error" : "warning",
          message: message.message,
          file: path.relative(options.root, result.filePath).split(path.sep).join("/"),
          line: message.line,
          column: message.column,
          ...(message.fix ? { fixable: true } : {}),
        });
      }
    }
    options.onProgress?.(Math.min(start + LINT_BATCH_SIZE, options.files.length), options.files.length);
  }
  return findings;
}

export interface PlaybookFix {
  /** Relative to the repo root, with forward slashes. */
  file: string;
  before: string;
  after: string;
}

/**
 * The plugin's fixers applied in memory (ESLint's own multi-pass fixing; suggestions are never applied): the new
 * text of every file a fixer changed. Nothing is written here; `doctor --fix` stages these on the tree.
 */
export async function fixWithPlaybookRules(options: LintRulesOptions): Promise<PlaybookFix[]> {
  const { eslint } = await createPlaybookEslint(options, true);
  const fixes: PlaybookFix[] = [];
  for (let start = 0; start < options.files.length; start += LINT_BATCH_SIZE) {
    const batch = options.files.slice(start, start + LINT_BATCH_SIZE);
    for (const result of await eslint.lintFiles([...batch])) {
      if (result.output === undefined) continue;
      const before = await readFile(result.filePath, "utf8");
      if (result.output !== before)
        fixes.push({
          file: path.relative(options.root, result.filePath).split(path.sep).join("/"),
          before,
          after: result.output,
        });
    }
    options.onProgress?.(Math.min(start + LINT_BATCH_SIZE, options.files.length), options.files.length);
  }
  return fixes;
}

async function createPlaybookEslint(
  options: LintRulesOptions,
  fix: boolean,
): Promise<{ eslint: EslintTypes; namespace: string }> {
  // eslint and the TypeScript parser are loaded only by doctor, so the other commands stay fast.
  const [{ ESLint }, parser, { PLUGIN_NAMESPACE, plugin, rules }] = await Promise.all([
    import("eslint"),
    import("@typescript-eslint/parser"),
    import("../eslint-plugin/index.js"),
  ]);
  const eslint = new ESLint({
    cwd: options.root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
        // No "single run" inference: under CI=true typescript-eslint would reuse one program across doctor runs in a process.
        languageOptions: {
          parser,
          parserOptions: {
            project: options.tsconfigPath,
            tsconfigRootDir: options.root,
            disallowAutomaticSingleRunInference: true,
          },
        },
        linterOptions: { reportUnusedDisableDirectives: "off" },
        // typescript-eslint's rule types and ESLint's own differ only in their declarations.
        plugins: { [PLUGIN_NAMESPACE]: plugin as unknown as EslintTypes.Plugin },
        rules: Object.fromEntries(Object.keys(rules).map((rule) => [`${PLUGIN_NAMESPACE}/${rule}`, "error"])),
      },
    ],
    // Files under node_modules or dist that a tsconfig includes are still the repo's files.
    ignore: false,
    errorOnUnmatchedPattern: false,
    // Only this plugin's fixers (a rule of another plugin cannot be on here anyway).
    fix: fix ? (message) => message.ruleId?.startsWith(`${PLUGIN_NAMESPACE}/`) === true : false,
  });
  return { eslint, namespace: PLUGIN_NAMESPACE };
}
