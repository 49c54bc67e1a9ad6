import { camelCase } from "change-case";

/**
 * `plop <generator> -- --name users --with posts.comments`: plop hands these only to array-form prompts,
 * so generators with a dialogue read them here (`--no-x` is x: false; a bare `--x` is true).
 */
export function namedBypass(argv: readonly string[]): Record<string, unknown> {
  const start = argv.indexOf("--");
  const values: Record<string, unknown> = {};
  if (start === -1) return values;
  for (let index = start + 1; index < argv.length; index += 1) {
    const argument = argv[index] ?? "";
    if (!argument.startsWith("--")) continue;
    const [flag = "", inline] = argument.slice(2).split(/=(.*)/s, 2);
    const next = argv[index + 1];
    if (flag.startsWith("no-")) values[camelCase(flag.slice(3))] = false;
    else if (inline !== undefined) values[camelCase(flag)] = inline;
    else if (next !== undefined && !next.startsWith("--")) {
      values[camelCase(flag)] = next;
      index += 1;
    } else values[camelCase(flag)] = true;
  }
  return values;
}
