import type { ProjectContext } from "../../src/core/detect.js";
import type { AskFunction, RawInput } from "../../src/core/generator-definition.js";
import { readSchema } from "../schema/read-schema.js";
import { requireTable, withChoices } from "./relation-paths.js";

/**
 * Table, then relations to eager-load, both READ FROM THE PROJECT'S SCHEMA files (ts-morph, schema
 * directory only), so the user picks from what exists.
 */
export async function repositoryInteract(ask: AskFunction, raw: RawInput, project: ProjectContext): Promise<RawInput> {
  const schema = await readSchema(project.tree, project.manifest.layout.db);
  let table = typeof raw.name === "string" && raw.name.trim() !== "" ? raw.name.trim() : undefined;
  if (table === undefined) {
    const answers = await ask([
      {
        type: "select",
        name: "name",
        message: "Repository for which table?",
        choices: [...schema.keys()].map((name) => ({ title: name, value: name })),
        flag: "the table argument (generate repository <table>)",
        required: true,
      },
    ]);
    table = String(answers.name);
  }
  if (raw.with !== undefined) return { name: table };
  const choices = withChoices(schema, requireTable(schema, table, project.manifest.layout.db.schemaDir).tableVar);
  if (choices.length === 0) return { name: table, with: [] };
  const answers = await ask([
    {
      type: "multiselect",
      name: "with",
      message: "Relations to eager-load (one SQL statement however deep)",
      choices: choices.map((choice) => ({ title: choice, value: choice })),
      flag: "--with <relations>",
      required: false,
    },
  ]);
  return { name: table, with: Array.isArray(answers.with) ? answers.with.map(String) : [] };
}
