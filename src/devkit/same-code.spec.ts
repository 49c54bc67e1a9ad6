import { describe, expect, it } from "vitest";

import { sameCodeIgnoringFormat } from "./same-code.js";

describe("sameCodeIgnoringFormat", () => {
  it("ignores what formatters change and nothing else", () => {
    const rendered = 'export const users = pgTable("users", {\n  email: text("email").notNull(),\n});\n';
    const formatted = "export const users = pgTable('users', {\n\temail: text('email').notNull()\n})\n";
    expect(sameCodeIgnoringFormat(rendered, formatted)).toBe(true);
    expect(sameCodeIgnoringFormat(rendered, rendered.replace("notNull()", "unique()"))).toBe(false);
    expect(sameCodeIgnoringFormat(rendered, null)).toBe(false);
  });
});
