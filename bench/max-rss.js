// Fallback peak-memory probe for machines without /usr/bin/time: runs a node script in this process and
// writes process.resourceUsage().maxRSS (KiB) to the file named by BENCH_MAX_RSS_FILE on exit.
// Usage: BENCH_MAX_RSS_FILE=/tmp/x node bench/max-rss.js <script> [args...]
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [script, ...args] = process.argv.slice(2);
const output = process.env.BENCH_MAX_RSS_FILE;
if (!script || !output) {
  console.error("usage: BENCH_MAX_RSS_FILE=<file> node bench/max-rss.js <script> [args...]");
  process.exit(2);
}
process.on("exit", () => writeFileSync(output, `${String(process.resourceUsage().maxRSS)}\n`));
// The script sees the argv it would see when started directly.
process.argv = [process.argv[0] ?? "node", path.resolve(script), ...args];
await import(pathToFileURL(path.resolve(script)).href);
