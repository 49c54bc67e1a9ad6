import { defineGenerator } from "../../src/core/generator-definition.js";
import { COLUMN_GRAMMAR } from "./column-spec.js";
import { schemaGenerator } from "./generator.js";
import { normalizeSchemaOptions } from "./options.js";
import type { SchemaOptions } from "./options.js";
import { schemaInteract, schemaQuestions } from "./questions.js";

export const SCHEMA_HELP = `Column spec (--columns): ${COLUMN_GRAMMAR}.
Every table gets \`id\` (integer identity primary key). Every foreign-key column gets an index automatically, and the
referenced table's relations() get a many() for the new table. Index names: <table>_<columns>[_partial|_unique|_gin]_idx.

Examples:
  generate schema users --columns "email:text:notNull,name:text:notNull" --unique email --timestamps
  generate schema posts --columns "authorId:integer:notNull:references=users.id,title:varchar(255):notNull,status:text:notNull:default=draft" \\
    --index status,createdAt --partial-index "createdAt where deletedAt is null" --timestamps --soft-delete
  generate schema comments --columns "postId:integer:notNull:references=posts.id,body:text:notNull,tags:text[]" --gin tags`;

export const schemaDefinition = defineGenerator<SchemaOptions>({
  name: "schema",
  description: "an indexed Drizzle table (src/db/schema/<table>.ts) with relations, then drizzle-kit generate",
  positional: { name: "table", description: "table name, plural camelCase (posts)" },
  flags: [
    { flags: "--columns <spec>", description: "columns, e.g. \"title:varchar(255):notNull,authorId:integer:notNull:references=users.id\"" },
    { flags: "--index <columns>", description: "index on one or more columns, comma-separated (composite)", repeatable: true },
    { flags: "--unique <columns>", description: "unique index on one or more columns", repeatable: true },
    { flags: "--partial-index <spec>", description: "partial index: \"<columns> where <condition>\"", repeatable: true },
    { flags: "--gin <column>", description: "GIN index on an array or jsonb column", repeatable: true },
    { flags: "--timestamps", description: "add createdAt and updatedAt (timestamptz, default now)" },
    { flags: "--soft-delete", description: "add a nullable deletedAt" },
    { flags: "--no-migrate", description: "skip drizzle-kit generate afterwards" },
  ],
  help: SCHEMA_HELP,
  questions: (raw) => schemaQuestions(raw),
  interact: schemaInteract,
  normalize: normalizeSchemaOptions,
  generator: schemaGenerator,
});
