const TABLES_PER_FILE = 10;

const tableName = (index: number): string => `entity${index}`;

/**
 * A schema of `tableCount` tables the way large repos write them: files of ten tables behind a barrel,
 * shared timestamps spread in, an enum, callback columns, a foreign key to the previous table, an index
 * per key, and relations beside every other table.
 */
export function syntheticDrizzleSchema(tableCount: number): Record<string, string> {
  const files: Record<string, string> = {
    "drizzle.config.ts": `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "postgresql", schema: "./src/db/schema/index.ts", casing: "snake_case" });\n`,
    "src/db/schema/shared.ts": [
      `import { pgEnum, timestamp } from "drizzle-orm/pg-core";`,
      `export const status = pgEnum("status", ["draft", "active", "archived"]);`,
      `export const timestamps = { createdAt: timestamp().defaultNow().notNull(), updatedAt: timestamp() };`,
    ].join("\n"),
  };
  const fileCount = Math.ceil(tableCount / TABLES_PER_FILE);
  for (let file = 0; file < fileCount; file += 1) {
    const lines = [
      `import { relations } from "drizzle-orm";`,
      `import { index, pgTable } from "drizzle-orm/pg-core";`,
      `import { status, timestamps } from "./shared";`,
      ...(file > 0 ? [`import { ${tableName(file * TABLES_PER_FILE - 1)} } from "./part-${file - 1}";`] : []),
    ];
    for (let index = file * TABLES_PER_FILE; index < Math.min(tableCount, (file + 1) * TABLES_PER_FILE); index += 1) {
      const name = tableName(index);
      const parent = index > 0 ? tableName(index - 1) : undefined;
      lines.push(
        `export const ${name} = pgTable("${name}s", (d) => ({`,
        `  id: d.integer().primaryKey().generatedAlwaysAsIdentity(),`,
        `  name: d.varchar({ length: 200 }).notNull(),`,
        `  state: status().default("draft").notNull(),`,
        `  payload: d.jsonb().$type<{ version: number }>(),`,
        ...(parent ? [`  parentId: d.integer().references(() => ${parent}.id, { onDelete: "cascade" }),`] : []),
        `  ...timestamps,`,
        `}), (t) => [index("${name}_name_idx").on(t.name)${parent ? `, index("${name}_parent_idx").on(t.parentId)` : ""}]);`,
      );
      if (parent && index % 2 === 0) {
        lines.push(
          `export const ${name}Relations = relations(${name}, ({ one }) => ({ parent: one(${parent}, { fields: [${name}.parentId], references: [${parent}.id] }) }));`,
        );
      }
    }
    files[`src/db/schema/part-${file}.ts`] = lines.join("\n");
  }
  files["src/db/schema/index.ts"] = [
    `export * from "./shared";`,
    ...Array.from({ length: fileCount }, (_, file) => `export * from "./part-${file}";`),
  ].join("\n");
  return files;
}
