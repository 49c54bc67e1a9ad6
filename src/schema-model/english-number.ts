import pluralize from "pluralize";

// Plurals schemas use as mass nouns, alone or at the end of a name: `metadata`, `userData` are not many `datum`s.
const MASS_NOUN_ENDINGS = /data$/i;
// Where pluralize's Latin plural is not the one English code uses.
const IRREGULAR: readonly (readonly [singular: string, plural: string])[] = [["virus", "viruses"]];

/** The one pluralizer every generator and the schema model name things with (irregulars included). */
function english(): typeof pluralize {
  pluralize.addUncountableRule(MASS_NOUN_ENDINGS);
  for (const [singular, plural] of IRREGULAR) pluralize.addIrregularRule(singular, plural);
  return pluralize;
}

const rules = english();

/** `statuses` -> `status`, `people` -> `person`, `analyses` -> `analysis`; case is kept (`UserProfiles` -> `UserProfile`). */
export function singularOf(word: string): string {
  return rules.singular(word);
}

/** `status` -> `statuses`, `person` -> `people`. */
export function pluralOf(word: string): string {
  return rules.plural(word);
}
