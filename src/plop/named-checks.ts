import { UsageError } from "../core/output/errors.js";
import type { GeneratorDefinition } from "../devkit/define-generator.js";
import { flagName, positionalKey } from "../devkit/options/flags.js";

/** Run flags plop takes besides the generator's own options (`--no-install`, as on the command line). */
export const PLOP_RUN_FLAGS: ReadonlySet<string> = new Set(["install"]);

/** Distance of two short strings, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
const CLOSE_ENOUGH = 2;

/**
 * Named arguments the generator does not declare (`--soft-delte`), and single-valued ones given twice
 * (`--name a --name b`), are refused as the CLI refuses them: exit 2, naming the argument.
 */
export function checkNamedArguments(given: Readonly<Record<string, unknown>>, definition: GeneratorDefinition): void {
  const flags = Object.entries(definition.options).map(([key, descriptor]) => flagName(key, descriptor));
  for (const [key, value] of Object.entries(given)) {
    const descriptor = definition.options[key];
    if (!descriptor && !PLOP_RUN_FLAGS.has(key)) {
      const close = flags.filter((flag) => editDistance(flag, key) <= CLOSE_ENOUGH);
      throw new UsageError(
        `plop ${definition.name}: unknown named argument --${key}${close.length > 0 ? ` (did you mean --${close.join(", --")}?)` : ""}.`,
        [`Named arguments: ${flags.map((flag) => `--${flag}`).join(", ")}, --no-install.`],
      );
    }
    if (descriptor && descriptor.kind !== "list" && Array.isArray(value)) {
      throw new UsageError(
        `plop ${definition.name}: --${flagName(key, descriptor)} is given ${String(value.length)} times; it takes one value.`,
        ["Pass it once."],
      );
    }
  }
}

/**
 * Messages name the CLI's positional form (`the table argument (generate repository <table>)`); in plop that
 * answer is the named argument `--name`: say so in plop's terms.
 */
export function inPlopTerms(text: string, definition: GeneratorDefinition): string {
  const key = positionalKey(definition.options);
  const descriptor = key === undefined ? undefined : definition.options[key];
  if (key === undefined || !descriptor) return text;
  const flag = `--${flagName(key, descriptor)}`;
  return text.replaceAll(
    /the (\w+) argument \((?:npx create-perf-backend )?generate \w+ <\w+>\)/g,
    (_match, placeholder: string) =>
      `${flag} <${placeholder}> (npx plop ${definition.name} -- ${flag} <${placeholder}>)`,
  );
}

/** `npm run db:migrate   # apply it` -> `npm run db:migrate`: steps joined into one line must not carry comments. */
export function nextStepsLine(steps: readonly string[]): string {
  return steps
    .map((step) => step.replace(/\s+#.*$/, "").trim())
    .filter((step) => step !== "")
    .join(" && ");
}
