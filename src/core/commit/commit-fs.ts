import * as nodeFs from "node:fs/promises";

/** The file operations a commit uses; tests swap in one that fails (or kills the process) part-way. */
export interface CommitFs {
  mkdir(dir: string): Promise<void>;
  rmdir(dir: string): Promise<void>;
  /** Creates the file; fails if it exists. */
  writeFile(file: string, content: string): Promise<void>;
  readFile(file: string): Promise<string>;
  /** Replaces `to` atomically when it exists (POSIX rename). */
  rename(from: string, to: string): Promise<void>;
  /** A second name for an existing file: the rollback copy, made without moving the target away. */
  link(existing: string, newPath: string): Promise<void>;
  unlink(file: string): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
  /** File mode, or null when the file does not exist. */
  mode(file: string): Promise<number | null>;
}

export const diskCommitFs: CommitFs = {
  mkdir: async (dir) => {
    await nodeFs.mkdir(dir);
  },
  rmdir: (dir) => nodeFs.rmdir(dir),
  writeFile: (file, content) => nodeFs.writeFile(file, content, { flag: "wx" }),
  readFile: (file) => nodeFs.readFile(file, "utf8"),
  rename: (from, to) => nodeFs.rename(from, to),
  link: async (existing, newPath) => {
    try {
      await nodeFs.link(existing, newPath);
    } catch (error) {
      // File systems without hard links (some network and FAT mounts): a copy does the same job.
      if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV"].includes((error as NodeJS.ErrnoException).code ?? ""))
        throw error;
      await nodeFs.copyFile(existing, newPath, nodeFs.constants.COPYFILE_EXCL);
    }
  },
  unlink: (file) => nodeFs.unlink(file),
  chmod: (file, mode) => nodeFs.chmod(file, mode),
  mode: async (file) => {
    try {
      return (await nodeFs.stat(file)).mode;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return null;
      throw error;
    }
  },
};
