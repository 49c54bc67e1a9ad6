#!/usr/bin/env node
// Thin entry: hand the process to the importable core and turn its answer into the exit code.
import { main } from "../dist/src/cli/main.js";

const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  interactive,
});
