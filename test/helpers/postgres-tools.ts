import { existsSync } from "node:fs";
import net from "node:net";
import type { AddressInfo } from "node:net";

import { execa } from "execa";

// PostgreSQL refuses to run as root, and so does PgBouncer: as root, the server-side tools run as this user.
export const SERVICE_USER = "postgres";
const SERVER_BIN_ROOT = "/usr/lib/postgresql";
const VERSION_NUM_DIVISOR = 10_000;

export const runningAsRoot = (): boolean => process.getuid?.() === 0;

/** The bin directory of the server tools matching the server's major version (Debian layout), else PATH. */
export function serverBinDir(serverVersionNum: number): string | undefined {
  const dir = `${SERVER_BIN_ROOT}/${String(Math.floor(serverVersionNum / VERSION_NUM_DIVISOR))}/bin`;
  return existsSync(dir) ? dir : undefined;
}

/** Runs a server tool, as SERVICE_USER when this process is root. */
export function runServerTool(command: string, args: readonly string[]) {
  const [file, fileArgs] = runningAsRoot()
    ? ["runuser", ["-u", SERVICE_USER, "--", command, ...args]]
    : [command, [...args]];
  return execa(file, fileArgs, { all: true, reject: false, stdin: "ignore" });
}

/** uid/gid of SERVICE_USER, to hand it the directories its processes write. */
export async function serviceUserIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([execa("id", ["-u", SERVICE_USER]), execa("id", ["-g", SERVICE_USER])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
  return port;
}

/** Resolves once something accepts connections on 127.0.0.1:port, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const POLL_MS = 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`nothing listens on 127.0.0.1:${String(port)} after ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The first of `candidates` that exists as a file or answers `--version` on PATH. */
export async function findTool(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (candidate.includes("/")) {
      if (existsSync(candidate)) return candidate;
      continue;
    }
    const probe = await execa(candidate, ["--version"], { reject: false, stdin: "ignore" });
    if (probe.exitCode === 0) return candidate;
  }
  return undefined;
}
