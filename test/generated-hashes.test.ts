import { createHash } from "node:crypto";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { REPO_SHAPES, writeShape } from "./fixtures/repo-shapes.js";
import { runMain } from "./helpers/cli.js";
import { USERS_WITH_TIMESTAMPS_SCHEMA } from "./helpers/generator-commands.js";
import { makeTempDir, snapshotDir } from "./helpers/temp-dir.js";

// Pinned so package.json does not depend on where this checkout lives.
const TOOL_SPEC = "0.0.0-hash-baseline";
const HASH_LENGTH = 16;

const FEATURES = [
  USERS_WITH_TIMESTAMPS_SCHEMA,
  [
    "generate",
    "schema",
    "posts",
    "--columns",
    "authorId:integer:notNull:references=users.id,title:varchar(255):notNull,status:text:notNull:default=draft",
    "--index",
    "status,createdAt",
    "--partial-index",
    "createdAt where deletedAt is null",
    "--timestamps",
    "--soft-delete",
    "--no-migrate",
  ],
  [
    "generate",
    "schema",
    "comments",
    "--columns",
    "postId:integer:notNull:references=posts.id,body:text:notNull,tags:text[]",
    "--gin",
    "tags",
    "--no-migrate",
  ],
  ["generate", "repository", "users", "--with", "posts.comments", "--no-install"],
  ["generate", "cache", "user-profile", "--ttl", "300", "--repository", "user", "--no-install"],
  ["generate", "worker", "hash-password", "--max-threads", "2", "--no-install"],
  ["generate", "worker", "render-report", "--queue", "--no-install"],
];

async function run(args: string[], cwd: string): Promise<void> {
  const result = await runMain(args, cwd);
  expect(result.exitCode, `${args.join(" ")}\n${result.stderr}`).toBe(0);
}

// package.json follows the Node line that runs the tool (engines, @types/node; node-target.spec covers that), and
// perf-backend.json records package.json's hash: both are hashed with that line masked, so any Node gives one baseline.
const NODE_LINE = "<node line>";

/** `content` is snapshotDir's `<mode> <text>`. */
function withoutNodeLine(file: string, content: string): string {
  const name = path.posix.basename(file);
  if (name !== "package.json" && name !== "perf-backend.json") return content;
  const modeEnd = content.indexOf(" ");
  const json = JSON.parse(content.slice(modeEnd + 1)) as {
    engines?: { node?: string };
    devDependencies?: Record<string, string>;
    files?: Record<string, string>;
  };
  if (json.engines?.node !== undefined) json.engines.node = NODE_LINE;
  if (json.devDependencies?.["@types/node"] !== undefined) json.devDependencies["@types/node"] = NODE_LINE;
  for (const key of Object.keys(json.files ?? {}))
    if (key.endsWith("package.json") && json.files) json.files[key] = NODE_LINE;
  return `${content.slice(0, modeEnd)} ${JSON.stringify(json, null, 2)}`;
}

/** Path -> short content hash of every file: one line per file keeps a changed template easy to spot. */
async function hashes(dir: string): Promise<Record<string, string>> {
  const snapshot = await snapshotDir(dir);
  return Object.fromEntries(
    Object.entries(snapshot)
      .filter(([file]) => !file.endsWith("/"))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, content]) => [
        file,
        createHash("sha256").update(withoutNodeLine(file, content)).digest("hex").slice(0, HASH_LENGTH),
      ]),
  );
}

// The redesign guard: these scenarios must produce byte-identical files unless a change is deliberate.
describe("generated files of the standard scenarios", () => {
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir: root, cleanup } = await makeTempDir("hashes"));
  });
  afterAll(() => cleanup());

  it("new server project, then schema, repository, cache and worker", async () => {
    await run(["demo", "--yes", "--no-install", "--no-git", "--pm", "npm", "--tool-spec", TOOL_SPEC], root);
    const project = path.join(root, "demo");
    for (const args of FEATURES) await run(args, project);
    expect(await hashes(project)).toMatchSnapshot();
  });

  it("new library project", async () => {
    await run(
      ["lib", "--yes", "--no-server", "--no-install", "--no-git", "--pm", "npm", "--tool-spec", TOOL_SPEC],
      root,
    );
    expect(await hashes(path.join(root, "lib"))).toMatchSnapshot();
  });

  for (const shape of REPO_SHAPES) {
    it(`init on ${shape.name}, then its generators`, async () => {
      const fixture = path.join(root, `init-${shape.name}`);
      const cwd = await writeShape(fixture, shape);
      await run(["init", "--no-install", "--tool-spec", TOOL_SPEC], cwd);
      for (const args of shape.generate) await run(args, cwd);
      expect(await hashes(fixture)).toMatchSnapshot();
    });
  }
});
