import type { OptionDescriptors } from "../devkit/options/descriptors.js";
import { optionKeysByFlag } from "../devkit/options/flags.js";
import { PLOP_RUN_FLAGS } from "./named-checks.js";

/**
 * `plop <generator> -- --name users --max-threads 2`: the same flag names as the CLI, read from the
 * generator's option declarations (`--no-x` is x: false; a bare `--x` is true). Unknown flags are kept
 * under their own name so validation can name them.
 */
export function namedBypass(argv: readonly string[], descriptors: OptionDescriptors): Record<string, unknown> {
  const keys = optionKeysByFlag(descriptors);
  const start = argv.indexOf("--");
  const values: Record<string, unknown> = {};
  if (start === -1) return values;
  const assign = (flag: string, value: unknown): void => {
    const key = keys.get(flag) ?? flag;
    const previous = values[key];
    // A repeated flag (--index a --index b) keeps every value, as on the command line.
    values[key] = previous === undefined || typeof value === "boolean" ? value : [previous, value].flat();
  };
  for (let index = start + 1; index < argv.length; index += 1) {
    const argument = argv[index] ?? "";
    if (!argument.startsWith("--")) continue;
    const [flag = "", inline] = argument.slice(2).split(/=(.*)/s, 2);
    const next = argv[index + 1];
    if (flag.startsWith("no-") && (keys.has(flag.slice(3)) || PLOP_RUN_FLAGS.has(flag.slice(3))))
      assign(flag.slice(3), false);
    else if (inline !== undefined) assign(flag, inline);
    else if (next !== undefined && !next.startsWith("--")) {
      assign(flag, next);
      index += 1;
    } else assign(flag, true);
  }
  return values;
}
