import { describe, expect, it } from "vitest";

import { createMemoryHost } from "../host.js";
import { moduleSpecifier } from "../module-specifier.js";
import { Tree } from "../tree.js";
import { applyImportStyle } from "./module-specifiers.js";

describe("moduleSpecifier", () => {
  it("writes NodeNext specifiers with .js and bundler ones without", () => {
    expect(moduleSpecifier({ importStyle: "nodenext" }, "src/repositories/a.ts", "src/db/client.ts")).toBe(
      "../db/client.js",
    );
    expect(moduleSpecifier({ importStyle: "bundler" }, "src/repositories/a.ts", "src/db/client.ts")).toBe(
      "../db/client",
    );
    expect(moduleSpecifier({ importStyle: "bundler" }, "src/db/a.ts", "src/db/client.ts")).toBe("./client");
    expect(moduleSpecifier({ importStyle: "bundler" }, "src/db/schema/posts.ts", "src/db/schema.ts")).toBe("../schema");
  });

  it("uses a path alias for imports across directories, not for siblings", () => {
    const layout = { importStyle: "bundler" as const, aliases: [{ prefix: "@/", target: "src/" }] };
    expect(moduleSpecifier(layout, "src/repositories/a.ts", "src/db/client.ts")).toBe("@/db/client");
    expect(moduleSpecifier(layout, "src/db/a.ts", "src/db/client.ts")).toBe("./client");
  });
});

describe("applyImportStyle", () => {
  const source = [
    'import { db } from "../db/client.js";',
    'import type { Database } from "../db/client.js";',
    'import { x } from "./x.js";',
    'import { z } from "zod";',
    'export * from "./y.js";',
    'vi.mock("../cache/redis-client.js");',
    'const late = await import("./late.js");',
    "",
  ].join("\n");

  it("rewrites every relative specifier of generated files to the project's style", async () => {
    const tree = new Tree(createMemoryHost());
    tree.write("src/repositories/users-repository.ts", source);
    await applyImportStyle(tree, ["src/repositories/users-repository.ts"], {
      srcDir: "src",
      importStyle: "bundler",
      aliases: [{ prefix: "@/", target: "src/" }],
    } as never);
    expect(tree.read("src/repositories/users-repository.ts")).toBe(
      [
        'import { db } from "@/db/client";',
        'import type { Database } from "@/db/client";',
        'import { x } from "./x";',
        'import { z } from "zod";',
        'export * from "./y";',
        'vi.mock("@/cache/redis-client");',
        'const late = await import("./late");',
        "",
      ].join("\n"),
    );
  });

  it("leaves NodeNext projects without aliases alone", async () => {
    const tree = new Tree(createMemoryHost());
    tree.write("src/a.ts", source);
    await applyImportStyle(tree, ["src/a.ts"], { srcDir: "src", importStyle: "nodenext" } as never);
    expect(tree.read("src/a.ts")).toBe(source);
  });
});
