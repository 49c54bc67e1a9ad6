import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import type { Finding, RuleInfo } from "./finding.js";

export const INDEX_WITHOUT_CONCURRENTLY_RULE = "migration/index-without-concurrently";
export const REQUIRED_COLUMN_RULE = "migration/add-required-column";
export const REWRITING_COLUMN_RULE = "migration/add-column-rewrites-table";
export const TYPE_CHANGE_RULE = "migration/column-type-change";
export const CONSTRAINT_WITHOUT_NOT_VALID_RULE = "migration/constraint-without-not-valid";
export const SET_NOT_NULL_RULE = "migration/set-not-null";
export const UNIQUE_CONSTRAINT_RULE = "migration/unique-constraint-builds-index";

const LOCKS =
  "Schema changes to a table that has rows must not take locks that stop reads or writes for the length of a scan, index build or rewrite.";

export const MIGRATION_RULES: RuleInfo[] = [
  {
    id: INDEX_WITHOUT_CONCURRENTLY_RULE,
    description: "CREATE INDEX without CONCURRENTLY on a table an earlier migration created",
    playbook: `${LOCKS} A plain CREATE INDEX holds a SHARE lock: every write to the table waits for the whole build.`,
    fix: "CREATE INDEX CONCURRENTLY IF NOT EXISTS ... in a migration of its own that runs outside a transaction (drizzle-kit runs each migration in one, where CONCURRENTLY fails).",
  },
  {
    id: REQUIRED_COLUMN_RULE,
    description: "ADD COLUMN ... NOT NULL without a DEFAULT on an existing table",
    playbook: `${LOCKS} A NOT NULL column without a default fails on the first existing row (and breaks the running version's inserts).`,
    fix: "Add it nullable (or with a constant DEFAULT), backfill in batches, then add a CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, and SET NOT NULL.",
  },
  {
    id: REWRITING_COLUMN_RULE,
    description:
      "ADD COLUMN with a volatile default (serial, random(), gen_random_uuid(), clock_timestamp()) on an existing table",
    playbook: `${LOCKS} A volatile default is computed per row: the table is rewritten under an ACCESS EXCLUSIVE lock.`,
    fix: "Add the column without a default (or with a constant one), set the default for new rows, and backfill existing rows in batches.",
  },
  {
    id: TYPE_CHANGE_RULE,
    description: "ALTER COLUMN ... TYPE on an existing table",
    playbook: `${LOCKS} Changing a column's type takes an ACCESS EXCLUSIVE lock and usually rewrites the table and its indexes.`,
    fix: "Add a new column of the new type, write both, backfill in batches, switch reads, then drop the old column (or widen with a CHECK on text).",
  },
  {
    id: CONSTRAINT_WITHOUT_NOT_VALID_RULE,
    description: "ADD CONSTRAINT ... FOREIGN KEY or CHECK without NOT VALID on an existing table",
    playbook: `${LOCKS} A new foreign key or check scans the whole table while it blocks writes (and, for a foreign key, the referenced table's too).`,
    fix: "ADD CONSTRAINT ... NOT VALID in one migration, then ALTER TABLE ... VALIDATE CONSTRAINT ... in the next (it takes only a SHARE UPDATE EXCLUSIVE lock).",
  },
  {
    id: SET_NOT_NULL_RULE,
    description: "ALTER COLUMN ... SET NOT NULL on an existing table",
    playbook: `${LOCKS} SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless a validated CHECK already proves it.`,
    fix: "ADD CONSTRAINT <t>_<col>_not_null CHECK (<col> IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in the next migration, then SET NOT NULL (no scan) and drop the check.",
  },
  {
    id: UNIQUE_CONSTRAINT_RULE,
    description: "ADD CONSTRAINT ... UNIQUE or PRIMARY KEY that builds its index under the table's lock",
    playbook: `${LOCKS} A unique constraint builds its index while holding an ACCESS EXCLUSIVE lock: no reads or writes until it is done.`,
    fix: "CREATE UNIQUE INDEX CONCURRENTLY ... outside a transaction, then ADD CONSTRAINT ... UNIQUE USING INDEX <index> (instant).",
  },
];

export interface MigrationCheckResult {
  findings: Finding[];
  notes: string[];
  /** The folder read, relative to the root (undefined when there is none). */
  folder?: string;
  filesChecked: number;
  /** Every statement read, per file (relative to the root): what squawk's findings are matched against. */
  statements: Map<string, StatementFacts[]>;
}

export interface StatementFacts {
  line: number;
  /** The table the statement changes or indexes, when it names one. */
  table?: string;
  /** The table was created earlier in the same migration: it has no rows yet. */
  newTable: boolean;
}

interface Statement {
  text: string;
  /** 1-based line of the statement's first character. */
  line: number;
}

const DRIZZLE_CONFIGS = [
  "drizzle.config.ts",
  "drizzle.config.mts",
  "drizzle.config.cts",
  "drizzle.config.js",
  "drizzle.config.mjs",
  "drizzle.config.cjs",
  "drizzle.config.json",
];
const DEFAULT_OUT = "drizzle";
// `out: "./drizzle"` in a drizzle config (read as text: the config is never run).
const OUT_OPTION = /["']?\bout["']?\s*:\s*(["'`])([^"'`]+)\1/;
const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`(${IDENTIFIER}(?:\s*\.\s*${IDENTIFIER})?)`;
const CREATE_TABLE = new RegExp(
  String.raw`^CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}`,
  "i",
);
const CREATE_INDEX = new RegExp(
  String.raw`^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${IDENTIFIER}\s+)?ON\s+(?:ONLY\s+)?${QUALIFIED}`,
  "i",
);
const ALTER_TABLE = new RegExp(
  String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QUALIFIED}\s+([\s\S]*)$`,
  "i",
);
// Defaults computed per row: the table is rewritten to fill them in.
const VOLATILE_DEFAULT =
  /\bDEFAULT\s+(?:random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday|nextval)\s*\(/i;
const SERIAL_TYPE = /\b(?:small|big)?serial\b/i;

/** Splits SQL into statements (drizzle-kit's `--> statement-breakpoint` and `;`), skipping comments, strings and dollar quotes. */
export function splitStatements(sql: string): Statement[] {
  const statements: Statement[] = [];
  let current = "";
  let startLine = 1;
  let line = 1;
  let index = 0;
  const flush = (): void => {
    const text = current.trim();
    if (text.length > 0) statements.push({ text, line: startLine });
    current = "";
  };
  while (index < sql.length) {
    const rest = sql.slice(index);
    const char = sql[index] ?? "";
    if (
      current.trim().length === 0 &&
      char !== "\n" &&
      !/\s/.test(char) &&
      !rest.startsWith("--") &&
      !rest.startsWith("/*")
    )
      startLine = line;
    if (rest.startsWith("--")) {
      const end = sql.indexOf("\n", index);
      index = end === -1 ? sql.length : end;
      continue;
    }
    if (rest.startsWith("/*")) {
      const end = sql.indexOf("*/", index + 2);
      const comment = sql.slice(index, end === -1 ? sql.length : end + 2);
      line += comment.split("\n").length - 1;
      index += comment.length;
      continue;
    }
    const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
    const quote = char === "'" || char === '"' ? char : dollar?.[0];
    if (quote !== undefined) {
      const end = sql.indexOf(quote, index + quote.length);
      const literal = sql.slice(index, end === -1 ? sql.length : end + quote.length);
      current += literal;
      line += literal.split("\n").length - 1;
      index += literal.length;
      continue;
    }
    if (char === ";") {
      flush();
      index += 1;
      continue;
    }
    if (char === "\n") line += 1;
    current += char;
    index += 1;
  }
  flush();
  return statements;
}

/** `"public"."Posts"` -> public.Posts; `Posts` -> posts (unquoted names fold to lower case); no schema means public. */
function tableKey(name: string): string {
  const parts = name
    .split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((part) => (part.startsWith('"') ? part.slice(1, -1).replaceAll('""', '"') : part.toLowerCase()));
  return parts.length === 1 ? `public.${parts[0] ?? ""}` : parts.join(".");
}

/** The `out` folder of the repo's drizzle config, relative to the root (drizzle's default when no config names one). */
export async function migrationsFolder(root: string): Promise<{ folder: string; config?: string } | undefined> {
  for (const config of DRIZZLE_CONFIGS) {
    const file = path.join(root, config);
    if (!existsSync(file)) continue;
    const out = OUT_OPTION.exec(await readFile(file, "utf8"))?.[2];
    return { folder: path.normalize(out ?? DEFAULT_OUT), config };
  }
  return existsSync(path.join(root, DEFAULT_OUT)) ? { folder: DEFAULT_OUT } : undefined;
}

function finding(ruleId: string, file: string, statement: Statement, message: string): Finding {
  return { ruleId, severity: "error", message, file, line: statement.line, column: 1 };
}

/** The lock checks of one ALTER TABLE on a table that already has rows (its actions, comma-separated at the top level). */
function alterFindings(file: string, statement: Statement, table: string, actions: string): Finding[] {
  const found: Finding[] = [];
  const oneLine = actions.replaceAll(/\s+/g, " ");
  for (const action of oneLine.split(/,(?![^(]*\))/)) {
    const addColumn = /^\s*ADD\s+(?:COLUMN\s+)?(?!CONSTRAINT\b)(?:IF\s+NOT\s+EXISTS\s+)?("[^"]+"|\w+)\s+(.*)$/i.exec(
      action,
    );
    if (addColumn && !/^\s*ADD\s+(?:CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK)\b/i.test(action)) {
      const [, column = "", definition = ""] = addColumn;
      const hasDefault =
        /\bDEFAULT\b/i.test(definition) || /\bGENERATED\b/i.test(definition) || SERIAL_TYPE.test(definition);
      if (/\bNOT\s+NULL\b/i.test(definition) && !hasDefault) {
        found.push(
          finding(
            REQUIRED_COLUMN_RULE,
            file,
            statement,
            `ADD COLUMN ${column} NOT NULL without a DEFAULT on ${table}: it fails on the first existing row. Add it nullable, backfill, then enforce NOT NULL through a validated CHECK.`,
          ),
        );
      } else if (VOLATILE_DEFAULT.test(definition) || SERIAL_TYPE.test(definition)) {
        found.push(
          finding(
            REWRITING_COLUMN_RULE,
            file,
            statement,
            `ADD COLUMN ${column} with a per-row default on ${table}: the table is rewritten under an ACCESS EXCLUSIVE lock. Add it without the default and backfill in batches.`,
          ),
        );
      }
      continue;
    }
    const typeChange = /^\s*ALTER\s+(?:COLUMN\s+)?("[^"]+"|\w+)\s+(?:SET\s+DATA\s+)?TYPE\b/i.exec(action);
    if (typeChange) {
      found.push(
        finding(
          TYPE_CHANGE_RULE,
          file,
          statement,
          `Changing the type of ${typeChange[1] ?? ""} on ${table} takes an ACCESS EXCLUSIVE lock and rewrites the table. Add a column of the new type and backfill instead.`,
        ),
      );
      continue;
    }
    const setNotNull = /^\s*ALTER\s+(?:COLUMN\s+)?("[^"]+"|\w+)\s+SET\s+NOT\s+NULL\b/i.exec(action);
    if (setNotNull) {
      found.push(
        finding(
          SET_NOT_NULL_RULE,
          file,
          statement,
          `SET NOT NULL on ${setNotNull[1] ?? ""} of ${table} scans the table under an ACCESS EXCLUSIVE lock. Validate a CHECK (... IS NOT NULL) NOT VALID first.`,
        ),
      );
      continue;
    }
    const constraint =
      /^\s*ADD\s+(?:CONSTRAINT\s+("[^"]+"|\w+)\s+)?(FOREIGN\s+KEY|CHECK|UNIQUE|PRIMARY\s+KEY)\b(.*)$/i.exec(action);
    if (constraint) {
      const [, name = "", kind = "", rest = ""] = constraint;
      const label = name ? `${kind.toUpperCase()} ${name}` : kind.toUpperCase();
      if (/^(?:UNIQUE|PRIMARY\s+KEY)$/i.test(kind)) {
        if (!/\bUSING\s+INDEX\b/i.test(rest))
          found.push(
            finding(
              UNIQUE_CONSTRAINT_RULE,
              file,
              statement,
              `ADD ${label} on ${table} builds its index under an ACCESS EXCLUSIVE lock. Build a unique index CONCURRENTLY, then ADD ... USING INDEX.`,
            ),
          );
      } else if (!/\bNOT\s+VALID\b/i.test(rest)) {
        found.push(
          finding(
            CONSTRAINT_WITHOUT_NOT_VALID_RULE,
            file,
            statement,
            `ADD ${label} on ${table} without NOT VALID scans the table while writes wait. Add it NOT VALID, then VALIDATE CONSTRAINT in the next migration.`,
          ),
        );
      }
    }
  }
  return found;
}

/**
 * Reads the repo's SQL migrations in order (the drizzle config's `out` folder) and reports statements that lock a
 * table an earlier migration created (a table created in the same file has no rows yet, so it is left alone).
 */
export async function runMigrationChecks(root: string): Promise<MigrationCheckResult> {
  const located = await migrationsFolder(root);
  const statements = new Map<string, StatementFacts[]>();
  if (!located)
    return {
      findings: [],
      notes: ["No drizzle config and no drizzle/ folder: the migration checks did not run."],
      filesChecked: 0,
      statements,
    };
  const folder = path.join(root, located.folder);
  const relativeFolder = path.relative(root, folder).split(path.sep).join("/");
  if (!existsSync(folder)) {
    return {
      findings: [],
      notes: [`No migrations yet (${relativeFolder}/ does not exist): the migration checks did not run.`],
      folder: relativeFolder,
      filesChecked: 0,
      statements,
    };
  }
  // drizzle-kit names them 0000_x.sql, 0001_y.sql: name order is apply order.
  const files = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith(".sql"))
    .map((entry) => entry.name)
    .sort();
  const findings: Finding[] = [];
  for (const name of files) {
    const file = `${relativeFolder}/${name}`;
    const createdHere = new Set<string>();
    const facts: StatementFacts[] = [];
    statements.set(file, facts);
    for (const statement of splitStatements(await readFile(path.join(folder, name), "utf8"))) {
      const created = CREATE_TABLE.exec(statement.text);
      if (created?.[1]) {
        createdHere.add(tableKey(created[1]));
        facts.push({ line: statement.line, table: tableKey(created[1]), newTable: true });
        continue;
      }
      const named = CREATE_INDEX.exec(statement.text)?.[2] ?? ALTER_TABLE.exec(statement.text)?.[1];
      facts.push(
        named
          ? { line: statement.line, table: tableKey(named), newTable: createdHere.has(tableKey(named)) }
          : { line: statement.line, newTable: false },
      );
      const index = CREATE_INDEX.exec(statement.text);
      if (index?.[2]) {
        const table = tableKey(index[2]);
        if (!index[1] && !createdHere.has(table)) {
          findings.push(
            finding(
              INDEX_WITHOUT_CONCURRENTLY_RULE,
              file,
              statement,
              `CREATE INDEX on ${table} without CONCURRENTLY blocks every write to the table until the index is built. Create it CONCURRENTLY in a migration run outside a transaction.`,
            ),
          );
        }
        continue;
      }
      const alter = ALTER_TABLE.exec(statement.text);
      if (alter?.[1] && alter[2] !== undefined) {
        const table = tableKey(alter[1]);
        if (!createdHere.has(table)) findings.push(...alterFindings(file, statement, table, alter[2]));
      }
    }
  }
  return { findings, notes: [], folder: relativeFolder, filesChecked: files.length, statements };
}
