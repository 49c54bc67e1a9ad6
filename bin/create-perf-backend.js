#!/usr/bin/env node
// Thin entry: hand the process to the importable core and turn its answer into the exit code.
import { existsSync } from "node:fs";
import * as nodeModule from "node:module";

// Node >= 22.1 caches compiled code (ts-morph loads in half the time); absent on Node 20, harmless there.
nodeModule.enableCompileCache?.();
// Imported after the cache is on, so the tool's own modules are cached too. The bundle (npm run build) is a few
// files instead of hundreds; a tsc-only build still runs from the modules.
const bundle = new URL("../dist/bundle/cli.js", import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : "../dist/src/cli/main.js");

const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  interactive,
});
