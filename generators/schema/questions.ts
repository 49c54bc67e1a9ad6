import type { ProjectContext } from "../../src/core/detect.js";
import type { AskFunction, RawInput } from "../../src/core/generator-definition.js";
import type { Question } from "../../src/core/question.js";
import { promptValidation } from "../shared/module-name.js";
import { COLUMN_TYPES } from "./column-spec.js";
import { toTableName } from "./options.js";
import { readSchema } from "./read-schema.js";

/** The table name, when the positional argument is missing. */
export function schemaQuestions(raw: RawInput): Question[] {
  if (typeof raw.name === "string" && raw.name.trim() !== "") return [];
  return [
    {
      type: "text",
      name: "name",
      message: "Table name (plural, camelCase)",
      flag: "the table argument (generate schema <table>)",
      required: true,
      validate: (value: string) => promptValidation(() => toTableName(value)),
    },
  ];
}

const TYPE_CHOICES = COLUMN_TYPES.map((type) => {
  const value = type === "varchar" ? "varchar(255)" : type === "numeric" ? "numeric(12,2)" : type;
  return { title: value, value };
});

// "" keeps the database default (no action): the generated repository's delete removes the referencing rows itself.
const ON_DELETE_CHOICES = [
  { title: "no rule (the repository deletes referencing rows first)", value: "" },
  { title: "cascade (delete this row too)", value: "cascade" },
  { title: "restrict (refuse the delete)", value: "restrict" },
  { title: "set null", value: "set null" },
];

/**
 * Column-by-column dialogue (terminals and plop), then indexes. It produces the same compact spec and
 * index flags as the command line, so both go through one parser and one validation.
 */
export async function schemaInteract(ask: AskFunction, raw: RawInput, project: ProjectContext): Promise<RawInput> {
  if (raw.columns !== undefined) return {};
  const tables = [...(await readSchema(project.tree, project.manifest.layout.db)).values()];
  const references = tables.flatMap((table) => table.columns.filter((column) => column.primaryKey).map((column) => `${table.tableVar}.${column.name}`));
  const entries: string[] = [];
  const names: string[] = [];
  const arrays: string[] = [];
  for (;;) {
    const { columnName } = await ask([
      { type: "text", name: "columnName", message: `Column ${String(entries.length + 1)} name (empty to finish)`, flag: "--columns", required: false },
    ]);
    const name = String(columnName ?? "").trim();
    if (name === "") break;
    const answers = await ask([
      { type: "select", name: "type", message: `Type of ${name}`, choices: TYPE_CHOICES, flag: "--columns", required: true },
      { type: "confirm", name: "array", message: "Array of that type?", initial: false, flag: "--columns", required: false },
      { type: "confirm", name: "notNull", message: "Not null?", initial: true, flag: "--columns", required: false },
      { type: "text", name: "defaultValue", message: "Default (empty for none; now for timestamps, random for uuid)", flag: "--columns", required: false },
      { type: "confirm", name: "unique", message: "Unique?", initial: false, flag: "--columns", required: false },
      {
        type: "select",
        name: "references",
        message: "References (foreign key)",
        choices: [{ title: "none", value: "" }, ...references.map((reference) => ({ title: reference, value: reference }))],
        flag: "--columns",
        required: false,
      },
    ]);
    const parts = [name, `${String(answers.type)}${answers.array === true ? "[]" : ""}`];
    if (answers.notNull === true) parts.push("notNull");
    if (typeof answers.defaultValue === "string" && answers.defaultValue.trim() !== "") parts.push(`default=${answers.defaultValue.trim()}`);
    if (answers.unique === true) parts.push("unique");
    if (typeof answers.references === "string" && answers.references !== "") {
      parts.push(`references=${answers.references}`);
      const { onDelete } = await ask([
        { type: "select", name: "onDelete", message: `When the ${answers.references} row is deleted`, choices: ON_DELETE_CHOICES, flag: "--columns", required: false },
      ]);
      if (typeof onDelete === "string" && onDelete !== "") parts.push(`onDelete=${onDelete}`);
    }
    entries.push(parts.join(":"));
    names.push(name);
    if (answers.array === true || answers.type === "jsonb") arrays.push(name);
  }
  const indexes = await ask([
    { type: "confirm", name: "timestamps", message: "Add createdAt / updatedAt?", initial: true, flag: "--timestamps", required: false },
    { type: "confirm", name: "softDelete", message: "Soft delete (deletedAt)?", initial: false, flag: "--soft-delete", required: false },
    {
      type: "multiselect",
      name: "index",
      message: "Single-column indexes (foreign keys are indexed automatically)",
      choices: names.map((name) => ({ title: name, value: name })),
      flag: "--index",
      required: false,
    },
    { type: "text", name: "composite", message: "Composite index columns, comma-separated (empty for none)", flag: "--index", required: false },
    { type: "text", name: "partialIndex", message: 'Partial index, e.g. "createdAt where deletedAt is null" (empty for none)', flag: "--partial-index", required: false },
    ...(arrays.length > 0
      ? [{ type: "multiselect" as const, name: "gin", message: "GIN indexes", choices: arrays.map((name) => ({ title: name, value: name })), flag: "--gin", required: false }]
      : []),
  ]);
  const composite = typeof indexes.composite === "string" && indexes.composite.trim() !== "" ? [indexes.composite.trim()] : [];
  return {
    columns: entries.join(","),
    timestamps: indexes.timestamps === true,
    softDelete: indexes.softDelete === true,
    index: [...(Array.isArray(indexes.index) ? indexes.index.map(String) : []), ...composite],
    partialIndex: typeof indexes.partialIndex === "string" ? indexes.partialIndex : undefined,
    gin: Array.isArray(indexes.gin) ? indexes.gin.map(String) : [],
  };
}
