import { vi } from "vitest";

import { createTypedRuleTester } from "../../../test/helpers/rule-tester.js";
import { fkNeedsIndex } from "./fk-needs-index.js";

const PRELUDE = `import { foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: integer().primaryKey(), name: text() });
`;

// The first case builds the type program (issue 25: 20 s is not enough on a loaded machine); later cases reuse it.
const TYPED_SPEC_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: TYPED_SPEC_TIMEOUT_MS });

createTypedRuleTester().run("fk-needs-index", fkNeedsIndex, {
  valid: [
    `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer("author_id").references(() => users.id) }, (table) => [index("posts_author_id_idx").on(table.authorId)]);`,
    // A composite index led by the foreign key.
    `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), createdAt: integer() }, (t) => [index("p").on(t.authorId, t.createdAt)]);`,
    // A unique index counts.
    `${PRELUDE}export const profiles = pgTable("profiles", { id: integer().primaryKey(), userId: integer().references(() => users.id) }, (t) => [uniqueIndex("u").on(t.userId)]);`,
    // A one-to-one column that is unique itself.
    `${PRELUDE}export const profiles = pgTable("profiles", { id: integer().primaryKey(), userId: integer().unique().references(() => users.id) });`,
    // A join table whose primary key starts with the reference... and an index for the second one.
    `${PRELUDE}export const tags = pgTable("tags", { id: integer().primaryKey() });
export const userTags = pgTable("user_tags", { userId: integer().notNull().references(() => users.id), tagId: integer().notNull().references(() => tags.id) }, (t) => [primaryKey({ columns: [t.userId, t.tagId] }), index("user_tags_tag_id_idx").on(t.tagId)]);`,
    // A table-level foreign key with its index.
    `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer() }, (t) => [foreignKey({ columns: [t.authorId], foreignColumns: [users.id] }), index("x").on(t.authorId)]);`,
    // As drizzle-kit pull writes it: the index column with its order, null placement and operator class.
    `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer() }, (table) => [index("posts_author_id_idx").using("btree", table.authorId.asc().nullsLast().op("int4_ops")), foreignKey({ columns: [table.authorId], foreignColumns: [users.id], name: "posts_author_id_fk" })]);`,
  ],
  invalid: [
    {
      code: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer("author_id").references(() => users.id) });`,
      output: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer("author_id").references(() => users.id) },\n  (table) => [index("posts_author_id_idx").on(table.authorId)]);`,
      errors: [
        {
          messageId: "foreignKeyWithoutIndex",
          data: { column: "authorId", table: "posts" },
          suggestions: [
            {
              messageId: "addIndex",
              output: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer("author_id").references(() => users.id) },\n  (table) => [index("posts_author_id_idx").on(table.authorId)]);`,
            },
          ],
        },
      ],
    },
    {
      // The index leads with another column.
      code: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), createdAt: integer() }, (t) => [index("p").on(t.createdAt, t.authorId)]);`,
      output: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), createdAt: integer() }, (t) => [index("p").on(t.createdAt, t.authorId), index("posts_author_id_idx").on(t.authorId)]);`,
      errors: [
        {
          messageId: "foreignKeyWithoutIndex",
          suggestions: [
            {
              messageId: "addIndex",
              output: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), createdAt: integer() }, (t) => [index("p").on(t.createdAt, t.authorId), index("posts_author_id_idx").on(t.authorId)]);`,
            },
          ],
        },
      ],
    },
    {
      // Join table: the second reference has no index of its own.
      code: `${PRELUDE}export const tags = pgTable("tags", { id: integer().primaryKey() });
export const userTags = pgTable("user_tags", { userId: integer().notNull().references(() => users.id), tagId: integer().notNull().references(() => tags.id) }, (t) => [primaryKey({ columns: [t.userId, t.tagId] })]);`,
      output: `${PRELUDE}export const tags = pgTable("tags", { id: integer().primaryKey() });
export const userTags = pgTable("user_tags", { userId: integer().notNull().references(() => users.id), tagId: integer().notNull().references(() => tags.id) }, (t) => [primaryKey({ columns: [t.userId, t.tagId] }), index("user_tags_tag_id_idx").on(t.tagId)]);`,
      errors: [
        {
          messageId: "foreignKeyWithoutIndex",
          data: { column: "tagId", table: "user_tags" },
          suggestions: [
            {
              messageId: "addIndex",
              output: `${PRELUDE}export const tags = pgTable("tags", { id: integer().primaryKey() });
export const userTags = pgTable("user_tags", { userId: integer().notNull().references(() => users.id), tagId: integer().notNull().references(() => tags.id) }, (t) => [primaryKey({ columns: [t.userId, t.tagId] }), index("user_tags_tag_id_idx").on(t.tagId)]);`,
            },
          ],
        },
      ],
    },
    {
      code: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer() }, (t) => [foreignKey({ columns: [t.authorId], foreignColumns: [users.id] })]);`,
      output: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer() }, (t) => [foreignKey({ columns: [t.authorId], foreignColumns: [users.id] }), index("posts_author_id_idx").on(t.authorId)]);`,
      errors: [
        {
          messageId: "foreignKeyWithoutIndex",
          data: { column: "authorId", table: "posts" },
          suggestions: [
            {
              messageId: "addIndex",
              output: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer() }, (t) => [foreignKey({ columns: [t.authorId], foreignColumns: [users.id] }), index("posts_author_id_idx").on(t.authorId)]);`,
            },
          ],
        },
      ],
    },
    {
      // Two references without an index: one fix per pass, nothing else in the table changes.
      code: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), editorId: integer("editor").references(() => users.id) }, (t) => [index("p").on(t.id)]);`,
      output: [
        `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), editorId: integer("editor").references(() => users.id) }, (t) => [index("p").on(t.id), index("posts_author_id_idx").on(t.authorId)]);`,
        `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), editorId: integer("editor").references(() => users.id) }, (t) => [index("p").on(t.id), index("posts_author_id_idx").on(t.authorId), index("posts_editor_idx").on(t.editorId)]);`,
      ],
      errors: [
        {
          messageId: "foreignKeyWithoutIndex",
          data: { column: "authorId", table: "posts" },
          suggestions: [
            {
              messageId: "addIndex",
              output: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), editorId: integer("editor").references(() => users.id) }, (t) => [index("p").on(t.id), index("posts_author_id_idx").on(t.authorId)]);`,
            },
          ],
        },
        {
          messageId: "foreignKeyWithoutIndex",
          data: { column: "editorId", table: "posts" },
          suggestions: [
            {
              messageId: "addIndex",
              output: `${PRELUDE}export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id), editorId: integer("editor").references(() => users.id) }, (t) => [index("p").on(t.id), index("posts_editor_idx").on(t.editorId)]);`,
            },
          ],
        },
      ],
    },
    {
      // index is not imported yet: the suggestion adds it to the pg-core import.
      code: `import { integer, pgTable } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: integer().primaryKey() });
export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id) }, (t) => []);`,
      output: `import { integer, pgTable, index } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: integer().primaryKey() });
export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id) }, (t) => [index("posts_author_id_idx").on(t.authorId)]);`,
      errors: [
        {
          messageId: "foreignKeyWithoutIndex",
          suggestions: [
            {
              messageId: "addIndex",
              output: `import { integer, pgTable, index } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: integer().primaryKey() });
export const posts = pgTable("posts", { id: integer().primaryKey(), authorId: integer().references(() => users.id) }, (t) => [index("posts_author_id_idx").on(t.authorId)]);`,
            },
          ],
        },
      ],
    },
  ],
});
