// Copied into the generated project by bench/run.ts. Runs one plop generator with its answers given up
// front, as `plop <generator> <answers...>` does, but through node-plop: plop's CLI ignores bypass
// values when a generator's prompts are a function, which is how the repository generator is registered.
// Usage: node plop-run.js <plopfile> <generator> '<answers as JSON>'
import path from "node:path";

import nodePlop from "node-plop";

const [plopfileArgument, generatorName, answersJson] = process.argv.slice(2);
if (!plopfileArgument || !generatorName || !answersJson) {
  console.error("usage: node plop-run.js <plopfile> <generator> '<answers as JSON>'");
  process.exit(2);
}
const plopfile = path.resolve(plopfileArgument);
const plop = await nodePlop(plopfile, { destBasePath: path.dirname(plopfile), force: false });
const { changes, failures } = await plop.getGenerator(generatorName).runActions(JSON.parse(answersJson));
for (const change of changes) console.log(`${change.type} ${change.path}`);
if (failures.length > 0) {
  for (const failure of failures) console.error(`${failure.type} ${failure.path}: ${failure.error ?? failure.message}`);
  process.exitCode = 1;
}
