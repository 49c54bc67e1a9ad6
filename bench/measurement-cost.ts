// `npx tsx bench/measurement-cost.ts` (after `npm run build`): row 10 of the bench alone, printed as table rows,
// for checking the cost of the generated server's per-request measurement without the whole bench: on the Node
// running this script and on the current LTS.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { ltsNode } from "./lts-node.js";
import { buildProject } from "./project.js";
import { markdownTable } from "./report.js";
import { measureMeasurementCost, serverRuns } from "./server-throughput.js";
import { createThrowawayDatabase, redisUrl, requireServices } from "./services.js";
import { toRow } from "./stats.js";

const REPETITIONS = Number(process.env["BENCH_SERVER_REPETITIONS"] ?? "5");

await requireServices();
const workDir = await mkdtemp(path.join(os.tmpdir(), "cpb-bench-measure-"));
const database = await createThrowawayDatabase("benchmeasure");
try {
  const project = await buildProject(workDir);
  const lts = await ltsNode();
  const rows = [];
  for (const server of serverRuns(lts)) {
    rows.push(
      ...(await measureMeasurementCost(
        project,
        { DATABASE_URL: database.url, REDIS_URL: redisUrl() },
        REPETITIONS,
        server,
      )),
    );
  }
  process.stdout.write(`${markdownTable(rows.map(toRow))}\n\n${JSON.stringify(rows)}\n`);
} finally {
  await database.drop();
  await rm(workDir, { recursive: true, force: true });
}
