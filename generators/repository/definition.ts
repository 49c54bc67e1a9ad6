import { defineGenerator, readProjectSchema, requireProject } from "../../src/devkit/declare.js";
import type { AskFunction, GeneratorContext, OptionValues, RawInput } from "../../src/devkit/declare.js";
import type { RepositoryOptions } from "./generator.js";

export const REPOSITORY_HELP = `The table and its relations are read from the schema files (layout.db.schemaDir in perf-backend.json).
--with takes relation names as declared in relations(), dotted for nested ones: --with posts,posts.comments
(posts.comments implies posts). Output: <repositoriesDir>/<table>-repository.ts with find<Entity>ById and
list<Entities>({ limit, cursor }) (one statement however deep the with, keyset pagination), create/update/delete,
create<Entity>Loader() (DataLoader: one inArray query per tick) and a test that counts the SQL statements.

Example:
  generate repository users --with posts.comments`;

const PATH_PATTERN = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;
const TABLE_NAME = /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?$/;

// The table and relation choices need the parsed schema (async): they are asked in the dialogue.
const REPOSITORY_OPTIONS = {
  name: {
    kind: "string",
    positional: true,
    required: true,
    placeholder: "table",
    description:
      "the entity's table: export or SQL name, any case, plural or singular (users, UserTable, user_accounts)",
    validate: (value: string) =>
      TABLE_NAME.test(value)
        ? undefined
        : `"${value}" is not a table name (letters, digits, _ and ., e.g. users or app.users).`,
  },
  with: {
    kind: "list",
    placeholder: "relations",
    description: "relations to eager-load, comma-separated, dotted for nested (posts,posts.comments)",
    validate: (value: string) =>
      PATH_PATTERN.test(value)
        ? undefined
        : `--with: "${value}" is not a relation path (relation or relation.nested, e.g. posts.comments).`,
  },
  cascade: {
    kind: "list",
    placeholder: "tables",
    description:
      "tables whose rows referencing the entity its delete removes too, in one transaction (default none: deleting a row other rows still reference is refused)",
    validate: (value: string) =>
      TABLE_NAME.test(value) ? undefined : `--cascade: "${value}" is not a table name (e.g. --cascade posts,comments).`,
  },
} as const;

/** Syntax only: whether the table and relations exist is checked against the schema files by the generator. */
export function normalizeRepositoryOptions(
  values: OptionValues<typeof REPOSITORY_OPTIONS>,
  context: GeneratorContext,
): RepositoryOptions {
  const { layout, packageManager } = requireProject(context);
  // Any spelling the schema uses (export or SQL name, `UserTable`, `tbl_users`): it is looked up, not derived.
  return {
    table: values.name,
    with: [...new Set(values.with)],
    cascade: [...new Set(values.cascade)],
    layout,
    packageManager,
  };
}

/**
 * Table, then relations to eager-load, both READ FROM THE PROJECT'S SCHEMA files (ts-morph, schema
 * directory only), so the user picks from what exists.
 */
async function chooseTableAndRelations(
  ask: AskFunction,
  given: RawInput,
  context: GeneratorContext,
): Promise<RawInput> {
  const { layout } = requireProject(context);
  const model = await readProjectSchema(context.tree, layout);
  const schema = model.tables;
  let table = typeof given.name === "string" && given.name.trim() !== "" ? given.name.trim() : undefined;
  if (table === undefined) {
    const answers = await ask([
      {
        type: "select",
        name: "name",
        message: "Repository for which table?",
        choices: [...schema.keys()].map((name) => ({ title: name, value: name })),
        flag: "the table argument (generate repository <table>)",
        required: true,
      },
    ]);
    table = String(answers.name);
  }
  if (given.with !== undefined) return { name: table };
  const { requireTable, withChoices } = await import("./relation-paths.js");
  const choices = withChoices(schema, requireTable(model, table, layout.db.schemaDir).tableVar);
  if (choices.length === 0) return { name: table, with: [] };
  const answers = await ask([
    {
      type: "multiselect",
      name: "with",
      message: "Relations to eager-load (one SQL statement however deep)",
      choices: choices.map((choice) => ({ title: choice, value: choice })),
      flag: "--with <relations>",
      required: false,
    },
  ]);
  return { name: table, with: Array.isArray(answers.with) ? answers.with.map(String) : [] };
}

export const repositoryDefinition = defineGenerator({
  name: "repository",
  description: "data access without N+1: eager reads, keyset pagination, a DataLoader, a statement-counting test",
  help: REPOSITORY_HELP,
  project: "required",
  options: REPOSITORY_OPTIONS,
  interact: chooseTableAndRelations,
  normalize: normalizeRepositoryOptions,
  // Loaded by the run that uses it: each generator is its own chunk of the bundle.
  generate: async (tree, options) => (await import("./generator.js")).repositoryGenerator(tree, options),
});
