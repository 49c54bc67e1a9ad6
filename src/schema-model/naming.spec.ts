import { describe, expect, it } from "vitest";

import type { DrizzleSchemaModel, SchemaTable } from "./model.js";
import { entityName, findTable } from "./naming.js";

const stub = (tableVar: string, sqlName: string, pgSchema?: string): SchemaTable => ({
  tableVar,
  exported: true,
  sqlName,
  declaredName: sqlName,
  pgSchema,
  via: "pgTable",
  file: "schema.ts",
  line: 1,
  columns: [],
  primaryKey: null,
  indexes: [],
  foreignKeys: [],
  relations: null,
});

const model = (...tables: SchemaTable[]): Pick<DrizzleSchemaModel, "tables"> => ({
  tables: new Map(tables.map((t) => [t.tableVar, t])),
});

describe("entityName", () => {
  it.each([
    ["CollegeTable", "college"],
    ["UserTable", "user"],
    ["refreshTokenTable", "refreshToken"],
    ["tbl_users", "user"],
    ["users", "user"],
    ["categories", "category"],
    ["user_addresses", "userAddress"],
    ["people", "person"],
    ["usersSchema", "user"],
  ])("%s -> %s", (tableVar, expected) => {
    expect(entityName({ tableVar })).toBe(expected);
  });
});

describe("findTable", () => {
  const schema = model(
    stub("UserTable", "users"),
    stub("CollegeTable", "colleges"),
    stub("tbl_refresh_tokens", "refresh_tokens"),
    stub("auditLog", "log", "audit"),
  );

  it.each([
    ["UserTable", "UserTable"],
    ["users", "UserTable"],
    ["user", "UserTable"],
    ["USERS", "UserTable"],
    ["userTable", "UserTable"],
    ["College", "CollegeTable"],
    ["refreshTokens", "tbl_refresh_tokens"],
    ["refresh-token", "tbl_refresh_tokens"],
    ["audit.log", "auditLog"],
  ])("%s resolves to %s", (name, expected) => {
    expect(findTable(schema, name)).toMatchObject({ found: true, table: { tableVar: expected } });
  });

  it("a miss lists what exists", () => {
    expect(findTable(schema, "posts")).toEqual({
      found: false,
      reason: "missing",
      name: "posts",
      candidates: [],
      available: [
        "UserTable (users)",
        "CollegeTable (colleges)",
        "tbl_refresh_tokens (refresh_tokens)",
        "auditLog (audit.log)",
      ],
    });
  });

  it("an exact name wins; two tables equally close are ambiguous, never guessed", () => {
    const both = model(stub("users", "users"), stub("userTable", "user_accounts"));
    expect(findTable(both, "users")).toMatchObject({ found: true, table: { tableVar: "users" } });
    expect(findTable(both, "user")).toMatchObject({
      found: false,
      reason: "ambiguous",
      candidates: ["users", "userTable (user_accounts)"],
    });
  });
});
