import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../../core/host.js";
import { Tree } from "../../core/tree.js";
import { addTableRelations } from "./table-relations.js";

// A schema file as a `singleQuote` Prettier leaves it (its config may sit at a workspace root init never reads).
const USERS = `import { relations } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';

import { messages } from './messages';

export const users = pgTable('users', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
});

export const usersRelations = relations(users, ({ many }) => ({
  // The user's own line, in double quotes on purpose: not ours to restyle.
  legacy: many(messages, { relationName: "legacy" }),
}));
`;
const RELATIONS = [
  {
    name: "sentMessages",
    helper: "many" as const,
    expression: 'many(messages, { relationName: "messages_sender" })',
    target: { tableVar: "messages", file: "src/db/schema/messages.ts" },
  },
  {
    name: "receivedMessages",
    helper: "many" as const,
    expression: 'many(messages, { relationName: "messages_recipient" })',
    target: { tableVar: "messages", file: "src/db/schema/messages.ts" },
  },
];
const LAYOUT = { importStyle: "bundler" as const };
const TABLE = { tableVar: "users", file: "src/db/schema/users.ts", relations: [] };

describe("addTableRelations in a single-quoted schema file", () => {
  it("writes the relations it adds in single quotes, leaves the user's lines alone, and a second run changes nothing", async () => {
    const tree = new Tree(createMemoryHost({ "src/db/schema/users.ts": USERS }));
    await addTableRelations(tree, LAYOUT, TABLE, RELATIONS);
    const edited = tree.read("src/db/schema/users.ts") ?? "";
    expect(edited).toContain("sentMessages: many(messages, { relationName: 'messages_sender' })");
    expect(edited).toContain("receivedMessages: many(messages, { relationName: 'messages_recipient' })");
    expect(edited).toContain('legacy: many(messages, { relationName: "legacy" })');

    const again = new Tree(createMemoryHost({ "src/db/schema/users.ts": edited }));
    await addTableRelations(again, LAYOUT, TABLE, RELATIONS);
    expect(again.read("src/db/schema/users.ts")).toBe(edited);
  });

  it("keeps double quotes in a double-quoted file", async () => {
    const doubleQuoted = USERS.replaceAll("'", '"');
    const tree = new Tree(createMemoryHost({ "src/db/schema/users.ts": doubleQuoted }));
    await addTableRelations(tree, LAYOUT, TABLE, RELATIONS);
    expect(tree.read("src/db/schema/users.ts")).toContain(
      'sentMessages: many(messages, { relationName: "messages_sender" })',
    );
  });
});
