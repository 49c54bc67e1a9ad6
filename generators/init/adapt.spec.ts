import { describe, expect, it } from "vitest";

import { runGenerator } from "../testing.js";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const TSCONFIG = json({ compilerOptions: { strict: true, module: "NodeNext" }, include: ["src"] });

describe("init adapts to the repo it lands in", () => {
  it("gives a CommonJS package vitest.config.mts (a .ts config would load through Vite's deprecated CJS build)", async () => {
    const cjs = await runGenerator("init", { toolSpec: "^0.1.0" }, { "package.json": json({ name: "cjs" }), "tsconfig.json": TSCONFIG });
    expect(Object.keys(cjs.files)).toContain("vitest.config.mts");
    expect(Object.keys(cjs.files)).not.toContain("vitest.config.ts");
    const esm = await runGenerator("init", { toolSpec: "^0.1.0" }, { "package.json": json({ name: "esm", type: "module" }), "tsconfig.json": TSCONFIG });
    expect(Object.keys(esm.files)).toContain("vitest.config.ts");
  });
});
