import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../../src/core/host.js";
import { Tree } from "../../src/core/tree.js";
import { readDrizzleSchema } from "../../src/schema-model/read-model.js";
import { DRIZZLE_1_REPO } from "../../test/fixtures/drizzle-1-shapes.js";
import { withChoices } from "./relation-paths.js";

describe("--with choices on a drizzle-orm 1.0 schema", () => {
  it("offers neither side of a .through() many-to-many nor a where relation (the eager read refuses them)", async () => {
    const model = await readDrizzleSchema(new Tree(createMemoryHost(DRIZZLE_1_REPO)));
    // members.teams is the .through(); teams.members its bare other side; teams.openQuests has a where.
    expect(withChoices(model.tables, "teams")).toEqual(["quests", "quests.logs", "quests.logs.member"]);
    expect(withChoices(model.tables, "members")).toEqual(["logs", "logs.quest", "logs.quest.team"]);
  });
});
