import { UsageError } from "../core/output/errors.js";
import type { Finding, RuleInfo } from "./finding.js";

const CONNECT_TIMEOUT_MS = 5000;
// A table read whole this often, with this many rows, costs more than an index would.
export const HEAVY_SEQ_SCAN_MIN_SCANS = 100;
export const HEAVY_SEQ_SCAN_MIN_ROWS = 10_000;
// Above this share of the usable connections, one more instance (or a deploy overlap) exhausts them.
export const POOL_SHARE_WARNING = 0.8;
// The playbook's threshold for a slow statement.
export const SLOW_STATEMENT_MS = 100;
const TOP_STATEMENTS = 5;
const MAX_UNUSED_INDEXES = 20;
const MAX_SEQ_SCAN_TABLES = 10;
const STATEMENT_PREVIEW_LENGTH = 120;
const BYTES_PER_KIB = 1024;

export const LIVE_RULES: RuleInfo[] = [
  {
    id: "db/fk-without-index",
    description: "A foreign key whose columns lead no index of the referencing table",
    playbook: "Index foreign keys for JOIN performance.",
    fix: 'CREATE INDEX CONCURRENTLY ON <table> (<columns>); in Drizzle: index("<table>_<column>_idx").on(table.<column>).',
  },
  {
    id: "db/unused-index",
    description: "An index no query has used since the statistics were last reset (not unique, not a constraint)",
    playbook: "Measure first, optimize second: every index slows writes and takes memory.",
    fix: "Check the index on every replica over a full traffic cycle, then DROP INDEX CONCURRENTLY.",
  },
  {
    id: "db/heavy-seq-scan",
    description: `A table of ${String(HEAVY_SEQ_SCAN_MIN_ROWS)}+ rows read by ${String(HEAVY_SEQ_SCAN_MIN_SCANS)}+ sequential scans`,
    playbook: "Index columns used in WHERE, JOIN and ORDER BY clauses.",
    fix: "Find the statements (pg_stat_statements) and index their filter columns (`generate schema ... --index`).",
  },
  {
    id: "db/pool-size",
    description: "The application's pools (pool size x instances) against the server's max_connections",
    playbook: "Connection pooling: size the pool to what the database can serve across all instances.",
    fix: "Lower POOL_MAX_CONNECTIONS, or put a pooler (PgBouncer) in front of PostgreSQL.",
  },
  {
    id: "db/top-statement",
    description: "The statements with the most total execution time (pg_stat_statements)",
    playbook: `Measure first: statements slower than ${String(SLOW_STATEMENT_MS)} ms are where to look.`,
    fix: "EXPLAIN (ANALYZE, BUFFERS) the statement; add the index or eager loading it lacks.",
  },
];

export interface LiveCheckOptions {
  databaseUrl: string;
  /** Connections one instance's pool opens (POOL_MAX_CONNECTIONS). */
  poolSize: number;
  /** How many instances of the application run. */
  instances: number;
}

interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const FOREIGN_KEYS_WITHOUT_INDEX = `
select n.nspname as schema, cl.relname as table_name, c.conname as constraint_name,
       array_agg(a.attname::text order by k.ord) as columns
from pg_constraint c
join pg_class cl on cl.oid = c.conrelid
join pg_namespace n on n.oid = cl.relnamespace
cross join lateral unnest(c.conkey) with ordinality as k(attnum, ord)
join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
where c.contype = 'f'
  and n.nspname not in ('pg_catalog', 'information_schema')
  and not exists (
    select 1 from pg_index i
    where i.indrelid = c.conrelid
      and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
  )
group by n.nspname, cl.relname, c.conname
order by 1, 2, 3`;

const UNUSED_INDEXES = `
select s.schemaname as schema, s.relname as table_name, s.indexrelname as index_name, pg_relation_size(s.indexrelid) as bytes
from pg_stat_user_indexes s
join pg_index i on i.indexrelid = s.indexrelid
where s.idx_scan = 0 and not i.indisunique and not i.indisprimary
  and not exists (select 1 from pg_constraint c where c.conindid = s.indexrelid)
order by bytes desc, 1, 2, 3
limit $1`;

const HEAVY_SEQ_SCANS = `
select schemaname as schema, relname as table_name, seq_scan, seq_tup_read, n_live_tup
from pg_stat_user_tables
where seq_scan >= $1 and n_live_tup >= $2
order by seq_tup_read desc
limit $3`;

const TOP_STATEMENTS_QUERY = `
select query, calls, total_exec_time, mean_exec_time
from pg_stat_statements
where dbid = (select oid from pg_database where datname = current_database())
order by total_exec_time desc
limit $1`;

async function foreignKeysWithoutIndex(db: Queryable): Promise<Finding[]> {
  const { rows } = await db.query<{ schema: string; table_name: string; constraint_name: string; columns: string[] }>(
    FOREIGN_KEYS_WITHOUT_INDEX,
  );
  return rows.map((row) => ({
    ruleId: "db/fk-without-index",
    severity: "error",
    object: `${row.schema}.${row.table_name}`,
    message: `Foreign key ${row.constraint_name} (${row.columns.join(", ")}) has no index leading with its columns: joins and parent deletes scan ${row.table_name}.`,
  }));
}

async function unusedIndexes(db: Queryable): Promise<Finding[]> {
  const { rows } = await db.query<{ schema: string; table_name: string; index_name: string; bytes: string }>(
    UNUSED_INDEXES,
    [MAX_UNUSED_INDEXES],
  );
  return rows.map((row) => ({
    ruleId: "db/unused-index",
    severity: "warning",
    object: `${row.schema}.${row.index_name}`,
    message: `Index ${row.index_name} on ${row.table_name} (${(Number(row.bytes) / BYTES_PER_KIB).toFixed(0)} KiB) has not been used since the statistics were reset.`,
  }));
}

async function heavySeqScans(db: Queryable): Promise<Finding[]> {
  const { rows } = await db.query<{
    schema: string;
    table_name: string;
    seq_scan: string;
    seq_tup_read: string;
    n_live_tup: string;
  }>(HEAVY_SEQ_SCANS, [HEAVY_SEQ_SCAN_MIN_SCANS, HEAVY_SEQ_SCAN_MIN_ROWS, MAX_SEQ_SCAN_TABLES]);
  return rows.map((row) => ({
    ruleId: "db/heavy-seq-scan",
    severity: "warning",
    object: `${row.schema}.${row.table_name}`,
    message: `${row.table_name} (${row.n_live_tup} rows) was read by ${row.seq_scan} sequential scans (${row.seq_tup_read} rows read).`,
  }));
}

async function poolSize(db: Queryable, options: LiveCheckOptions): Promise<Finding[]> {
  const { rows } = await db.query<{ max_connections: string; reserved: string }>(
    "select current_setting('max_connections') as max_connections, current_setting('superuser_reserved_connections') as reserved",
  );
  const row = rows[0];
  if (!row) return [];
  const usable = Number(row.max_connections) - Number(row.reserved);
  const wanted = options.poolSize * options.instances;
  const detail = `${String(options.instances)} instance(s) x pool of ${String(options.poolSize)} = ${String(wanted)} connections; the server allows ${String(usable)} (max_connections ${row.max_connections} - ${row.reserved} reserved)`;
  if (wanted > usable)
    return [
      {
        ruleId: "db/pool-size",
        severity: "error",
        object: "max_connections",
        message: `The pools can ask for more connections than PostgreSQL has: ${detail}.`,
      },
    ];
  if (wanted > usable * POOL_SHARE_WARNING) {
    return [
      {
        ruleId: "db/pool-size",
        severity: "warning",
        object: "max_connections",
        message: `The pools use more than ${String(POOL_SHARE_WARNING * 100)}% of the connections: ${detail}.`,
      },
    ];
  }
  return [];
}

async function topStatements(db: Queryable): Promise<{ findings: Finding[]; note?: string }> {
  const { rows: installed } = await db.query<{ present: boolean }>(
    "select exists (select 1 from pg_extension where extname = 'pg_stat_statements') as present",
  );
  if (!installed[0]?.present)
    return { findings: [], note: "pg_stat_statements is not installed: no statement statistics." };
  try {
    const { rows } = await db.query<{ query: string; calls: string; total_exec_time: number; mean_exec_time: number }>(
      TOP_STATEMENTS_QUERY,
      [TOP_STATEMENTS],
    );
    return {
      findings: rows.map((row) => {
        const text = row.query.replaceAll(/\s+/g, " ");
        const preview = text.length > STATEMENT_PREVIEW_LENGTH ? `${text.slice(0, STATEMENT_PREVIEW_LENGTH)}…` : text;
        return {
          ruleId: "db/top-statement",
          severity: row.mean_exec_time > SLOW_STATEMENT_MS ? "warning" : "note",
          object: "pg_stat_statements",
          message: `${row.calls} calls, ${row.mean_exec_time.toFixed(1)} ms mean, ${row.total_exec_time.toFixed(0)} ms total: ${preview}`,
        } satisfies Finding;
      }),
    };
  } catch (error) {
    // Installed but not in shared_preload_libraries: the view exists and refuses to answer.
    return {
      findings: [],
      note: `pg_stat_statements did not answer: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export interface LiveCheckResult {
  findings: Finding[];
  notes: string[];
}

/** Reads PostgreSQL's catalogs and statistics; never writes. */
export async function runLiveChecks(options: LiveCheckOptions): Promise<LiveCheckResult> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    connectionString: options.databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: "create-perf-backend doctor",
  });
  try {
    await client.connect();
  } catch (error) {
    throw new UsageError(
      `Cannot connect to --database-url: ${error instanceof Error ? error.message : String(error)}`,
      ["Check the URL (postgres://user:password@host:port/database) and that the server is reachable."],
    );
  }
  try {
    // One session, one statement at a time: the checks run in order.
    const findings = [
      ...(await foreignKeysWithoutIndex(client)),
      ...(await unusedIndexes(client)),
      ...(await heavySeqScans(client)),
      ...(await poolSize(client, options)),
    ];
    const statements = await topStatements(client);
    return { findings: [...findings, ...statements.findings], notes: statements.note ? [statements.note] : [] };
  } finally {
    await client.end();
  }
}
