// Build step after tsc: templates compiled once here (a run only executes them), and the id of this build
// (a hash of the emitted code) that keys the caches of cross-run reads such as the schema model.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { BUILD_ID_FILE } from "../dist/src/core/read-cache.js";
import { PRECOMPILED_TEMPLATES_FILE, writePrecompiledTemplates } from "../dist/src/core/template-precompile.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const count = writePrecompiledTemplates(path.join(root, "templates"), path.join(dist, PRECOMPILED_TEMPLATES_FILE));

const hash = createHash("sha256");
const emitted = readdirSync(dist, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".js") || file.endsWith(".cjs"))
  .sort();
for (const file of emitted) hash.update(`${file}\0`).update(readFileSync(path.join(dist, file)));
writeFileSync(path.join(dist, BUILD_ID_FILE), `${JSON.stringify({ id: hash.digest("base64url") })}\n`);
process.stdout.write(`precompiled ${String(count)} templates into dist/${PRECOMPILED_TEMPLATES_FILE}; build id of ${String(emitted.length)} files in dist/${BUILD_ID_FILE}\n`);
