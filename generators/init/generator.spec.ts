import { describe, expect, it } from "vitest";

import type { ProjectLayout } from "../../src/devkit/index.js";
import { REPO_SHAPES } from "../../test/fixtures/repo-shapes.js";
import type { RepoShape } from "../../test/fixtures/repo-shapes.js";
import { createBaseProject, runGenerator } from "../testing.js";

/** A shape's files as seen from the package init runs in (the virtual workspace is that package). */
function packageFiles(shape: RepoShape): Record<string, string> {
  const prefix = shape.packageDir === "." ? "" : `${shape.packageDir}/`;
  return Object.fromEntries(
    Object.entries(shape.files)
      .filter(([file]) => file.startsWith(prefix))
      .map(([file, content]) => [file.slice(prefix.length), content]),
  );
}

const layoutOf = (files: Record<string, string>): ProjectLayout =>
  (JSON.parse(files["perf-backend.json"] ?? "{}") as { layout: ProjectLayout }).layout;

describe("init on virtual repos of every shape", () => {
  it.each(REPO_SHAPES.map((shape) => [shape.name, shape] as const))(
    "%s: detects the layout and records it",
    async (_name, shape) => {
      const run = await runGenerator("init", { toolSpec: "^0.1.0" }, packageFiles(shape));
      const layout = layoutOf(run.files);
      const { expected } = shape;
      expect(layout.srcDir).toBe(expected.srcDir);
      expect(layout.importStyle).toBe(expected.importStyle);
      expect(layout.moduleSystem ?? "esm").toBe(expected.moduleSystem);
      expect(layout.aliases ?? []).toEqual(expected.aliases);
      expect(layout.db.driver ?? "node-postgres").toBe(expected.driver);
      expect(layout.db.schemaBarrel).toBe(expected.schemaBarrel);
      expect(layout.db.tableFactory?.exportName).toBe(expected.tableFactory);
      // Nothing the repo owned is replaced: every write is a new file, or an edit of package.json / a barrel.
      const replaced = run.result.plan.entries.filter(
        (entry) => entry.write && entry.before !== null && entry.kind === "generate",
      );
      expect(replaced.map((entry) => entry.path)).toEqual([]);
    },
  );

  it("plans nothing on a second run over its own output", async () => {
    for (const shape of REPO_SHAPES.filter((candidate) => candidate.packageDir === ".")) {
      const first = await runGenerator("init", { toolSpec: "^0.1.0" }, packageFiles(shape));
      const second = await runGenerator("init", { toolSpec: "^0.1.0" }, first.files);
      expect(
        second.result.plan.entries
          .filter((entry) => entry.action !== "unchanged")
          .map((entry) => `${shape.name}: ${entry.path}`),
      ).toEqual([]);
    }
  });

  // The first run decides testsDir from the build (it would emit colocated tests), the second finds test/ itself:
  // the same layout, which used to be written with testsDir moved to another place in perf-backend.json.
  it("plans nothing on a second run where the first placed tests in test/ because the build emits them", async () => {
    const [shape] = REPO_SHAPES;
    if (!shape) throw new Error("no repo shapes");
    const emitting = {
      ...packageFiles(shape),
      "tsconfig.json":
        '{ "compilerOptions": { "strict": true, "outDir": "dist", "module": "NodeNext" }, "include": ["src"] }\n',
    };
    const first = await runGenerator("init", { toolSpec: "^0.1.0" }, emitting);
    expect(layoutOf(first.files).testsDir).toBe("test");
    const second = await runGenerator("init", { toolSpec: "^0.1.0" }, first.files);
    expect(
      second.result.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path),
    ).toEqual([]);
    expect(second.files["perf-backend.json"]).toBe(first.files["perf-backend.json"]);
  });

  // create records the layout without the fields whose default it uses, and lints the whole project.
  it("plans nothing over a project create made: perf-backend.json and eslint.config.js stay byte-identical", async () => {
    const created = await createBaseProject();
    const again = await runGenerator("init", { toolSpec: "^0.1.0" }, created);
    expect(
      again.result.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path),
    ).toEqual([]);
    for (const file of ["perf-backend.json", "eslint.config.js"]) expect(again.files[file], file).toBe(created[file]);
  });

  // Issue 22 item 9: no drizzle config, no client given `{ schema }`: the schema where Drizzle's docs put it.
  it("finds a schema kept in src/db/schema.ts without a drizzle config, and a repository over its table works", async () => {
    const [shape] = REPO_SHAPES;
    if (!shape) throw new Error("no repo shapes");
    const table = [
      'import { integer, pgTable, text } from "drizzle-orm/pg-core";',
      "",
      'export const users = pgTable("users", { id: integer("id").primaryKey(), email: text("email").notNull() });',
      "",
    ].join("\n");
    const files = { ...packageFiles(shape), "src/db/schema.ts": table };
    const run = await runGenerator("init", { toolSpec: "^0.1.0" }, files);
    expect(layoutOf(run.files).db.schemaBarrel).toBe("src/db/schema.ts");
    expect(run.files["src/db/schema/index.ts"]).toBeUndefined();
    expect(run.files["src/db/schema.ts"]).toBe(table);
    const repository = await runGenerator("repository", { name: "users" }, run.files);
    expect(repository.files["src/repositories/users-repository.ts"]).toMatch(
      /import \{ users \} from "..\/db\/schema.js";[\s\S]*\.from\(users\)/,
    );
    // A folder of tables (no index yet) is found the same way: its new barrel re-exports them.
    const folder = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { ...packageFiles(shape), "src/db/schema/users.ts": table },
    );
    expect(layoutOf(folder.files).db.schemaBarrel).toBe("src/db/schema/index.ts");
    expect(folder.files["src/db/schema/index.ts"]).toContain("./users");
    // A second init finds the same schema and plans nothing.
    const again = await runGenerator("init", { toolSpec: "^0.1.0" }, run.files);
    expect(
      again.result.plan.entries.filter((entry) => entry.action !== "unchanged").map((entry) => entry.path),
    ).toEqual([]);
  });

  it("gives a module the repo already has a perf- prefix beside it, never replacing the repo's file", async () => {
    const [shape] = REPO_SHAPES;
    if (!shape) throw new Error("no repo shapes");
    const own = "export const pool = 'the repo own module';\n";
    const run = await runGenerator(
      "init",
      { toolSpec: "^0.1.0" },
      { ...packageFiles(shape), "src/db/transaction.ts": own },
    );
    expect(run.files["src/db/transaction.ts"]).toBe(own);
    expect(run.files["src/db/perf-transaction.ts"]).toContain("export async function withTransaction");
    expect(layoutOf(run.files).db.transaction).toBe("src/db/perf-transaction.ts");
  });

  it("refuses a workspace root, a folder without package.json and a bad --pm (exit 2)", async () => {
    const workspace = REPO_SHAPES.find((shape) => shape.name === "pnpm-workspace");
    if (!workspace) throw new Error("no workspace shape");
    await expect(runGenerator("init", {}, workspace.files)).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("workspace root"),
    });
    await expect(runGenerator("init", {}, { "src/index.ts": "" })).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("No package.json"),
    });
    await expect(
      runGenerator("init", { packageManager: "npx" }, packageFiles(REPO_SHAPES[0] as RepoShape)),
    ).rejects.toThrow("--pm must be one of");
  });
});
