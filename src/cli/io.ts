import type { Readable, Writable } from "node:stream";

/** Everything the CLI needs from the process, handed in by bin/ so the core stays importable and testable. */
export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** True only when both stdin and stdout are terminals. */
  interactive: boolean;
}
