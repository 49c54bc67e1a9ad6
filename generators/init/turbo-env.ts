import type { Tree } from "../../src/devkit/index.js";

/** Turborepo's package configuration: tasks of the root's turbo.json, refined for this package only. */
const PACKAGE_TURBO = "turbo.json";
const ROOT_CONFIG = "//";
// Variables generated code reads by name (process.env["..."]) besides the database URL: the env module, the
// migration helpers and the cache's test database. turbo hashes only declared variables, and eslint-plugin-turbo's
// no-undeclared-env-vars reports the others.
const GENERATED_ENV = ["DATABASE_DIRECT_URL", "REDIS_URL", "NODE_ENV"];
// The tasks that run generated code against the services; the first the root declares gets the variables.
const TEST_TASKS = ["test", "test:perf"];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * In a Turborepo workspace, the variables generated code reads are declared in the package's own turbo.json
 * (`extends: ["//"]`, the root's test task gaining `env`), never in the root's or another package's files: turbo
 * then hashes them and its lint rule accepts them. Returns a note, or null outside Turborepo.
 */
export function declareTurboEnv(
  tree: Tree,
  rootTasks: readonly string[] | null | undefined,
  databaseUrlEnv: string,
): string | null {
  if (!rootTasks) return null;
  const task = TEST_TASKS.find((name) => rootTasks.includes(name));
  const variables = [databaseUrlEnv, ...GENERATED_ENV.filter((name) => name !== databaseUrlEnv)];
  if (!task)
    return `Turborepo: your turbo.json has no test task; declare ${variables.join(", ")} in the env of the task that runs the generated tests (turbo hashes only declared variables).`;
  const text = tree.read(PACKAGE_TURBO);
  let config: Json;
  try {
    const parsed: unknown = text === null ? {} : JSON.parse(text.replace(/^\uFEFF/, ""));
    if (!isObject(parsed)) throw new Error("not an object");
    config = parsed;
  } catch {
    return `Turborepo: ${PACKAGE_TURBO} could not be read as JSON; add ${variables.join(", ")} to the env of its ${task} task.`;
  }
  const before = JSON.stringify(config);
  if (text === null) config["extends"] = [ROOT_CONFIG];
  const tasks = isObject(config["tasks"]) ? config["tasks"] : {};
  const entry = isObject(tasks[task]) ? tasks[task] : {};
  const env = Array.isArray(entry["env"]) ? (entry["env"] as unknown[]) : [];
  entry["env"] = [...env, ...variables.filter((name) => !env.includes(name))];
  tasks[task] = entry;
  config["tasks"] = tasks;
  if (JSON.stringify(config) === before) return null;
  const indent = text === null ? 2 : (/^([ \t]+)"/m.exec(text)?.[1] ?? 2);
  tree.write(PACKAGE_TURBO, `${JSON.stringify(config, null, indent)}\n`, text === null ? {} : { kind: "edit" });
  return `${PACKAGE_TURBO}: the ${task} task declares ${variables.join(", ")} (turbo hashes them; turbo/no-undeclared-env-vars accepts them).`;
}
