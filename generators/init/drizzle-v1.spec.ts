import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { exitCodeFor } from "../../src/core/output/exit-codes.js";
import { DRIZZLE_1_REPO } from "../../test/fixtures/drizzle-1-shapes.js";
import { compileWorkspace } from "../compile-workspace.js";
import { runGenerator } from "../testing.js";
import type { VirtualFiles } from "../testing.js";

// init, three generators and a compile against drizzle-orm 1.0's types.
const COMPILE_TIMEOUT_MS = 300_000;
const INIT = { toolSpec: "^0.1.0" };
const CLIENT = "src/db/client.ts";
const RELATIONS = "src/db/relations.ts";
// What a user runs after init (test/fixtures/drizzle-1-shapes.ts's DRIZZLE_1_JOB, as generator inputs).
const JOB: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ["repository", { name: "teams", with: "quests.logs" }],
  [
    "schema",
    { name: "rewards", columns: "questId:integer:notNull:references=quests.id,points:integer:notNull", migrate: false },
  ],
  ["cache", { name: "team-board", repository: "team", ttl: 60 }],
];

async function refusal(name: string, input: Record<string, unknown>, files: VirtualFiles): Promise<Error> {
  const error = (await runGenerator(name, input, files).catch((caught: unknown) => caught)) as Error;
  expect(error).toBeInstanceOf(Error);
  expect(exitCodeFor(error), error.message).toBe(2);
  return error;
}

/** Every v0 `relations(` call in files the run wrote or changed. */
const v0Relations = (files: VirtualFiles, before: VirtualFiles): string[] =>
  Object.entries(files)
    .filter(([file, text]) => text !== before[file] && /\.ts$/.test(file) && /\brelations\(/.test(text))
    .map(([file]) => file);

describe("init on an existing drizzle-orm 1.0 repo", () => {
  it(
    "emits drizzle({ client, relations }) over the repo's defineRelations; the generators add 1.0 entries; a second run plans nothing; it compiles",
    async () => {
      const init = await runGenerator("init", INIT, DRIZZLE_1_REPO);
      const client = init.read(CLIENT) ?? "";
      expect(client).toContain('import { relations } from "./relations";');
      expect(client).toContain("export const db = drizzle({ client: existingClient, relations });");
      expect(client).not.toMatch(/\bschema\b.*from/);
      expect(init.result.notes.join("\n")).toContain(`over your relations from ${RELATIONS}`);
      // The repo's own drizzle-kit (1.0) is kept; the drizzle config is the repo's.
      expect(JSON.parse(init.read("package.json") ?? "{}").devDependencies["drizzle-kit"]).toBe("1.0.0-rc.5");
      let files = init.files;
      expect((await runGenerator("init", INIT, files)).changes).toEqual([]);

      for (const [name, input] of JOB) files = (await runGenerator(name, input, files)).files;
      for (const [name, input] of JOB) expect((await runGenerator(name, input, files)).changes, name).toEqual([]);
      expect((await runGenerator("init", INIT, files)).changes).toEqual([]);
      const relations = files[RELATIONS] ?? "";
      expect(relations).toContain("quest: r.one.quests({ from: r.rewards.questId, to: r.quests.id }),");
      expect(relations).toContain("rewards: r.many.rewards(),");
      expect(v0Relations(files, DRIZZLE_1_REPO)).toEqual([]);
      const repository = files["src/repositories/teams-repository.ts"] ?? "";
      expect(repository).toMatch(/\bquests: sql</);
      expect(await compileWorkspace(files)).toEqual([]);
    },
    COMPILE_TIMEOUT_MS,
  );

  it("over the repo's own pool (no importable db): the base client imports the repo's export under the name relations", async () => {
    const files = {
      ...DRIZZLE_1_REPO,
      [RELATIONS]: (DRIZZLE_1_REPO[RELATIONS] ?? "").replace(
        "export const relations =",
        "export const guildRelations =",
      ),
      "src/db/index.ts":
        'import { Pool } from "pg";\n\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n',
      "src/teams.ts": "export {};\n",
    };
    const init = await runGenerator("init", INIT, files);
    const client = init.read(CLIENT) ?? "";
    expect(client).toContain('import { guildRelations as relations } from "./relations";');
    expect(client).toContain("return drizzle({ client: pool, relations, logger: logger ?? false });");
    expect((await runGenerator("init", INIT, init.files)).changes).toEqual([]);
  });

  it("a 1.0 repo with tables only gets its defineRelations beside the schema; generators fill it; a second init keeps it", async () => {
    const tablesOnly = {
      ...DRIZZLE_1_REPO,
      "src/db/index.ts":
        'import { drizzle } from "drizzle-orm/node-postgres";\n\nexport const db = drizzle(process.env.DATABASE_URL ?? "");\n',
      "src/teams.ts": "export {};\n",
    };
    delete (tablesOnly as Record<string, string>)[RELATIONS];
    const init = await runGenerator("init", INIT, tablesOnly);
    expect(init.read(RELATIONS)).toContain('import * as schema from "./schema";');
    expect(init.read(RELATIONS)).toContain("export const relations = defineRelations(schema, () => ({}));");
    expect(init.read(CLIENT)).toContain('import { relations } from "./relations";');
    // The relations come from the foreign keys (named after the tables), added to the placed defineRelations.
    const files = (await runGenerator("repository", { name: "teams", with: "quests.questLogs" }, init.files)).files;
    expect(files[RELATIONS]).toContain("quests: r.many.quests(),");
    expect(files[RELATIONS]).toContain("questLogs: r.many.questLogs(),");
    expect((await runGenerator("init", INIT, files)).changes).toEqual([]);
  });

  it("refuses what it cannot serve (exit 2, naming it): a defineRelations that is not exported, v0 relations() beside 1.0", async () => {
    const notExported = await refusal("init", INIT, {
      ...DRIZZLE_1_REPO,
      "src/db/index.ts": (DRIZZLE_1_REPO["src/db/index.ts"] ?? "").replace("import { relations }", "import relations"),
      [RELATIONS]:
        (DRIZZLE_1_REPO[RELATIONS] ?? "").replace("export const relations =", "const relations =") +
        "export default relations;\n",
    });
    expect(notExported.message).toMatch(
      /^This repo is on drizzle-orm 1\.0 \(relational queries v2\), and src\/db\/relations\.ts:5 calls defineRelations, but not as an exported const/,
    );
    const mixed = await refusal("init", INIT, {
      ...DRIZZLE_1_REPO,
      "src/db/schema.ts": `${DRIZZLE_1_REPO["src/db/schema.ts"] ?? ""}\nimport { relations } from "drizzle-orm";\n\nexport const questsV0 = relations(quests, ({ one }) => ({ team: one(teams, { fields: [quests.teamId], references: [teams.id] }) }));\n`,
    });
    expect(mixed.message).toMatch(
      /^src\/db\/schema\.ts:\d+ uses v0 relations\(\), but this project's drizzle-orm is 1\.0\.0-rc\.5/,
    );
  });

  it("repository --with through a .through() many-to-many (either side) or a where relation: exit 2 naming the relation", async () => {
    const files = (await runGenerator("init", INIT, DRIZZLE_1_REPO)).files;
    const cases: Array<[string, string, RegExp]> = [
      ["members", "teams", /relation "teams" of members is a many-to-many through teamMembers \(\.through\(\)\)/],
      [
        "teams",
        "members",
        /relation "members" of teams is the other side of members\.teams, a many-to-many through teamMembers/,
      ],
      ["teams", "openQuests", /relation "openQuests" of teams filters its rows \(where: \{ archived: false \}\)/],
      ["questLogs", "member.teams", /relation "teams" of questLogs\.member \(table members\) is a many-to-many/],
    ];
    for (const [table, withPath, message] of cases)
      expect((await refusal("repository", { name: table, with: withPath }, files)).message).toMatch(message);
  });

  it("an app over a workspace db package on drizzle-orm 1.0: exit 2 naming the package (its relations live there)", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "cpb-init-v1-workspace-"));
    const app = {
      "package.json": `${JSON.stringify({ name: "@guild/api", private: true, type: "module", dependencies: { "@guild/db": "workspace:*" } })}\n`,
      "tsconfig.json": `${JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", target: "ES2022" }, include: ["src"] })}\n`,
      "src/index.ts": 'import { db } from "@guild/db";\n\nexport const database = db;\n',
    };
    const files: Record<string, string> = {
      "package.json": `${JSON.stringify({ name: "guild", private: true })}\n`,
      "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
      "packages/db/package.json": `${JSON.stringify({ name: "@guild/db", private: true, type: "module", exports: { ".": "./src/index.ts" }, dependencies: { "drizzle-orm": "1.0.0-rc.5", pg: "8.16.3" } })}\n`,
      "packages/db/src/index.ts":
        'import { drizzle } from "drizzle-orm/node-postgres";\n\nexport const db = drizzle(process.env.DATABASE_URL ?? "");\n',
      ...Object.fromEntries(Object.entries(app).map(([file, text]) => [`apps/api/${file}`, text])),
    };
    try {
      for (const [file, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), content);
      }
      const error = (await runGenerator("init", INIT, app, {
        cwd: path.join(root, "apps/api"),
        packageManager: "pnpm",
      }).catch((caught: unknown) => caught)) as Error;
      expect(exitCodeFor(error), String(error)).toBe(2);
      expect(error.message).toMatch(
        /^This package is on drizzle-orm 1\.0 and its database comes from the workspace package @guild\/db/,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
