import { resolveCommand } from "package-manager-detector/commands";

export const PACKAGE_MANAGERS = ["npm", "pnpm", "yarn", "bun"] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

export function isPackageManager(value: unknown): value is PackageManager {
  return typeof value === "string" && (PACKAGE_MANAGERS as readonly string[]).includes(value);
}

/** The package manager that launched us (`npm_config_user_agent`), npm when unknown. */
export function packageManagerFromUserAgent(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split("/")[0];
  return isPackageManager(name) ? name : "npm";
}

export interface CommandLine {
  command: string;
  args: string[];
}

function resolved(manager: PackageManager, command: "install" | "run", args: string[]): CommandLine {
  const line = resolveCommand(manager, command, args);
  return line ?? { command: manager, args: [command, ...args] };
}

export function installCommand(manager: PackageManager): CommandLine {
  return resolved(manager, "install", []);
}

export function runScriptCommand(manager: PackageManager, script: string): CommandLine {
  return resolved(manager, "run", [script]);
}

export function formatCommand(line: CommandLine): string {
  return [line.command, ...line.args].join(" ");
}
