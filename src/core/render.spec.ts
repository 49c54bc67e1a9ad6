import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { renderString, templateStats, usePrecompiledTemplates } from "./render.js";
import { writePrecompiledModules } from "./template-precompile.js";

describe("renderString", () => {
  it("renders code verbatim: no HTML escaping of <, >, & or quotes", () => {
    const out = renderString("const x: {{type}} = {{value}};", { type: "Array<string>", value: `a && "b" || 'c'` });
    expect(out).toBe(`const x: Array<string> = a && "b" || 'c';`);
  });

  it("fails on a missing variable instead of rendering an empty string", () => {
    expect(() => renderString("hello {{name}}", {}, "greeting")).toThrow(
      /Rendering greeting failed: "name" not defined/,
    );
  });

  it("offers case helpers from change-case", () => {
    const out = renderString("{{camelCase n}} {{pascalCase n}} {{kebabCase n}} {{constantCase n}}", {
      n: "user profile",
    });
    expect(out).toBe("userProfile UserProfile user-profile USER_PROFILE");
  });
});

describe("precompiled templates", () => {
  const sources = [
    "const x: {{type}} = {{value}};",
    "{{#each items}}{{pascalCase this}}{{#if @last}}.{{else}}, {{/if}}{{/each}}",
    "{{#if flag}}{{constantCase name}}{{else}}{{kebabCase name}}{{/if}} {{nested.key}}",
    "hello {{name}}",
  ];
  const data = {
    type: "Map<string, number>",
    value: `a && "b"`,
    items: ["user profile", "post"],
    flag: false,
    name: "User Profile",
    nested: { key: "<k>" },
  };
  let dir: string | undefined;
  afterEach(() => {
    usePrecompiledTemplates(undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function renderAll(): { out: string[]; error: string } {
    const out = sources.slice(0, -1).map((source) => renderString(source, data));
    let error = "";
    try {
      renderString("hello {{name}}", {}, "greeting");
    } catch (caught) {
      error = (caught as Error).message;
    }
    return { out, error };
  }

  it("render exactly what the run-time compiler renders, errors included, without compiling", () => {
    usePrecompiledTemplates(path.join(tmpdir(), "no-such-precompiled-templates"));
    const compiledBefore = templateStats.compiledAtRunTime;
    const atRunTime = renderAll();
    expect(templateStats.compiledAtRunTime - compiledBefore).toBe(sources.length);

    dir = mkdtempSync(path.join(tmpdir(), "cpb-precompiled-"));
    writePrecompiledModules(sources, dir);
    usePrecompiledTemplates(dir);
    const [compiled, precompiled] = [templateStats.compiledAtRunTime, templateStats.precompiled];
    expect(renderAll()).toEqual(atRunTime);
    expect(templateStats.compiledAtRunTime).toBe(compiled);
    expect(templateStats.precompiled - precompiled).toBe(sources.length);
    expect(atRunTime.error).toMatch(/Rendering greeting failed: "name" not defined/);
  });

  it("compile at run time a template the build did not see (an edited one)", () => {
    dir = mkdtempSync(path.join(tmpdir(), "cpb-precompiled-"));
    writePrecompiledModules(["{{a}}"], dir);
    usePrecompiledTemplates(dir);
    const compiled = templateStats.compiledAtRunTime;
    expect(renderString("{{a}}!", { a: 1 })).toBe("1!");
    expect(templateStats.compiledAtRunTime).toBe(compiled + 1);
  });
});
