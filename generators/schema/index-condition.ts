import { UsageError } from "../../src/devkit/declare.js";

/**
 * The WHERE of a partial index, restricted to a grammar that is safe in both TypeScript (a `sql` template)
 * and SQL (a migration): column names, literals, comparisons, IS [NOT] NULL, IN (...), AND/OR/NOT and
 * parentheses. No function calls, casts, comments, semicolons or quoted identifiers.
 *
 *   condition := term (("and" | "or") term)*
 *   term      := "not" term | "(" condition ")" | operand ("is" ["not"] ("null" | "true" | "false") | op operand | ["not"] "in" "(" literal ("," literal)* ")")
 *   operand   := column | literal
 */
type Token = { kind: "word" | "number" | "string" | "op" | "punct"; text: string };

const TOKEN =
  /\s*(?:(?<word>[A-Za-z_][A-Za-z0-9_]*)|(?<number>-?\d+(?:\.\d+)?)|(?<string>'(?:[^'\\$`]|'')*')|(?<op><>|!=|<=|>=|=|<|>)|(?<punct>[(),]))/y;
const KEYWORDS = new Set(["and", "or", "not", "is", "null", "true", "false", "in"]);

function tokenize(condition: string, fail: (why: string) => never): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < condition.length) {
    if (condition.slice(TOKEN.lastIndex).trim() === "") break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(condition);
    if (!match?.groups)
      fail(`unexpected "${condition.slice(start).trim().slice(0, 1)}" at "${condition.slice(start).trim()}"`);
    const [kind, text] = Object.entries(match.groups).find(([, value]) => value !== undefined) ?? ["", ""];
    tokens.push({ kind: kind as Token["kind"], text });
  }
  return tokens;
}

type Operand =
  { column: string; type: string | undefined } | { literal: "number" | "string" | "boolean" | "null"; text: string };

const NUMERIC_TYPES = new Set(["integer", "smallint", "bigint", "real", "doublePrecision", "numeric"]);
const STRING_TYPES = new Set(["text", "varchar", "char", "uuid", "date", "timestamp"]);
const UUID = /^'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'$/i;

/** Why a literal cannot be compared with a column of `type` (the migration would fail), or undefined. */
function literalProblem(
  column: string,
  type: string | undefined,
  literal: Extract<Operand, { literal: string }>,
): string | undefined {
  if (type === undefined || literal.literal === "null") return undefined;
  const wrong = (expected: string) => `${literal.text} is not ${expected} for the ${type} column ${column}`;
  if (NUMERIC_TYPES.has(type)) return literal.literal === "number" ? undefined : wrong("a number");
  if (type === "boolean") return literal.literal === "boolean" ? undefined : wrong("true or false");
  if (STRING_TYPES.has(type)) {
    if (literal.literal !== "string") return wrong("a 'quoted' value");
    if (type === "uuid" && !UUID.test(literal.text)) return wrong("a uuid");
    if ((type === "date" || type === "timestamp") && Number.isNaN(Date.parse(literal.text.slice(1, -1))))
      return wrong("a date");
    return undefined;
  }
  return `${column} is ${type}: compare it with IS [NOT] NULL only`;
}

/**
 * Checks the condition against the grammar and the table's columns; returns the columns it names. `types`:
 * each column's type, so a literal of the wrong type (`n = 'abc'` on an integer) is refused here, not by the migration.
 */
export function checkIndexCondition(
  value: string,
  condition: string,
  known: readonly string[],
  types: ReadonlyMap<string, string> = new Map(),
): string[] {
  const fail = (why: string): never => {
    throw new UsageError(`--partial-index "${value}": ${why}.`, [
      "A condition may use column names, numbers, 'strings', true/false, = <> < <= > >=, IS [NOT] NULL, IN (...), AND, OR, NOT and parentheses.",
      `Columns: ${known.join(", ")}.`,
    ]);
  };
  const tokens = tokenize(condition, fail);
  const columns: string[] = [];
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const keyword = (word: string): boolean => {
    const token = peek();
    if (token?.kind !== "word" || token.text.toLowerCase() !== word) return false;
    position += 1;
    return true;
  };
  const expect = (text: string): void => {
    if (peek()?.text !== text) fail(`expected "${text}" ${peek() ? `before "${peek()?.text ?? ""}"` : "at the end"}`);
    position += 1;
  };
  const literal = (): Extract<Operand, { literal: string }> | undefined => {
    const token = peek();
    if (!token) return undefined;
    const word = token.text.toLowerCase();
    if (
      token.kind === "number" ||
      token.kind === "string" ||
      (token.kind === "word" && ["true", "false", "null"].includes(word))
    ) {
      position += 1;
      return { literal: token.kind === "word" ? (word === "null" ? "null" : "boolean") : token.kind, text: token.text };
    }
    return undefined;
  };
  const operand = (): Operand => {
    const value_ = literal();
    if (value_) return value_;
    const token = peek();
    if (token?.kind !== "word" || KEYWORDS.has(token.text.toLowerCase()))
      fail(token ? `expected a column or a value, got "${token.text}"` : "the condition ends too early");
    const name = token?.text ?? "";
    if (!known.includes(name)) fail(`"${name}" is not a column of the table`);
    columns.push(name);
    position += 1;
    return { column: name, type: types.get(name) };
  };
  const compatible = (left: Operand, right: Operand): void => {
    const [column, other] = "column" in left ? [left, right] : [right, left];
    if (!("column" in column) || !("literal" in other)) return;
    const problem = literalProblem(column.column, column.type, other);
    if (problem !== undefined) fail(problem);
  };
  const term = (): void => {
    if (keyword("not")) return term();
    if (peek()?.text === "(") {
      position += 1;
      condition_();
      expect(")");
      return;
    }
    const left = operand();
    if (keyword("is")) {
      keyword("not");
      if (!keyword("null") && !keyword("true") && !keyword("false"))
        fail("IS must be followed by [NOT] NULL, TRUE or FALSE");
      return;
    }
    const negated = keyword("not");
    if (keyword("in")) {
      expect("(");
      do {
        const item = literal();
        if (!item) fail("IN (...) takes literal values only");
        else compatible(left, item);
      } while (peek()?.text === "," && (position += 1));
      expect(")");
      return;
    }
    if (negated) fail("NOT here must be followed by IN");
    if (peek()?.kind !== "op")
      fail(
        peek()
          ? `expected a comparison after "${tokens[position - 1]?.text ?? ""}", got "${peek()?.text ?? ""}"`
          : "a column alone is not a condition",
      );
    position += 1;
    compatible(left, operand());
  };
  const condition_ = (): void => {
    term();
    while (keyword("and") || keyword("or")) term();
  };
  condition_();
  if (position < tokens.length) fail(`unexpected "${tokens[position]?.text ?? ""}"`);
  if (columns.length === 0) fail(`the condition "${condition}" names no column`);
  return columns;
}
