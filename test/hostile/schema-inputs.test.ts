import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { runMain } from "../helpers/cli.js";
import { useHostileProject } from "./hostile-case.js";
import type { HostileCase } from "./hostile-case.js";

const { runCase, project } = useHostileProject("schema-inputs");

// Tables every case starts from: users <- posts (authorId), notes (userId), and a hand-written table whose
// columns carry explicit SQL names (`title: text("the_title")`).
const LEGACY_TABLE = `import { integer, pgTable, text } from "drizzle-orm/pg-core";

export const legacy = pgTable("legacy", {
  id: integer("id").primaryKey(),
  title: text("the_title"),
});
`;
// Keys without SQL names: drizzle's `casing: "snake_case"` names them (`userName` is "user_name").
const CASED_TABLE = `import { integer, pgTable, text } from "drizzle-orm/pg-core";

export const cased = pgTable("cased", {
  id: integer().primaryKey(),
  userName: text(),
});
`;
beforeAll(async () => {
  const template = project();
  for (const args of [
    ["generate", "schema", "users", "--columns", "email:text:notNull", "--no-migrate"],
    [
      "generate",
      "schema",
      "posts",
      "--columns",
      "authorId:integer:notNull:references=users.id,title:text",
      "--no-migrate",
    ],
    ["generate", "schema", "notes", "--columns", "userId:text", "--no-migrate"],
  ]) {
    const result = await runMain([...args, "--no-install"], template);
    expect(result.exitCode, result.stderr).toBe(0);
  }
  await writeFile(path.join(template, "src/db/schema/legacy.ts"), LEGACY_TABLE);
  const barrel = path.join(template, "src/db/schema/index.ts");
  await writeFile(barrel, `${await readFile(barrel, "utf8")}export * from "./legacy.js";\n`);
});

const schema = (table: string, columns: string, ...extra: string[]): string[] => [
  "generate",
  "schema",
  table,
  "--columns",
  columns,
  ...extra,
  "--no-migrate",
];
const addColumns = (table: string, columns: string): string[] => [
  "generate",
  "schema",
  table,
  "--add-columns",
  columns,
  "--no-migrate",
];
const refused = (name: string, args: string[], message: RegExp): HostileCase => ({ name, args, exitCode: 2, message });
/** A value that fits: previewed (nothing written), and the generated code holds `code`. */
const accepted = (name: string, args: string[], code: RegExp): HostileCase => ({
  name,
  args: [...args, "--dry-run"],
  exitCode: 0,
  message: code,
});

const SQL_NAMES: HostileCase[] = [
  refused(
    "userId and userID in one table",
    schema("t", "userId:text,userID:text"),
    /"userId" and "userID" would both be the SQL column "user_id"/,
  ),
  refused(
    "case only: fooBar and fooBAR",
    schema("t", "fooBar:text,fooBAR:integer"),
    /both be the SQL column "foo_bar"/,
  ),
  refused("a column and the one --timestamps adds", schema("t", "createdAT:timestamp", "--timestamps"), /"created_at"/),
  refused(
    "a column and the one --soft-delete adds",
    schema("t", "deletedAT:timestamp", "--soft-delete"),
    /"deleted_at"/,
  ),
  refused(
    "--add-columns against the table's own column",
    addColumns("notes", "userID:text"),
    /"userId" and "userID" would both be the SQL column "user_id"/,
  ),
  refused(
    "--add-columns: two new columns with one SQL name",
    addColumns("notes", "fooBar:text,fooBAR:text"),
    /"foo_bar"/,
  ),
  refused(
    "--add-columns against an explicit SQL name",
    addColumns("legacy", "theTitle:text"),
    /"title" and "theTitle" would both be the SQL column "the_title"/,
  ),
  {
    ...refused(
      "--add-columns against a name the drizzle casing option derives",
      addColumns("cased", "userNAME:text"),
      /"userName" and "userNAME" would both be the SQL column "user_name"/,
    ),
    setup: async (dir) => {
      const config = path.join(dir, "drizzle.config.ts");
      await writeFile(
        config,
        (await readFile(config, "utf8")).replace("strict: true,", 'casing: "snake_case",\n  strict: true,'),
      );
      await writeFile(path.join(dir, "src/db/schema/cased.ts"), CASED_TABLE);
      const barrel = path.join(dir, "src/db/schema/index.ts");
      await writeFile(barrel, `${await readFile(barrel, "utf8")}export * from "./cased.js";\n`);
    },
  },
];

const DEFAULTS: HostileCase[] = [
  refused(
    "integer 0123 (octal)",
    schema("t", "n:integer:default=0123"),
    /Column "n:integer:default=0123": default=0123 is not a number for type integer/,
  ),
  refused("real 00.5 (octal)", schema("t", "r:real:default=00.5"), /Column "r:real:default=00\.5"/),
  refused("smallint 40000", schema("t", "s:smallint:default=40000"), /out of range for smallint \(-32768 to 32767\)/),
  refused("smallint -32769", schema("t", "s:smallint:default=-32769"), /out of range for smallint/),
  refused("integer 99999999999", schema("t", "n:integer:default=99999999999"), /out of range for integer/),
  refused("integer 2147483648", schema("t", "n:integer:default=2147483648"), /out of range for integer/),
  refused("bigint 2^63", schema("t", "b:bigint:default=9223372036854775808"), /out of range for bigint/),
  refused("integer 1e3", schema("t", "n:integer:default=1e3"), /not a number for type integer/),
  refused("integer 0x10", schema("t", "n:integer:default=0x10"), /not a number for type integer/),
  refused("integer 1.5", schema("t", "n:integer:default=1.5"), /not a number for type integer/),
  refused("doublePrecision 1e5", schema("t", "d:doublePrecision:default=1e5"), /not a number for type doublePrecision/),
  refused("varchar(2) abc", schema("t", "v:varchar(2):default=abc"), /is 3 characters, longer than varchar\(2\)/),
  refused("char(1) ab", schema("t", "c:char(1):default=ab"), /longer than char\(1\)/),
  refused("char without a length is char(1)", schema("t", "c:char:default=ab"), /longer than char\(1\)/),
  refused("numeric(3,2) 123.45", schema("t", "m:numeric(3,2):default=123.45"), /does not fit numeric\(3,2\)/),
  refused("numeric(5,2) 1.234", schema("t", "m:numeric(5,2):default=1.234"), /does not fit numeric\(5,2\)/),
  refused("numeric(4) 0.5", schema("t", "m:numeric(4):default=0.5"), /does not fit numeric\(4,0\)/),
  refused("numeric abc", schema("t", "m:numeric:default=abc"), /not a decimal number/),
  refused("boolean 1", schema("t", "b:boolean:default=1"), /must be true or false/),
  refused("boolean TRUE", schema("t", "b:boolean:default=TRUE"), /must be true or false/),
  refused("text with an unclosed quote", schema("t", "t:text:default='draft"), /opens a quote it does not close/),
  refused("jsonb that is not JSON", schema("t", "j:jsonb:default={nope}"), /is not JSON for type jsonb/),
  refused("json cut short", schema("t", 'j:json:default={"a":1'), /is not JSON for type json/),
  refused("uuid now", schema("t", "u:uuid:default=now"), /must be "random" for type uuid/),
  refused("date random", schema("t", "d:date:default=random"), /must be "now" for type date/),
  refused("a default on an array", schema("t", "t:text[]:default=a"), /not supported on arrays/),
  refused("a default with a template-literal character", schema("t", "t:text:default=a$b"), /contains ` \$ or \\/),
  refused(
    "--add-columns with a default out of range",
    addColumns("notes", "n:smallint:default=99999"),
    /out of range for smallint/,
  ),
  accepted(
    "bigint default in bigint mode is a bigint literal",
    schema("t", "b:bigint:notNull:default=5"),
    /bigint\("b", \{ mode: "bigint" \}\)\.notNull\(\)\.default\(5n\)/,
  ),
  accepted("smallint at its minimum", schema("t", "s:smallint:default=-32768"), /\.default\(-32768\)/),
  accepted("numeric(5,2) 123.45 as a string", schema("t", "m:numeric(5,2):default=123.45"), /\.default\("123\.45"\)/),
  accepted("quoted text keeps its comma", schema("t", "t:text:default='hello, world'"), /\.default\("hello, world"\)/),
  accepted(
    "an apostrophe inside an unquoted text default ends at the comma",
    schema("t", "t:text:default=it's,n:integer"),
    /\.default\("it's"\)[\s\S]*n: integer\("n"\)/,
  ),
  refused(
    "a single quote opened after the value started does not swallow the next column",
    schema("t", "t:text:default=it's,n:integer:default=0x1"),
    /Column "n:integer:default=0x1"/,
  ),
  accepted("double-quoted text keeps its colon", schema("t", 't:text:default="a:b"'), /\.default\("a:b"\)/),
  accepted("jsonb with commas and colons", schema("t", 'j:jsonb:default={"a":[1,2]}'), /\.default\(\{"a":\[1,2\]\}\)/),
];

const MODULE_NAMES: HostileCase[] = [
  ...["db", "eq", "dataLoaders", "executors", "databases"].map((table) =>
    refused(
      `table ${table}: its generated repository imports that name`,
      schema(table, "a:text"),
      /its generated repository imports or declares too/,
    ),
  ),
  refused(
    "table newUsers beside users (NewUser twice in the barrel)",
    schema("newUsers", "a:text"),
    /would export `NewUser`, which .*users\.ts exports/,
  ),
  refused("table usersRelations beside users", schema("usersRelations", "a:text"), /would export `usersRelations`/),
  ...[
    "constructor",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
  ].map((column) =>
    refused(`column ${column} (Object.prototype)`, schema("t", `${column}:text`), /member of every object/),
  ),
  refused("table constructor (Object.prototype)", schema("constructor", "a:text"), /member of every object/),
  refused("table toString (Object.prototype)", schema("toString", "a:text"), /member of every object/),
  {
    ...refused(
      "--add-columns foreign key whose parent has a column named like the child table",
      addColumns("notes", "ownerId:integer:references=users.id"),
      /users has a column "notes", and this foreign key would add the relation users\.notes/,
    ),
    setup: async (dir) => {
      const added = await runMain([...addColumns("users", "notes:text"), "--no-install"], dir);
      expect(added.exitCode, added.stderr).toBe(0);
    },
  },
  refused("--add-columns constructor", addColumns("notes", "constructor:text"), /member of every object/),
  refused(
    "a posts column on users, which has posts: many(posts)",
    addColumns("users", "posts:text"),
    /users has a relation "posts" \(many\(posts\)\)/,
  ),
  refused(
    "an author column on posts, which has author: one(users)",
    addColumns("posts", "author:text"),
    /posts has a relation "author"/,
  ),
  {
    ...refused(
      "a child table whose parent has a column of its name",
      schema("comments", "userId:integer:references=users.id"),
      /users has a column "comments", and this table would add the relation users\.comments/,
    ),
    setup: async (dir) => {
      const added = await runMain([...addColumns("users", "comments:text"), "--no-install"], dir);
      expect(added.exitCode, added.stderr).toBe(0);
    },
  },
  refused(
    "a new table with a column named after a child already pointing at it",
    schema("users", "email:text:notNull,posts:text"),
    /posts references users, so users has a relation "posts"/,
  ),
];

const INDEXES_AND_ADDED: HostileCase[] = [
  refused(
    "integer compared with a string",
    schema("t", "n:integer", "--partial-index", "n where n = 'abc'"),
    /'abc' is not a number for the integer column n/,
  ),
  refused(
    "text compared with a number",
    schema("t", "s:text", "--partial-index", "s where s > 5"),
    /5 is not a 'quoted' value for the text column s/,
  ),
  refused(
    "boolean compared with a number",
    schema("t", "b:boolean", "--partial-index", "b where b = 1"),
    /1 is not true or false/,
  ),
  refused(
    "uuid compared with a non-uuid",
    schema("t", "u:uuid", "--partial-index", "u where u = 'x'"),
    /is not a uuid/,
  ),
  refused(
    "timestamp compared with a non-date",
    schema("t", "d:timestamp", "--partial-index", "d where d > 'yesterday'"),
    /is not a date/,
  ),
  refused(
    "an array compared with a literal",
    schema("t", "tags:text[]", "--partial-index", "tags where tags = 'a'"),
    /compare it with IS \[NOT\] NULL only/,
  ),
  refused(
    "IN list of strings on an integer",
    schema("t", "n:integer", "--partial-index", "n where n in ('a', 'b')"),
    /'a' is not a number/,
  ),
  refused(
    "id compared with a string",
    schema("t", "n:integer", "--partial-index", "n where id = 'x'"),
    /not a number for the integer column id/,
  ),
  accepted(
    "a number on an integer column",
    schema("t", "n:integer", "--partial-index", "n where n > 5"),
    /n_partial_idx/,
  ),
  refused(
    "--add-columns notNull without a default",
    addColumns("notes", "age:integer:notNull"),
    /age is notNull without a default, so ADD COLUMN fails on a table that has rows/,
  ),
  refused(
    "--add-columns notNull foreign key without a default",
    addColumns("notes", "ownerId:integer:notNull:references=users.id"),
    /without a default/,
  ),
  accepted(
    "--add-columns notNull with a default",
    addColumns("notes", "age:integer:notNull:default=0"),
    /age: integer\("age"\)\.notNull\(\)\.default\(0\)/,
  ),
];

// categories.children is a self-reference: each level adds "_children" (9 bytes) to Drizzle's subquery alias.
const withCategories = async (dir: string): Promise<void> => {
  const added = await runMain(
    [...schema("categories", "name:text:notNull,parentId:integer:references=categories.id"), "--no-install"],
    dir,
  );
  expect(added.exitCode, added.stderr).toBe(0);
};
const childrenPath = (depth: number): string => Array.from({ length: depth }, () => "children").join(".");
const DEEP_WITH: HostileCase[] = [
  {
    ...refused(
      "--with children x6: a 64-byte alias",
      ["generate", "repository", "categories", "--with", childrenPath(6)],
      /alias "categories(_children){6}" is 64 bytes; PostgreSQL cuts identifiers at 63 bytes/,
    ),
    setup: withCategories,
  },
  {
    ...refused(
      "--with children x10, named at its first level past the limit",
      ["generate", "repository", "categories", "--with", childrenPath(10)],
      new RegExp(`--with ${childrenPath(10)}: at ${childrenPath(6)} SQL alias`),
    ),
    setup: withCategories,
  },
  {
    ...accepted(
      "--with children x5: a 55-byte alias",
      ["generate", "repository", "categories", "--with", childrenPath(5)],
      /categories-repository\.ts/,
    ),
    setup: withCategories,
  },
];

describe.each([
  ["SQL names", SQL_NAMES],
  ["defaults", DEFAULTS],
  ["names in generated modules", MODULE_NAMES],
  ["partial indexes and --add-columns", INDEXES_AND_ADDED],
  ["deep --with", DEEP_WITH],
])("hostile schema input: %s", (_label, cases) => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase({ ...testCase, args: [...testCase.args, "--no-install"] });
  });
});
