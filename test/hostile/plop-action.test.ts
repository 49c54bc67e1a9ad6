import { cp } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it, vi } from "vitest";

import { PLOP_ACTION_TYPE, registerPerfBackendGenerators } from "../../src/plop/index.js";
import type { PlopApi } from "../../src/plop/index.js";
import { STACK_TRACE, useHostileProject } from "./hostile-case.js";

const { project } = useHostileProject("plop-action");

type Action = (answers: Record<string, unknown>, config: Record<string, unknown>) => Promise<string>;

/** The custom action plop would run, registered against a copy of the project. */
async function plopAction(label: string): Promise<{ action: Action; dir: string }> {
  const dir = path.join(path.dirname(project()), label);
  await cp(project(), dir, { recursive: true });
  let action: Action | undefined;
  const plop: PlopApi = {
    setGenerator: () => undefined,
    setActionType: (name, registered) => {
      if (name === PLOP_ACTION_TYPE) action = registered;
    },
    getDestBasePath: () => dir,
  };
  registerPerfBackendGenerators(plop);
  if (!action) throw new Error("no action registered");
  return { action, dir };
}

describe("hostile plop output", () => {
  it("prints nothing while plop's spinner runs: the plan comes back in the action's message, one line each", async () => {
    const { action } = await plopAction("plan-lines");
    const write = vi.spyOn(process.stdout, "write");
    try {
      const message = await action(
        { name: "tags", columns: "label:text", migrate: false, install: false },
        { generator: "schema" },
      );
      expect(write).not.toHaveBeenCalled();
      expect(message).toMatch(/^CREATE {4}src\/db\/schema\/tags\.ts$/m);
      expect(message).toMatch(/^Plan: 1 to create, \d+ to update/m);
      expect(message).not.toMatch(STACK_TRACE);
    } finally {
      write.mockRestore();
    }
  });

  it("the next line carries no # comment, so a pasted line runs every step", async () => {
    const { action } = await plopAction("next-line");
    const message = await action(
      { name: "tags", columns: "label:text", migrate: false, install: false },
      { generator: "schema" },
    );
    const next = /next: (.*)$/m.exec(message)?.[1] ?? "";
    expect(next).toBe("npm run db:generate && npm run db:migrate && npx create-perf-backend generate repository tags");
  });
});
