import { describe, expect, it } from "vitest";

import { runMain } from "../helpers/cli.js";
import { STACK_TRACE, useHostileProject } from "./hostile-case.js";
import type { HostileCase } from "./hostile-case.js";

const { runCase, project } = useHostileProject("names");

const LONG = "a".repeat(300);

const NAMES: HostileCase[] = [
  { name: "empty cache name", args: ["generate", "cache", ""], exitCode: 2, message: /name is empty/ },
  { name: "reserved word", args: ["generate", "cache", "class"], exitCode: 2, message: /reserved word/ },
  { name: "path-like cache name", args: ["generate", "cache", "../x"], exitCode: 2, message: /looks like a path/ },
  { name: "shell characters", args: ["generate", "cache", "x;rm -rf"], exitCode: 2, message: /characters/ },
  { name: "leading digit", args: ["generate", "cache", "9lives"], exitCode: 2, message: /start with a letter/ },
  { name: "empty worker name", args: ["generate", "worker", ""], exitCode: 2, message: /name is empty/ },
  { name: "path-like worker name", args: ["generate", "worker", "a/b"], exitCode: 2, message: /looks like a path/ },
  {
    name: "absolute path as a name",
    args: ["generate", "worker", "/etc/passwd"],
    exitCode: 2,
    message: /looks like a path/,
  },
  { name: "emoji name", args: ["generate", "cache", "🚀"], exitCode: 2 },
  {
    name: "unknown table for a repository",
    args: ["generate", "repository", "nope"],
    exitCode: 2,
    message: /no table "nope"/,
  },
  { name: "empty table name", args: ["generate", "schema", "", "--columns", "a:text", "--no-migrate"], exitCode: 2 },
  {
    name: "reserved table name",
    args: ["generate", "schema", "delete", "--columns", "a:text", "--no-migrate"],
    exitCode: 2,
  },
];

const SPECS: HostileCase[] = [
  { name: "no columns", args: ["generate", "schema", "users", "--no-migrate"], exitCode: 2, message: /--columns/ },
  {
    name: "column without a type",
    args: ["generate", "schema", "users", "--columns", "email", "--no-migrate"],
    exitCode: 2,
    message: /missing type/,
  },
  {
    name: "unknown type",
    args: ["generate", "schema", "users", "--columns", "email:blob", "--no-migrate"],
    exitCode: 2,
    message: /unknown type "blob"/,
  },
  {
    name: "column without a name",
    args: ["generate", "schema", "users", "--columns", ":text", "--no-migrate"],
    exitCode: 2,
  },
  {
    name: "varchar(0)",
    args: ["generate", "schema", "users", "--columns", "n:varchar(0)", "--no-migrate"],
    exitCode: 2,
    message: /positive/,
  },
  {
    name: "numeric scale above precision",
    args: ["generate", "schema", "users", "--columns", "n:numeric(2,5)", "--no-migrate"],
    exitCode: 2,
    message: /scale/,
  },
  {
    name: "unknown modifier",
    args: ["generate", "schema", "users", "--columns", "a:text:sparkly", "--no-migrate"],
    exitCode: 2,
  },
  {
    name: "reference to a missing table",
    args: ["generate", "schema", "posts", "--columns", "u:integer:references=nope.id", "--no-migrate"],
    exitCode: 2,
  },
  {
    name: "GIN index on a text column",
    args: ["generate", "schema", "users", "--columns", "a:text", "--gin", "a", "--no-migrate"],
    exitCode: 2,
  },
  {
    name: "index on a missing column",
    args: ["generate", "schema", "users", "--columns", "a:text", "--index", "b", "--no-migrate"],
    exitCode: 2,
  },
];

const DEFAULTS: HostileCase[] = [
  {
    name: "integer default that is not a number",
    args: ["generate", "schema", "t", "--columns", "n:integer:default=abc", "--no-migrate"],
    exitCode: 2,
    message: /not a number/,
  },
  {
    name: "boolean default that is not a boolean",
    args: ["generate", "schema", "t", "--columns", "b:boolean:default=maybe", "--no-migrate"],
    exitCode: 2,
  },
  {
    name: "uuid default other than random",
    args: ["generate", "schema", "t", "--columns", "u:uuid:default=x", "--no-migrate"],
    exitCode: 2,
  },
  {
    name: "timestamp default other than now",
    args: ["generate", "schema", "t", "--columns", "d:timestamp:default=yesterday", "--no-migrate"],
    exitCode: 2,
  },
];

const LIMITS: HostileCase[] = [
  {
    name: "cache name longer than NAME_MAX",
    args: ["generate", "cache", LONG],
    exitCode: 2,
    message: /bytes; file systems allow 255/,
  },
  {
    name: "worker name longer than NAME_MAX",
    args: ["generate", "worker", LONG],
    exitCode: 2,
    message: /bytes; file systems allow 255/,
  },
  { name: "cache name of multi-byte letters over NAME_MAX", args: ["generate", "cache", "é".repeat(130)], exitCode: 2 },
];

const FLAGS: HostileCase[] = [
  {
    name: "bad --on-conflict",
    args: ["generate", "cache", "x", "--on-conflict", "maybe"],
    exitCode: 2,
    message: /Allowed choices/,
  },
  { name: "unknown flag", args: ["generate", "cache", "x", "--bogus"], exitCode: 2, message: /unknown option/ },
  { name: "unknown generator", args: ["generate", "nope"], exitCode: 2, message: /unknown command/ },
  { name: "generate without a generator", args: ["generate"], exitCode: 2 },
  {
    name: "--cwd that is not a project",
    args: ["generate", "cache", "x", "--cwd", "src"],
    exitCode: 2,
    message: /not a create-perf-backend project/,
  },
];

describe.each([
  ["names", NAMES],
  ["specs", SPECS],
  ["defaults", DEFAULTS],
  ["limits", LIMITS],
  ["flags", FLAGS],
])("hostile %s", (_label, cases) => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    await runCase({ ...testCase, args: [...testCase.args, "--no-install"] });
  });
});

describe("--debug", () => {
  it("prints the stack trace that a normal run never shows", async () => {
    const withDebug = await runMain(["generate", "cache", "class", "--no-install", "--debug"], project());
    expect(withDebug.exitCode).toBe(2);
    expect(withDebug.stderr).toMatch(STACK_TRACE);
    const without = await runMain(["generate", "cache", "class", "--no-install"], project());
    expect(without.stderr).not.toMatch(STACK_TRACE);
  });
});
