/** TypeScript type drizzle 0.45 selects for a pg-core builder, given its `mode`. */
const NUMBER_BUILDERS = new Set(["integer", "smallint", "serial", "smallserial", "real", "doublePrecision"]);
const STRING_BUILDERS = new Set([
  "text",
  "varchar",
  "char",
  "uuid",
  "inet",
  "cidr",
  "macaddr",
  "macaddr8",
  "interval",
  "time",
  "citext",
  "bit",
]);
const SERIAL_BUILDERS = new Set(["serial", "smallserial", "bigserial"]);

export const isSerialBuilder = (builder: string): boolean => SERIAL_BUILDERS.has(builder);

export function builderTsType(builder: string, mode: string | undefined): string {
  if (NUMBER_BUILDERS.has(builder)) return "number";
  if (STRING_BUILDERS.has(builder)) return "string";
  if (builder === "boolean") return "boolean";
  if (builder === "bigint" || builder === "bigserial")
    return mode === "bigint" ? "bigint" : mode === "string" ? "string" : "number";
  if (builder === "numeric" || builder === "decimal")
    return mode === "number" ? "number" : mode === "bigint" ? "bigint" : "string";
  if (builder === "timestamp") return mode === "string" ? "string" : "Date";
  if (builder === "date") return mode === "date" ? "Date" : "string";
  if (builder === "vector" || builder === "halfvec") return "number[]";
  return "unknown";
}

/** `"a" | "b"` for enum values. */
export const enumUnion = (values: readonly string[]): string =>
  values.map((value) => JSON.stringify(value)).join(" | ");

/** drizzle-orm's own `casing` conversion (drizzle-orm/casing.js), so derived SQL names match drizzle-kit's. */
const WORDS = /[\da-z]+|[A-Z]+(?![a-z])|[A-Z][\da-z]+/g;

export function applyCasing(key: string, casing: "snake_case" | "camelCase" | null): string {
  if (!casing) return key;
  const words = key.replaceAll(/['\u2019]/g, "").match(WORDS) ?? [];
  if (casing === "snake_case") return words.map((word) => word.toLowerCase()).join("_");
  return words
    .map((word, index) => (index === 0 ? word.toLowerCase() : `${word[0]?.toUpperCase() ?? ""}${word.slice(1)}`))
    .join("");
}
