// Build step after tsc: templates compiled once here (a run only executes them); the CLI and plop entries bundled
// into a few ESM files (resolving and reading ~300 small modules was a third of a run); and the id of this build
// (a hash of the emitted code) that keys the caches of cross-run reads such as the schema model.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

import { BUILD_ID_FILE } from "../dist/src/core/read-cache.js";
import { PRECOMPILED_TEMPLATES_FILE, writePrecompiledTemplates } from "../dist/src/core/template-precompile.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const count = writePrecompiledTemplates(path.join(root, "templates"), path.join(dist, PRECOMPILED_TEMPLATES_FILE));

// Loaded lazily by the runs that need them, or large and CommonJS: they stay packages, resolved at run time.
const EXTERNAL = [
  "ts-morph",
  "typescript",
  "eslint",
  "eslint/*",
  "@typescript-eslint/*",
  "typescript-eslint",
  "execa",
  "prompts",
  "handlebars",
  "handlebars/*",
  "diff",
  "diff/*",
  "pg",
  "semver/*",
];
// Chunk names carry content hashes: a rebuild must not leave the previous ones beside the new.
rmSync(path.join(dist, "bundle"), { recursive: true, force: true });
await build({
  entryPoints: { cli: "dist/src/cli/main.js", plop: "dist/src/plop/index.js" },
  absWorkingDir: root,
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  logLevel: "warning",
  // CommonJS packages bundled into ESM still call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __cpbCreateRequire } from "node:module"; const require = __cpbCreateRequire(import.meta.url);' },
});

const hash = createHash("sha256");
const emitted = readdirSync(dist, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".js") || file.endsWith(".cjs"))
  .sort();
for (const file of emitted) hash.update(`${file}\0`).update(readFileSync(path.join(dist, file)));
writeFileSync(path.join(dist, BUILD_ID_FILE), `${JSON.stringify({ id: hash.digest("base64url") })}\n`);
process.stdout.write(`precompiled ${String(count)} templates into dist/${PRECOMPILED_TEMPLATES_FILE}; bundled the CLI and plop entries into dist/bundle; build id of ${String(emitted.length)} files in dist/${BUILD_ID_FILE}\n`);
