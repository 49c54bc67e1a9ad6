// Copied into the bench's drizzle-orm 1.0 project by bench/drizzle-lines.ts and run there with its tsx: the same
// generated users repository of the 0.45 project (BENCH_V0_PROJECT, each importing its own drizzle-orm) and of this
// one read the same page of the same seeded database, in one process, call by call. Prints one JSON document.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

// Type only (erased by tsx): the row shape the bench reads, declared once beside the other in-project rows.
import type { Measurement } from "./measure-generated-code.js";
import * as v1Client from "./src/db/client.js";
import * as v1Repositories from "./src/repositories/users-repository.js";

interface EagerPage {
  items: Array<{ posts: Array<{ comments: unknown[] }> }>;
}
interface Line {
  label: string;
  listPage: () => Promise<EagerPage>;
  statements: () => number;
  close: () => Promise<void>;
}

const REPETITIONS = Number(process.env["BENCH_REPETITIONS"] ?? "7");
const V0_PROJECT = process.env["BENCH_V0_PROJECT"] ?? "";
const PAGE_SIZE = 50;
// Calls per repetition, alternating the lines call by call (a loaded machine drifts; pairs do not).
const CALLS_PER_REPETITION = 30;

if (V0_PROJECT === "") throw new Error("BENCH_V0_PROJECT must name the bench's drizzle-orm 0.45 project");

/** One project's client and users repository, with a logger that counts the statements it sends. */
function lineOf(label: string, client: typeof v1Client, repositories: typeof v1Repositories): Line {
  let statements = 0;
  const database = client.createDatabase({ logger: { logQuery: () => (statements += 1) } });
  const repository = repositories.createUsersRepository(database);
  return {
    label,
    listPage: () => repository.listUsers({ limit: PAGE_SIZE }) as Promise<EagerPage>,
    statements: () => statements,
    close: () => client.closeDatabase(),
  };
}

const comments = (page: EagerPage): number =>
  page.items.reduce((total, user) => total + user.posts.reduce((sum, post) => sum + post.comments.length, 0), 0);

async function call(line: Line): Promise<{ ms: number; statements: number; comments: number }> {
  const before = line.statements();
  const started = performance.now();
  const page = await line.listPage();
  return { ms: performance.now() - started, statements: line.statements() - before, comments: comments(page) };
}

async function main(): Promise<void> {
  const fromV0 = (file: string): string => pathToFileURL(path.join(V0_PROJECT, file)).href;
  const v0 = lineOf(
    "drizzle-orm 0.45",
    (await import(fromV0("src/db/client.ts"))) as typeof v1Client,
    (await import(fromV0("src/repositories/users-repository.ts"))) as typeof v1Repositories,
  );
  const v1 = lineOf("drizzle-orm 1.0", v1Client, v1Repositories);
  try {
    // Warm-up (prepared statements, pool connections, JIT), and both lines must read the same rows in one statement.
    const [first0, first1] = [await call(v0), await call(v1)];
    if (first0.comments !== first1.comments || first0.comments === 0)
      throw new Error(
        `the lines disagree: 0.45 read ${String(first0.comments)} comments, 1.0 ${String(first1.comments)}`,
      );
    const common = {
      comparison: `13. eager read of ${String(PAGE_SIZE)} users + posts + comments: drizzle-orm 1.0 vs 0.45, same data`,
      betterIs: "lower" as const,
      baselineLabel: "generated listUsers on drizzle-orm 0.45",
      oursLabel: "generated listUsers on drizzle-orm 1.0",
      expectNearOne: true,
    };
    const time: Measurement = {
      ...common,
      id: "eager-drizzle-1",
      metric: "wall time per call",
      unit: "ms",
      counted: `mean of ${String(CALLS_PER_REPETITION)} calls each, alternating call by call, one process`,
      baseline: [],
      ours: [],
    };
    const statements: Measurement = {
      ...common,
      id: "eager-drizzle-1-statements",
      metric: "SQL statements",
      unit: "statements",
      counted: "statements logged by createDatabase({ logger }) per page",
      baseline: [],
      ours: [],
    };
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      let [ms0, ms1, statements0, statements1] = [0, 0, 0, 0];
      for (let index = 0; index < CALLS_PER_REPETITION; index += 1) {
        const [run0, run1] = index % 2 === 0 ? [await call(v0), await call(v1)] : [undefined, await call(v1)];
        const other0 = run0 ?? (await call(v0));
        ms0 += other0.ms;
        ms1 += run1.ms;
        statements0 = Math.max(statements0, other0.statements);
        statements1 = Math.max(statements1, run1.statements);
      }
      time.baseline.push(ms0 / CALLS_PER_REPETITION);
      time.ours.push(ms1 / CALLS_PER_REPETITION);
      statements.baseline.push(statements0);
      statements.ours.push(statements1);
    }
    process.stdout.write(`${JSON.stringify([time, statements])}\n`);
  } finally {
    await v0.close();
    await v1.close();
  }
}

await main();
