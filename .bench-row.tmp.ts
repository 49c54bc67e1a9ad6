import { markdownTable } from "./bench/report.js";
import { measureMeasurementCost } from "./bench/server-throughput.js";
import { toRow } from "./bench/stats.js";
const row = await measureMeasurementCost("/tmp/mproj/demo", { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/mproj_measure", REDIS_URL: "redis://127.0.0.1:6379" }, 5);
process.stdout.write(`${markdownTable([toRow(row)])}\n\n${JSON.stringify(row)}\n`);
