import { pathToFileURL } from "node:url";

import type { DoctorReport } from "./finding.js";

export const SARIF_VERSION = "2.1.0";
export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SOURCE_ROOT = "%SRCROOT%";

/** SARIF 2.1.0, the format code-scanning UIs read: one run, one rule per check, source findings located in the repo. */
export function toSarif(report: DoctorReport, toolVersion: string): Record<string, unknown> {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  const rootUri = pathToFileURL(report.root.endsWith("/") ? report.root : `${report.root}/`).href;
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: "create-perf-backend doctor",
            version: toolVersion,
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/^.*\//, ""),
              shortDescription: { text: rule.description },
              fullDescription: { text: rule.playbook },
              help: { text: `${rule.playbook}\nFix: ${rule.fix}` },
              ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
            })),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: rootUri } },
        results: report.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
          level: finding.severity,
          message: { text: finding.message },
          ...(finding.file === undefined
            ? {
                locations: [
                  { logicalLocations: [{ fullyQualifiedName: finding.object ?? "database", kind: "object" }] },
                ],
              }
            : {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: finding.file, uriBaseId: SOURCE_ROOT },
                      region: { startLine: finding.line ?? 1, startColumn: finding.column ?? 1 },
                    },
                  },
                ],
              }),
        })),
      },
    ],
  };
}
