import path from "node:path";

import { Command, Option } from "commander";
import yoctoSpinner from "yocto-spinner";

import { FindingsReported, UsageError } from "../../core/output/errors.js";
import { packageInfo } from "../../core/packages/package-root.js";
import { atLeast, isSeverity, SEVERITIES } from "../../doctor/finding.js";
import type { Severity } from "../../doctor/finding.js";
import { flagsWithParents } from "../common-options.js";
import type { CommonFlags } from "../common-options.js";
import type { CliIo } from "../io.js";
import { writeJson } from "../output.js";

// The generated pool's default (POOL_MAX_CONNECTIONS), used when neither the flag nor the environment says.
const DEFAULT_POOL_SIZE = 10;

interface DoctorFlags {
  cwd?: string;
  tsconfig?: string;
  databaseUrl?: string;
  poolSize?: string;
  instances: string;
  failOn: string;
  json?: boolean;
  sarif?: boolean;
  fix?: boolean;
  dryRun?: boolean;
  typecheck?: boolean;
  wait?: boolean;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new UsageError(`${flag} must be a whole number of at least 1, not "${value}".`);
  return parsed;
}

async function doctorCommand(flags: DoctorFlags, io: CliIo): Promise<void> {
  if (flags.json && flags.sarif) throw new UsageError("--json and --sarif both print on stdout: pick one.");
  const failOn = flags.failOn;
  if (!isSeverity(failOn))
    throw new UsageError(`Unknown --fail-on level "${failOn}".`, [`Use one of: ${SEVERITIES.join(", ")}.`]);
  const poolSize =
    positiveInteger(flags.poolSize, "--pool-size") ??
    positiveInteger(io.env.POOL_MAX_CONNECTIONS, "POOL_MAX_CONNECTIONS") ??
    DEFAULT_POOL_SIZE;
  const instances = positiveInteger(flags.instances, "--instances") ?? 1;
  const root = flags.cwd ? path.resolve(io.cwd, flags.cwd) : io.cwd;
  const machine = flags.json === true || flags.sarif === true;

  if (flags.dryRun && !flags.fix) throw new UsageError("--dry-run goes with --fix (doctor alone writes nothing).");
  if (flags.fix) {
    // The plan and diffs go where the report does not: stderr under --json/--sarif.
    const { createConsoleReporter } = await import("../../core/output/console-reporter.js");
    const { applyPlaybookFixes } = await import("../../doctor/apply-fixes.js");
    const terminal = !machine && io.interactive;
    const reporter = createConsoleReporter(machine ? io.stderr : io.stdout, {
      spinners: terminal,
      colors: terminal && io.env["NO_COLOR"] === undefined,
    });
    await applyPlaybookFixes({
      root,
      ...(flags.tsconfig ? { tsconfigPath: flags.tsconfig } : {}),
      dryRun: flags.dryRun === true,
      reporter,
      ...(flags.typecheck === undefined ? {} : { typecheck: flags.typecheck }),
      ...(flags.wait ? { waitForLock: true } : {}),
    });
  }

  // The rule engine (eslint, typescript-eslint, TypeScript) loads here and only here.
  const { runDoctor } = await import("../../doctor/run-doctor.js");
  const spinner =
    io.interactive && !machine
      ? yoctoSpinner({ text: "doctor: reading the tsconfig", stream: io.stderr }).start()
      : undefined;
  let report;
  try {
    report = await runDoctor({
      root,
      ...(flags.tsconfig ? { tsconfigPath: flags.tsconfig } : {}),
      ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
      poolSize,
      instances,
      onProgress: (done, total) => {
        if (spinner)
          spinner.text = `doctor: linted ${String(done)}/${String(total)} files${done === total && flags.databaseUrl ? ", checking the database" : ""}`;
      },
    });
  } finally {
    spinner?.stop();
  }
  const failing = report.findings.filter((finding) => atLeast(finding.severity, failOn satisfies Severity)).length;
  if (flags.sarif) {
    const { toSarif } = await import("../../doctor/report-sarif.js");
    writeJson(io, toSarif(report, packageInfo().version));
  } else if (flags.json) {
    const { toJsonReport } = await import("../../doctor/report-json.js");
    writeJson(io, toJsonReport(report, failOn, failing > 0));
  } else {
    const { formatTextReport } = await import("../../doctor/report-text.js");
    io.stdout.write(formatTextReport(report, io.interactive && io.env["NO_COLOR"] === undefined));
  }
  if (failing > 0) throw new FindingsReported(failing);
}

/** `doctor`: checks any repo against the playbook (lint rules with the repo's own tsconfig; live checks with --database-url). */
export function doctorCommandDefinition(io: CliIo, configure: (command: Command) => Command): Command {
  return (
    configure(new Command("doctor"))
      .description(
        "check a repo against the playbook: the plugin's lint rules with its own tsconfig, and (with --database-url) PostgreSQL's catalogs",
      )
      .option("--cwd <dir>", "the repo to check (default: the current directory)")
      .option(
        "--tsconfig <path>",
        "the tsconfig whose files are checked, relative to the repo (default: tsconfig.json)",
      )
      .option(
        "--database-url <url>",
        "also check a live database: FKs without an index, unused indexes, heavy seq scans, pool size, pg_stat_statements",
      )
      .option("--pool-size <n>", "connections per instance's pool (default: POOL_MAX_CONNECTIONS, else 10)")
      .option("--instances <n>", "how many instances of the app share the database", "1")
      .addOption(
        new Option("--fail-on <level>", "exit 1 when a finding at or above this level exists")
          .choices(SEVERITIES)
          .default("error"),
      )
      .option("--json", "the report as JSON on stdout")
      .option("--sarif", "the report as SARIF 2.1.0 on stdout (code-scanning UIs)")
      .option(
        "--fix",
        "apply the rules' safe fixes first (fk-needs-index, cache-ttl-required) through the generators' atomic commit, then report what is left",
      )
      .option("--dry-run", "with --fix: print the plan and unified diffs of the fixes; write nothing")
      .option("--no-typecheck", "with --fix: skip typechecking the fixed files against the tsconfig before writing")
      .option("--wait", "with --fix: if another run holds the project lock, wait for it instead of failing")
      .addHelpText(
        "after",
        "\nExit codes: 0 no finding at or above --fail-on, 1 there are, 2 usage error.\nNothing in the repo is read but its tsconfig, the files it includes and its drizzle config's migrations; nothing is written unless --fix (with --dry-run: the plan and diffs only).",
      )
      // Flags given before `doctor` (`create-perf-backend --cwd x doctor`) are parsed by the root command.
      .action((_flags: DoctorFlags, command: Command) =>
        doctorCommand(flagsWithParents<DoctorFlags & CommonFlags>(command), io),
      )
  );
}
