import { camelCase, constantCase, kebabCase, pascalCase } from "change-case";

import { UsageError } from "../core/output/errors.js";
import { singularOf } from "../schema-model/english-number.js";

/** The spellings of one module name that file names and identifiers are made from. */
export interface ModuleNames {
  /** `user-profile`: file names, log prefixes. */
  kebab: string;
  /** `UserProfile`: types and function suffixes. */
  pascal: string;
  /** `userProfile`: plain identifiers. */
  camel: string;
  /** `USER_PROFILE`: constant prefixes. */
  constant: string;
}

// Reserved words and names that would shadow globals the generated code relies on.
const RESERVED_WORDS = new Set([
  "arguments",
  "await",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "eval",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "implements",
  "import",
  "in",
  "instanceof",
  "interface",
  "let",
  "new",
  "null",
  "package",
  "private",
  "protected",
  "public",
  "return",
  "static",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "undefined",
  "var",
  "void",
  "while",
  "with",
  "yield",
]);
const NAME_CHARACTERS = /^[A-Za-z0-9 _-]+$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Validates a generator's name argument and derives its spellings; problems are UsageErrors (exit 2). */
export function toModuleNames(input: unknown, what: string, example: string): ModuleNames {
  const raw = typeof input === "string" ? input.trim() : "";
  const hint = `Pass a name such as \`${example}\` (letters, digits and dashes; it becomes file names and identifiers).`;
  if (raw === "") throw new UsageError(`The ${what} name is empty.`, [hint]);
  if (/[\\/]|\.\./.test(raw) || raw.startsWith(".")) {
    throw new UsageError(
      `The ${what} name "${raw}" looks like a path; give a name, the folder comes from perf-backend.json.`,
      [hint],
    );
  }
  if (!NAME_CHARACTERS.test(raw))
    throw new UsageError(`The ${what} name "${raw}" has characters that cannot go into a file name or identifier.`, [
      hint,
    ]);
  const names: ModuleNames = {
    kebab: kebabCase(raw),
    pascal: pascalCase(raw),
    camel: camelCase(raw),
    constant: constantCase(raw),
  };
  if (!KEBAB.test(names.kebab) || !IDENTIFIER.test(names.camel) || !IDENTIFIER.test(names.pascal)) {
    throw new UsageError(
      `The ${what} name "${raw}" does not make a valid identifier ("${names.camel}"): it must start with a letter.`,
      [hint],
    );
  }
  if (RESERVED_WORDS.has(names.camel) || RESERVED_WORDS.has(raw.toLowerCase())) {
    throw new UsageError(`The ${what} name "${raw}" is a reserved word in JavaScript.`, [hint]);
  }
  return names;
}

/** A descriptor `validate` for a name option: the message `toModuleNames` would throw, or undefined. */
export function moduleNameProblem(what: string, example: string): (value: string) => string | undefined {
  return (value) => {
    try {
      toModuleNames(value, what, example);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

/** A table's row type name, singular: posts -> Post, statuses -> Status, people -> Person. */
export function singularTypeName(tableVar: string): string {
  return pascalCase(singularOf(camelCase(tableVar)));
}
