import { defineGenerator } from "../../src/core/generator-definition.js";
import { repositoryGenerator } from "./generator.js";
import { normalizeRepositoryOptions } from "./options.js";
import type { RepositoryOptions } from "./options.js";
import { repositoryInteract } from "./questions.js";

export const REPOSITORY_HELP = `The table and its relations are read from the schema files (layout.db.schemaDir in perf-backend.json).
--with takes relation names as declared in relations(), dotted for nested ones: --with posts,posts.comments
(posts.comments implies posts). Output: <repositoriesDir>/<table>-repository.ts with find<Entity>ById and
list<Entities>({ limit, cursor }) (one statement however deep the with, keyset pagination), create/update/delete,
create<Entity>Loader() (DataLoader: one inArray query per tick) and a test that counts the SQL statements.

Example:
  generate repository users --with posts.comments`;

export const repositoryDefinition = defineGenerator<RepositoryOptions>({
  name: "repository",
  description: "data access without N+1: eager reads, keyset pagination, a DataLoader, a statement-counting test",
  positional: { name: "table", description: "the entity's table (users)" },
  flags: [{ flags: "--with <relations>", description: "relations to eager-load, comma-separated, dotted for nested (posts,posts.comments)" }],
  help: REPOSITORY_HELP,
  // The table and relation choices need the parsed schema (async): they are asked in `interact`.
  questions: () => [],
  interact: repositoryInteract,
  normalize: normalizeRepositoryOptions,
  generator: repositoryGenerator,
});
