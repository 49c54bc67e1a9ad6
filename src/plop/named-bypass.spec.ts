import { describe, expect, it } from "vitest";

import { schemaDefinition } from "../../generators/schema/definition.js";
import { workerDefinition } from "../../generators/worker/definition.js";
import { namedBypass } from "./named-bypass.js";

describe("namedBypass", () => {
  it("reads plop's named arguments after -- with the CLI's flag names", () => {
    const argv = [
      "node",
      "plop",
      "schema",
      "--",
      "--name",
      "users",
      "--columns=email:text",
      "--no-migrate",
      "--timestamps",
      "--soft-delete",
    ];
    expect(namedBypass(argv, schemaDefinition.options)).toEqual({
      name: "users",
      columns: "email:text",
      migrate: false,
      timestamps: true,
      softDelete: true,
    });
    expect(namedBypass(["node", "plop", "worker", "--", "--max-threads", "2"], workerDefinition.options)).toEqual({
      maxThreads: "2",
    });
  });

  it("is empty without --, and keeps every value of a repeated flag", () => {
    expect(namedBypass(["node", "plop", "schema", "users"], schemaDefinition.options)).toEqual({});
    expect(
      namedBypass(["node", "plop", "schema", "--", "--index", "a", "--index", "b,c"], schemaDefinition.options),
    ).toEqual({ index: ["a", "b,c"] });
  });
});
