import { describe, expect, it } from "vitest";

import { createBaseProject, runGenerator } from "../testing.js";

// Plurals the old regex singularizer of `generate schema` got wrong (Statuse, Analyse, People).
const TABLES = [
  ["statuses", "Status"],
  ["people", "Person"],
  ["analyses", "Analysis"],
] as const;

describe("one row type name per table, whichever generator names it", () => {
  it.each(TABLES)("generate schema %s exports %s, and generate repository imports that type", async (table, type) => {
    const schema = await runGenerator(
      "schema",
      { name: table, columns: "label:text:notNull", migrate: false },
      await createBaseProject(),
    );
    expect(schema.read(`src/db/schema/${table}.ts`)).toContain(`export type ${type} = typeof ${table}.$inferSelect;`);
    const repository = await runGenerator("repository", { name: table }, schema.files);
    const code = repository.read(`src/repositories/${table}-repository.ts`) ?? "";
    const schemaTypes = /import type \{ ([^}]*) \} from "\.\.\/db\/schema\/index\.js";/.exec(code)?.[1]?.split(", ");
    expect(schemaTypes).toEqual(expect.arrayContaining([type, `New${type}`]));
  });
});
