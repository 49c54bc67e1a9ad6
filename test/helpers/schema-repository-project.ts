import { USERS_WITH_TIMESTAMPS_SCHEMA } from "./generator-commands.js";

/**
 * The project of the schema + repository e2e (users, posts with soft delete, comments, bigint page views, a cache
 * over the users repository): test/e2e/schema-repository.test.ts checks each run of it, and
 * test/e2e/schema-repository-mutations.test.ts builds the same project in a file of its own so that vitest's two
 * workers share the mutation run instead of one worker doing it after the rest.
 */

export const GENERATE_POSTS = [
  "generate",
  "schema",
  "posts",
  "--columns",
  // views: a bigint, which must stay a BigInt end to end.
  "authorId:integer:notNull:references=users.id,title:varchar(255):notNull,views:bigint:notNull,status:text:notNull:default=draft",
  "--index",
  "status,createdAt",
  "--partial-index",
  "createdAt where deletedAt is null",
  "--timestamps",
  "--soft-delete",
  "--no-migrate",
];
// Comments have their own author: a user who commented on someone else's post (the case a --with-only delete misses).
const GENERATE_COMMENTS = [
  "generate",
  "schema",
  "comments",
  "--columns",
  "postId:integer:notNull:references=posts.id,authorId:integer:notNull:references=users.id,body:text:notNull,tags:text[]",
  "--gin",
  "tags",
  "--no-migrate",
];
// A high-volume table keyed by int8 (BigInt ids), and a child whose foreign key is bigint too.
const GENERATE_PAGE_VIEWS = [
  "generate",
  "schema",
  "pageViews",
  "--key",
  "bigint",
  "--columns",
  "userId:integer:notNull:references=users.id,path:text:notNull",
  "--no-migrate",
];
const GENERATE_VIEW_TAGS = [
  "generate",
  "schema",
  "viewTags",
  "--columns",
  "pageViewId:bigint:notNull:references=pageViews.id,label:text:notNull",
  "--no-migrate",
];
export const GENERATE_SCHEMAS = [
  USERS_WITH_TIMESTAMPS_SCHEMA,
  GENERATE_POSTS,
  GENERATE_COMMENTS,
  GENERATE_PAGE_VIEWS,
  GENERATE_VIEW_TAGS,
];
export const GENERATE_REPOSITORY = ["generate", "repository", "users", "--with", "posts.comments"];
// What the tool suggests next, a second eager tree, and a cache over the users repository (the mutation check needs them).
export const MORE_GENERATORS = [
  ["generate", "repository", "comments", "--no-install"],
  ["generate", "repository", "posts", "--with", "comments", "--no-install"],
  ["generate", "cache", "user-profile", "--repository", "user", "--no-install"],
  // BigInt ids end to end: the repository's range check, cursors and loader keys, and a cache keyed by them (it compiles).
  ["generate", "repository", "pageViews", "--with", "viewTags", "--no-install"],
  ["generate", "cache", "page-view-card", "--repository", "pageView", "--no-install"],
];
// --add-columns edits the existing comments table through the AST.
export const ADD_COLUMNS = [
  "generate",
  "schema",
  "comments",
  "--add-columns",
  "edited:boolean:notNull:default=false,score:integer",
  "--no-migrate",
];
// A self-reference and two keys to one table (relationName on both sides).
export const MORE_SCHEMAS = [
  [
    "generate",
    "schema",
    "categories",
    "--columns",
    "name:text:notNull,parentId:integer:references=categories.id",
    "--no-migrate",
  ],
  [
    "generate",
    "schema",
    "reviews",
    "--columns",
    "authorId:integer:notNull:references=users.id,reviewerId:integer:notNull:references=users.id",
    "--no-migrate",
  ],
];
