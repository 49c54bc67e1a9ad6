import { describe, expect, it } from "vitest";

import { singularTypeName } from "../devkit/naming.js";
import { pluralOf, singularOf } from "./english-number.js";
import { entityName } from "./naming.js";

// Plurals a regex singularizer gets wrong, and words that must not change.
const HARD_PLURALS: readonly (readonly [plural: string, type: string])[] = [
  ["statuses", "Status"],
  ["analyses", "Analysis"],
  ["buses", "Bus"],
  ["people", "Person"],
  ["categories", "Category"],
  ["addresses", "Address"],
  ["boxes", "Box"],
  ["children", "Child"],
  ["indices", "Index"],
  ["quizzes", "Quiz"],
  ["heroes", "Hero"],
  ["leaves", "Leaf"],
  ["criteria", "Criterion"],
  ["crises", "Crisis"],
  ["viruses", "Virus"],
  ["campuses", "Campus"],
  ["mice", "Mouse"],
  ["series", "Series"],
  ["news", "News"],
  ["status", "Status"],
  ["metadata", "Metadata"],
  ["userData", "UserData"],
  ["userProfiles", "UserProfile"],
  ["order_items", "OrderItem"],
  ["auditLogs", "AuditLog"],
];

describe("one singular for every generator and the schema model", () => {
  it.each(HARD_PLURALS)("%s -> %s as the schema's row type and the repository's entity", (plural, type) => {
    expect(singularTypeName(plural)).toBe(type);
    expect(entityName({ tableVar: plural })).toBe(type.charAt(0).toLowerCase() + type.slice(1));
  });

  it("pluralizes back what it singularized", () => {
    for (const [plural, type] of HARD_PLURALS) {
      // Snake case is not a word; words spelled alike in both numbers (series, status) have nothing to round-trip.
      if (plural.includes("_") || plural.toLowerCase() === type.toLowerCase()) continue;
      expect(pluralOf(singularOf(plural)).toLowerCase()).toBe(plural.toLowerCase());
      expect(singularOf(type)).toBe(type);
    }
  });
});
