import { UsageError } from "../../core/output/errors.js";
import type { OptionDescriptor, OptionDescriptors, OptionValues } from "./descriptors.js";
import { flagLabel, flagUsage } from "./flags.js";

/** Flags, answers and plop arguments as they arrive, keyed by option name: still unchecked. */
export type RawInput = Readonly<Record<string, unknown>>;

const DECIMAL_INTEGER = /^-?\d+$/;

function text(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** A flag given once arrives as a string, a repeated one as an array; answers may be either. */
function listValue(value: unknown, keepCommas: boolean): string[] {
  if (value === undefined || value === null || value === false) return [];
  const values = Array.isArray(value) ? value : [value];
  return values
    .map(String)
    .flatMap((item) => (keepCommas ? [item] : item.split(",")))
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function booleanValue(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

/** One option's value, or a UsageError whose message is the same in every front end. */
function parseOne(key: string, descriptor: OptionDescriptor, value: unknown, usage: string): unknown {
  const flag = flagLabel(key, descriptor);
  switch (descriptor.kind) {
    case "boolean": {
      if (value === undefined) return descriptor.default;
      const parsed = booleanValue(value);
      if (parsed === undefined) throw new UsageError(`${flag} takes no value, got "${String(value)}".`);
      return parsed;
    }
    case "integer": {
      const given = text(value);
      if (given === undefined) return descriptor.default;
      // Decimal digits only: Number() would also take 1e3, 0x10 and 0b1.
      const parsed = DECIMAL_INTEGER.test(given) ? Number(given) : Number.NaN;
      if (!Number.isInteger(parsed) || parsed < descriptor.min || parsed > descriptor.max) {
        throw new UsageError(
          `${flag} must be an integer from ${String(descriptor.min)} to ${String(descriptor.max)}, got "${given}".`,
        );
      }
      return parsed;
    }
    case "enum": {
      const given = text(value);
      if (given === undefined) return descriptor.default;
      if (!descriptor.choices.includes(given))
        throw new UsageError(`${flag} must be one of ${descriptor.choices.join(", ")}, got "${given}".`);
      return given;
    }
    case "list": {
      const items = listValue(value, descriptor.keepCommas ?? false);
      for (const item of items) {
        const problem = descriptor.validate?.(item);
        if (problem) throw new UsageError(problem);
      }
      return items;
    }
    case "string": {
      const given = text(value) ?? descriptor.default;
      if (given === undefined && typeof value === "string" && descriptor.required) {
        throw new UsageError(`The ${descriptor.placeholder ?? key} is empty.`, [
          `Pass ${flagUsage(key, descriptor, usage)}.`,
        ]);
      }
      if (given === undefined) {
        if (descriptor.required) {
          throw new UsageError(`Missing ${descriptor.placeholder ?? key}.`, [
            `Pass ${flagUsage(key, descriptor, usage)}.`,
            "Run with --help to see every option.",
          ]);
        }
        return undefined;
      }
      const problem = descriptor.validate?.(given);
      if (problem) throw new UsageError(problem, [`Check ${flagUsage(key, descriptor, usage)}.`]);
      return given;
    }
  }
}

/** Raw input -> typed values with defaults applied; every problem is a UsageError (exit 2) naming the flag. */
export function parseOptions<Descriptors extends OptionDescriptors>(
  descriptors: Descriptors,
  raw: RawInput,
  usage: string,
): OptionValues<Descriptors> {
  const values: Record<string, unknown> = {};
  for (const [key, descriptor] of Object.entries(descriptors)) values[key] = parseOne(key, descriptor, raw[key], usage);
  // The record was filled key by key from the same descriptors the type is computed from.
  return values as OptionValues<Descriptors>;
}

/** For a prompt's `validate`: true, or the message the command line would give for the same value. */
export function validateAnswer(
  key: string,
  descriptor: OptionDescriptor,
  value: unknown,
  usage: string,
): true | string {
  try {
    parseOne(key, descriptor, value, usage);
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}
