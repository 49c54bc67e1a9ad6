import { describe, expect, it } from "vitest";

import { keyCheckOf } from "./key-check.js";
import type { KeyCheck } from "./key-check.js";

type Key = Parameters<typeof keyCheckOf>[0];

/** The generated `isStorableId`, run: its constants and condition are plain JavaScript. */
function storable(check: KeyCheck | undefined): (id: unknown) => boolean {
  if (!check) throw new Error("no key check");
  const constants = check.constants.map(({ name, value }) => `const ${name} = ${value};`).join("\n");
  return new Function("id", `${constants}\nreturn ${check.condition};`) as (id: unknown) => boolean;
}

/** The generated `parse<Entity>Id`, run. */
function parser(check: KeyCheck | undefined): (text: string) => unknown {
  if (!check) throw new Error("no key check");
  const constants = check.constants.map(({ name, value }) => `const ${name} = ${value};`).join("\n");
  return new Function(
    "text",
    `${constants}\nconst id = ${check.fromText};\nreturn (${check.condition}) ? ${check.canonical ?? "id"} : null;`,
  ) as (text: string) => unknown;
}

/** The test's `invalidIds`, evaluated. */
const invalidIds = (check: KeyCheck | undefined): unknown[] =>
  (check?.invalidIds ?? []).map((code) => new Function(`return ${code};`)() as unknown);

const key = (builder: string, tsType: string): Key => ({ name: "id", builder, tsType });

describe("keyCheckOf: ids a key column can hold, per type", () => {
  it("int2 and int4 number keys: safe integers in PostgreSQL's range", () => {
    const int4 = storable(keyCheckOf(key("integer", "number")));
    for (const id of [0, -1, 2_147_483_647, -2_147_483_648]) expect(int4(id), String(id)).toBe(true);
    for (const id of [2_147_483_648, -2_147_483_649, Number.NaN, 1.5, Infinity, "5", 5n])
      expect(int4(id), String(id)).toBe(false);
    const int2 = storable(keyCheckOf(key("smallserial", "number")));
    expect([int2(32_767), int2(32_768), int2(-32_769)]).toEqual([true, false, false]);
  });

  it("int8 keys: BigInts in the int8 range (mode bigint), safe integers (mode number), canonical digits in range (mode string)", () => {
    const asBigInt = storable(keyCheckOf(key("bigint", "bigint")));
    for (const id of [9_007_199_254_740_993n, 2n ** 63n - 1n, -(2n ** 63n), 0n])
      expect(asBigInt(id), String(id)).toBe(true);
    for (const id of [2n ** 63n, -(2n ** 63n) - 1n, 5, "5"]) expect(asBigInt(id), String(id)).toBe(false);
    expect(storable(keyCheckOf(key("bigserial", "bigint")))(2n ** 63n)).toBe(false);

    const asNumber = storable(keyCheckOf(key("bigint", "number")));
    expect([asNumber(Number.MAX_SAFE_INTEGER), asNumber(Number.MAX_SAFE_INTEGER + 2), asNumber(Number.NaN)]).toEqual([
      true,
      false,
      false,
    ]);

    const asString = storable(keyCheckOf(key("bigint", "string")));
    for (const id of ["9223372036854775807", "-9223372036854775808", "+12", "9007199254740993"])
      expect(asString(id), id).toBe(true);
    for (const id of ["9223372036854775808", "-9223372036854775809", "12abc", "", " 1", "1.5", 12])
      expect(asString(id), String(id)).toBe(false);
  });

  it("string keys: decimal text for numeric, PostgreSQL's uuid spellings, text without NUL", () => {
    const numeric = storable(keyCheckOf(key("numeric", "string")));
    expect(["12.50", "-0.5", ".5", "7"].map(numeric)).toEqual([true, true, true, true]);
    expect(["12abc", "", "1e5"].map(numeric)).toEqual([false, false, false]);

    const uuid = storable(keyCheckOf(key("uuid", "string")));
    for (const id of [
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
      "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
      "a0eebc999c0b4ef8bb6d6bb9bd380a11",
    ]) {
      expect(uuid(id), id).toBe(true);
    }
    for (const id of [
      "not-a-uuid",
      "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
      "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
    ]) {
      expect(uuid(id), id).toBe(false);
    }

    const text = storable(keyCheckOf(key("varchar", "string")));
    expect([text("any text, even % and 'quotes'"), text("nul\u0000byte"), text(5)]).toEqual([true, false, false]);
  });

  it("the generated test's invalid ids are ones the check refuses, for every key type", () => {
    for (const [builder, tsType] of [
      ["integer", "number"],
      ["smallint", "number"],
      ["bigint", "number"],
      ["bigint", "bigint"],
      ["bigint", "string"],
      ["numeric", "string"],
      ["uuid", "string"],
      ["text", "string"],
    ] as const) {
      const check = keyCheckOf(key(builder, tsType));
      const ids = invalidIds(check);
      expect(ids.length, `${builder} ${tsType}`).toBeGreaterThan(0);
      for (const id of ids) expect(storable(check)(id), `${builder} ${tsType}: ${String(id)}`).toBe(false);
    }
  });

  it("parses ids from text into the key's type, null for text the column cannot hold (never a throw)", () => {
    const int4 = parser(keyCheckOf(key("integer", "number")));
    expect(["42", "-7", "2147483648", "", " 1", "0x1f", "1.5", "abc"].map(int4)).toEqual([
      42,
      -7,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    const asBigInt = parser(keyCheckOf(key("bigint", "bigint")));
    expect(["9007199254740993", "9223372036854775808", "abc", ""].map(asBigInt)).toEqual([
      9_007_199_254_740_993n,
      null,
      null,
      null,
    ]);
    const asNumber = parser(keyCheckOf(key("bigserial", "number")));
    expect(["9007199254740991", "9007199254740993"].map(asNumber)).toEqual([9_007_199_254_740_991, null]);
    // In PostgreSQL's own spelling (lower case, hyphenated): one cache entry per row.
    expect(parser(keyCheckOf(key("uuid", "string")))("{A0EEBC999C0B4EF8BB6D6BB9BD380A11}")).toBe(
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    );
    expect(parser(keyCheckOf(key("text", "string")))("nul\u0000byte")).toBeNull();
    // What the generated test asserts: every invalid id, as text, parses to null.
    for (const [builder, tsType] of [
      ["integer", "number"],
      ["smallint", "number"],
      ["bigint", "number"],
      ["bigint", "bigint"],
      ["bigint", "string"],
      ["numeric", "string"],
      ["uuid", "string"],
      ["text", "string"],
    ] as const) {
      const check = keyCheckOf(key(builder, tsType));
      for (const id of invalidIds(check))
        expect(parser(check)(String(id)), `${builder} ${tsType}: ${String(id)}`).toBeNull();
    }
  });

  it("one loader key per key value where the column accepts several spellings; the test's other spelling is one of them", () => {
    const evaluate = (code: string | undefined, id: string): unknown =>
      new Function("id", `return ${code ?? "undefined"};`)(id) as unknown;
    const uuid = keyCheckOf(key("uuid", "string"));
    const spellings = [
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
      "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
      "a0eebc999c0b4ef8bb6d6bb9bd380a11",
    ];
    expect(new Set(spellings.map((id) => evaluate(uuid?.loaderKey, id))).size).toBe(1);
    expect(evaluate(uuid?.loaderKey, "b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")).not.toBe(
      evaluate(uuid?.loaderKey, spellings[0] ?? ""),
    );
    const other = evaluate(uuid?.otherSpelling, spellings[0] ?? "");
    expect([
      other !== spellings[0],
      storable(uuid)(other),
      evaluate(uuid?.loaderKey, String(other)) === evaluate(uuid?.loaderKey, spellings[0] ?? ""),
    ]).toEqual([true, true, true]);

    const asString = keyCheckOf(key("bigint", "string"));
    expect(["12", "+12", "012"].map((id) => evaluate(asString?.loaderKey, id))).toEqual(["12", "12", "12"]);
    for (const id of ["12", "-12"]) {
      const spelled = evaluate(asString?.otherSpelling, id);
      expect([spelled !== id, storable(asString)(spelled), evaluate(asString?.loaderKey, String(spelled))], id).toEqual(
        [true, true, id],
      );
    }
    // parse<Entity>Id answers PostgreSQL's own spelling, the one rows (and write notifications) carry.
    expect(new Set(spellings.map((id) => evaluate(uuid?.canonical, id)))).toEqual(new Set([spellings[0]]));
    expect(["12", "+12", "012", "-0", "-012"].map((id) => evaluate(asString?.canonical, id))).toEqual([
      "12",
      "12",
      "12",
      "0",
      "-12",
    ]);
    for (const check of [uuid, asString]) {
      const sample = String(evaluate(check?.sampleId, ""));
      expect([storable(check)(sample), evaluate(check?.canonical, sample)]).toEqual([true, sample]);
      expect(evaluate(check?.otherSpelling, sample)).not.toBe(sample);
    }
    // One spelling per value already: the loader matches ids as they are.
    expect(keyCheckOf(key("integer", "number"))?.loaderKey).toBeUndefined();
  });

  it("no check where every value of the key's type is a valid parameter, or the type is unknown", () => {
    expect(keyCheckOf(key("real", "number"))).toBeUndefined();
    expect(keyCheckOf(key("customId", "unknown"))).toBeUndefined();
  });
});
