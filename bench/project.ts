import { copyFile, mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { run } from "./processes.js";
import { execute } from "./services.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI = path.join(REPO_ROOT, "bin/create-perf-backend.js");
export const PROJECT_NAME = "demo";
export const MEASURE_SCRIPT = "bench-measure.ts";
export const PLOP_RUN_SCRIPT = "bench-plop-run.js";
export const COHERENCE_SCRIPT = "bench-coherence.ts";

const IN_PROJECT_DIR = path.join(REPO_ROOT, "bench/in-project");
const SEED_USERS = 300;
const SEED_POSTS_PER_USER = 5;
const SEED_COMMENTS_PER_POST = 3;
export const SEED_ROWS = SEED_USERS * (1 + SEED_POSTS_PER_USER * (1 + SEED_COMMENTS_PER_POST));

// Three related tables, as a team would declare them with the generator.
export const GENERATE_STEPS: string[][] = [
  [
    "schema",
    "users",
    "--columns",
    "email:text:notNull,name:text:notNull",
    "--unique",
    "email",
    "--timestamps",
    "--no-migrate",
  ],
  [
    "schema",
    "posts",
    "--columns",
    "authorId:integer:notNull:references=users.id,title:varchar(255):notNull,status:text:notNull:default=draft",
    "--timestamps",
    "--no-migrate",
  ],
  ["schema", "comments", "--columns", "postId:integer:notNull:references=posts.id,body:text:notNull", "--no-migrate"],
  ["repository", "users", "--with", "posts.comments"],
  ["cache", "user-profile", "--ttl", "300", "--repository", "user"],
  ["worker", "hash-password", "--max-threads", "2"],
];
// The queue rows (bench/queue-scale-out.ts) run the built worker-process entry of this one.
export const QUEUE_WORKER_STEP = ["worker", "render-report", "--queue"];

// The repository generator installs dataloader itself; the bench installs once, offline-first, afterwards.
export const SKIP_GENERATOR_INSTALL = { npm_config_dry_run: "true" };
export const INSTALL_ARGS = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

export function runCli(args: string[], cwd: string, env: Record<string, string> = {}) {
  return run(process.execPath, [CLI, ...args], { cwd, env });
}

/** Scaffolds the project with the built CLI and generates its modules; nothing installed. */
async function scaffoldProject(
  workDir: string,
  steps: readonly string[][] = [...GENERATE_STEPS, QUEUE_WORKER_STEP],
): Promise<string> {
  await runCli([PROJECT_NAME, "--yes", "--no-install", "--no-git"], workDir);
  const project = path.join(workDir, PROJECT_NAME);
  for (const step of steps) await runCli(["generate", ...step], project, SKIP_GENERATOR_INSTALL);
  return project;
}

/** Scaffolds the project with the built CLI, generates its modules, installs and copies the bench scripts in. */
export async function buildProject(workDir: string): Promise<string> {
  const project = await scaffoldProject(workDir);
  await run("npm", INSTALL_ARGS, { cwd: project });
  await run("npm", ["run", "build"], { cwd: project });
  await copyFile(path.join(IN_PROJECT_DIR, "measure-generated-code.ts"), path.join(project, MEASURE_SCRIPT));
  await copyFile(path.join(IN_PROJECT_DIR, "plop-run.js"), path.join(project, PLOP_RUN_SCRIPT));
  await copyFile(path.join(IN_PROJECT_DIR, "measure-coherence.ts"), path.join(project, COHERENCE_SCRIPT));
  return project;
}

/** drizzle-kit generate + migrate through the project's own scripts, then a few thousand related rows. */
export async function migrateAndSeed(project: string, databaseUrl: string): Promise<void> {
  const env = { DATABASE_URL: databaseUrl };
  const generated = await run("npm", ["run", "db:generate"], { cwd: project, env });
  // drizzle-kit can print an error and still exit 0: judge it by its output.
  if (!generated.stdout.includes("migration file"))
    throw new Error(`drizzle-kit generate wrote no migration:\n${generated.stdout}\n${generated.stderr}`);
  await run("npm", ["run", "db:migrate"], { cwd: project, env });
  await execute(
    databaseUrl,
    `insert into users (email, name) select 'user' || g || '@example.com', 'User ' || g from generate_series(1, ${String(SEED_USERS)}) g;
     insert into posts (author_id, title) select u.id, 'Post ' || p || ' by ' || u.id from users u cross join generate_series(1, ${String(SEED_POSTS_PER_USER)}) p;
     insert into comments (post_id, body) select p.id, 'Comment ' || c || ' on post ' || p.id from posts p cross join generate_series(1, ${String(SEED_COMMENTS_PER_POST)}) c;
     analyze;`,
  );
}

const LEGACY_DIRECTORIES = 50;
const LEGACY_FILES_PER_DIRECTORY = 100;
export const LEGACY_FILE_COUNT = LEGACY_DIRECTORIES * LEGACY_FILES_PER_DIRECTORY;
export const legacyFileCount = (directories: number): number => directories * LEGACY_FILES_PER_DIRECTORY;

function legacyModule(directory: number, file: number): string {
  const previous =
    file === 0
      ? ""
      : `import { legacy${String(directory)}x${String(file - 1)} } from "./module-${String(file - 1)}.js";\n`;
  const name = `legacy${String(directory)}x${String(file)}`;
  return `${previous}
export interface Legacy${String(directory)}x${String(file)}Record {
  id: number;
  label: string;
  tags: string[];
}

export function ${name}(input: Legacy${String(directory)}x${String(file)}Record): string {
  const tags = input.tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0);
  return \`\${String(input.id)}:\${input.label}:\${tags.join(",")}\`;
}
${file === 0 ? "" : `\nexport const chained${String(file)} = ${`legacy${String(directory)}x${String(file - 1)}`};\n`}`;
}

/** A synthetic legacy tree of 5,000 TypeScript files (a large existing repo the generators must not load). */
export async function writeLegacyTree(root: string, directories = LEGACY_DIRECTORIES): Promise<void> {
  for (let directory = 0; directory < directories; directory += 1) {
    const folder = path.join(root, `area-${String(directory)}`);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      Array.from({ length: LEGACY_FILES_PER_DIRECTORY }, (_, file) =>
        writeFile(path.join(folder, `module-${String(file)}.ts`), legacyModule(directory, file)),
      ),
    );
  }
}

/**
 * The smoke's project: scaffolded and generated like the bench's, but not installed (the install is most of a
 * minute). The tool rows need only node-plop and this tool, linked from this checkout into a node_modules
 * above the project, where Node's resolution finds them.
 */
export async function smokeProject(workDir: string): Promise<string> {
  // The tables and the users repository (which adds dataloader): what the tool rows generate against.
  const project = await scaffoldProject(
    workDir,
    GENERATE_STEPS.filter(([generator]) => generator === "schema" || generator === "repository"),
  );
  const modules = path.join(workDir, "node_modules");
  await mkdir(modules, { recursive: true });
  await symlink(path.join(REPO_ROOT, "node_modules/node-plop"), path.join(modules, "node-plop"), "dir");
  await symlink(REPO_ROOT, path.join(modules, "create-perf-backend"), "dir");
  await copyFile(path.join(IN_PROJECT_DIR, "plop-run.js"), path.join(project, PLOP_RUN_SCRIPT));
  return project;
}
