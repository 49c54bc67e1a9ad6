import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../core/host.js";
import { Tree } from "../core/tree.js";
import { addDependencies } from "./add-dependencies.js";

const json = (value: unknown, indent: string | number = 2): string => `${JSON.stringify(value, null, indent)}\n`;
const PACKAGE = json({
  name: "@acme/api",
  dependencies: { "@acme/db": "workspace:*" },
  devDependencies: { "drizzle-kit": "0.30.0" },
});
const ADDITIONS = {
  dependencies: { piscina: "5.3.2" },
  devDependencies: { tsx: "4.23.15", typescript: "6.0.3", "drizzle-kit": "0.31.11", "create-perf-backend": "^0.1.0" },
};

function workspaceTree(root: string): Tree {
  return new Tree(
    createMemoryHost({ "package.json": PACKAGE, "../../package.json": root }, { workspaceRoot: "../.." }),
  );
}

describe("addDependencies in a workspace package", () => {
  it("puts new dev tools in the root's package.json when the root keeps the toolchain; runtime ones and our tool stay", () => {
    const tree = workspaceTree(
      json({ private: true, devDependencies: { typescript: "5.8.3", vitest: "3.2.4" } }, "\t"),
    );
    const changes = addDependencies(tree, ADDITIONS, "pnpm");
    expect(changes.addedToRoot).toEqual(["devDependencies tsx@4.23.15"]);
    expect(changes.added).toEqual(["dependencies piscina@5.3.2", "devDependencies create-perf-backend@^0.1.0"]);
    expect(tree.read("../../package.json")).toBe(
      json({ private: true, devDependencies: { tsx: "4.23.15", typescript: "5.8.3", vitest: "3.2.4" } }, "\t"),
    );
    // drizzle-kit: the package's own stays; typescript: the root's.
    expect(JSON.parse(tree.read("package.json") ?? "")).toEqual({
      name: "@acme/api",
      dependencies: { "@acme/db": "workspace:*", piscina: "5.3.2" },
      devDependencies: { "create-perf-backend": "^0.1.0", "drizzle-kit": "0.30.0" },
    });
    expect(changes.tasks).toEqual([{ kind: "install", packageManager: "pnpm" }]);
  });

  it("keeps in the package a dev tool the workspace keeps per package (its db package declares drizzle-kit)", () => {
    const tree = new Tree(
      createMemoryHost(
        {
          "package.json": json({ name: "@acme/api" }),
          "../../package.json": json({ devDependencies: { typescript: "5.8.3" } }),
        },
        { workspaceRoot: "../.." },
      ),
    );
    const changes = addDependencies(tree, { devDependencies: { "drizzle-kit": "0.31.10", tsx: "4.23.15" } }, "npm", {
      inPackage: ["drizzle-kit"],
    });
    expect(changes.added).toEqual(["devDependencies drizzle-kit@0.31.10"]);
    expect(changes.addedToRoot).toEqual(["devDependencies tsx@4.23.15"]);
  });

  it("leaves the root alone when it keeps no toolchain, yet never adds what the root declares", () => {
    const root = json({ private: true, dependencies: { typescript: "5.8.3" } });
    const tree = workspaceTree(root);
    const changes = addDependencies(tree, ADDITIONS, "pnpm");
    expect(changes.addedToRoot).toEqual([]);
    expect(tree.isStaged("../../package.json")).toBe(false);
    expect(changes.added).toEqual([
      "dependencies piscina@5.3.2",
      "devDependencies tsx@4.23.15",
      "devDependencies create-perf-backend@^0.1.0",
    ]);
  });

  it("outside a workspace, adds everything to the package", () => {
    const tree = new Tree(createMemoryHost({ "package.json": PACKAGE }));
    const changes = addDependencies(tree, ADDITIONS, "npm");
    expect(changes.addedToRoot).toEqual([]);
    expect(changes.added).toContain("devDependencies typescript@6.0.3");
  });
});
