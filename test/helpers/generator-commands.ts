/**
 * The generator runs several e2e suites make the same way (users, their posts, the users repository loading posts, a
 * cache and a worker): one spelling, so a flag that changes changes everywhere.
 */

export const USERS_SCHEMA = [
  "generate",
  "schema",
  "users",
  "--columns",
  "email:text:notNull",
  "--unique",
  "email",
  "--no-migrate",
];
/** users with a name and timestamps (the scale-out and schema-repository projects, the hashes baseline). */
export const USERS_WITH_TIMESTAMPS_SCHEMA = [
  "generate",
  "schema",
  "users",
  "--columns",
  "email:text:notNull,name:text:notNull",
  "--unique",
  "email",
  "--timestamps",
  "--no-migrate",
];
export const POSTS_SCHEMA = [
  "generate",
  "schema",
  "posts",
  "--columns",
  "authorId:integer:notNull:references=users.id,title:text:notNull",
  "--no-migrate",
];
export const USERS_REPOSITORY_WITH_POSTS = ["generate", "repository", "users", "--with", "posts", "--no-install"];

/** Every generator on a repo init adapted: two tables, a repository with a `with`, a cache and a worker. */
export const EVERY_GENERATOR = [
  USERS_SCHEMA,
  POSTS_SCHEMA,
  USERS_REPOSITORY_WITH_POSTS,
  ["generate", "cache", "user-profile", "--ttl", "60", "--no-install"],
  ["generate", "worker", "hash-password", "--max-threads", "2", "--no-install"],
];
