import { createHash } from "node:crypto";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { REPO_SHAPES, writeShape } from "./fixtures/repo-shapes.js";
import { runMain } from "./helpers/cli.js";
import { makeTempDir, snapshotDir } from "./helpers/temp-dir.js";

// Pinned so package.json does not depend on where this checkout lives.
const TOOL_SPEC = "0.0.0-hash-baseline";
const HASH_LENGTH = 16;

const FEATURES = [
  ["generate", "schema", "users", "--columns", "email:text:notNull,name:text:notNull", "--unique", "email", "--timestamps", "--no-migrate"],
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
  ["generate", "schema", "comments", "--columns", "postId:integer:notNull:references=posts.id,body:text:notNull,tags:text[]", "--gin", "tags", "--no-migrate"],
  ["generate", "repository", "users", "--with", "posts.comments", "--no-install"],
  ["generate", "cache", "user-profile", "--ttl", "300", "--repository", "user", "--no-install"],
  ["generate", "worker", "hash-password", "--max-threads", "2", "--no-install"],
  ["generate", "worker", "render-report", "--queue", "--no-install"],
];

async function run(args: string[], cwd: string): Promise<void> {
  const result = await runMain(args, cwd);
  expect(result.exitCode, `${args.join(" ")}\n${result.stderr}`).toBe(0);
}

/** Path -> short content hash of every file: one line per file keeps a changed template easy to spot. */
async function hashes(dir: string): Promise<Record<string, string>> {
  const snapshot = await snapshotDir(dir);
  return Object.fromEntries(
    Object.entries(snapshot)
      .filter(([file]) => !file.endsWith("/"))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, content]) => [file, createHash("sha256").update(content).digest("hex").slice(0, HASH_LENGTH)]),
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
    await run(["lib", "--yes", "--no-server", "--no-install", "--no-git", "--pm", "npm", "--tool-spec", TOOL_SPEC], root);
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
