import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import { importX } from "eslint-plugin-import-x";
import unicorn from "eslint-plugin-unicorn";
import globals from "globals";
import tseslint from "typescript-eslint";

// The tool follows the conventions it generates: kebab-case files, named exports, `import type`, ordered imports.
export default defineConfig(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "templates/",
      "coverage/",
      "bench/results/",
      "test/fixtures/drizzle-schemas/",
      "test/fixtures/scale-out/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { unicorn, "import-x": importX },
    rules: {
      "unicorn/filename-case": ["error", { case: "kebabCase" }],
      "import-x/no-default-export": "error",
      "import-x/order": [
        "error",
        {
          groups: ["builtin", "external", "internal", ["parent", "sibling", "index"]],
          "newlines-between": "always",
          alphabetize: { order: "asc", caseInsensitive: true },
        },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "separate-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["eslint.config.js", "vitest.config.ts"],
    rules: { "import-x/no-default-export": "off" },
  },
);
