import { mkdtemp, readdir, readFile, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export async function makeTempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `cpb-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every file and directory below `dir` with content and mode: equal snapshots mean an untouched tree. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const relative = path.relative(dir, full);
      if (entry.isSymbolicLink()) {
        // A link (e.g. node_modules/<pkg> of a workspace) is compared by where it points, never followed.
        snapshot[relative] = `-> ${await readlink(full)}`;
        continue;
      }
      const mode = ((await stat(full)).mode & 0o777).toString(8);
      if (entry.isDirectory()) {
        snapshot[`${relative}/`] = mode;
        await walk(full);
      } else {
        snapshot[relative] = `${mode} ${await readFile(full, "utf8")}`;
      }
    }
  };
  await walk(dir);
  return snapshot;
}
