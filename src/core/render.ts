import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { camelCase, constantCase, kebabCase, pascalCase } from "change-case";
import type HandlebarsModule from "handlebars";

import { GenerationError } from "./output/errors.js";
import { packageRoot } from "./packages/package-root.js";
import {
  PRECOMPILED_INDEX,
  PRECOMPILED_TEMPLATES_DIR,
  TEMPLATE_COMPILE_OPTIONS,
  templateKey,
} from "./template-precompile.js";

const TEMPLATE_SUFFIX = ".hbs";

type Handlebars = typeof HandlebarsModule;
type TemplateSpec = Parameters<Handlebars["template"]>[0];
type CompiledTemplate = (data: object) => string;

const require = createRequire(import.meta.url);
const caseHelpers = { camelCase, constantCase, kebabCase, pascalCase };

// Own environments: helpers registered here never leak into a host's (e.g. plop's) Handlebars.
function withHelpers(handlebars: Handlebars): Handlebars {
  const environment = handlebars.create();
  for (const [name, convert] of Object.entries(caseHelpers)) {
    environment.registerHelper(name, (value: unknown) => {
      if (typeof value !== "string") throw new Error(`${name} expects a string, got ${typeof value}`);
      return convert(value);
    });
  }
  return environment;
}

// The runtime alone executes precompiled templates; the compiler (and source-map) loads only for a template
// missing from the precompiled set (an edited template under tsx, or an inline source).
let runtime: Handlebars | undefined;
let compiler: Handlebars | undefined;
let precompiledDir: string | undefined;
const compiled = new Map<string, CompiledTemplate>();
// The index of precompiled keys (null: none built) and the packs loaded so far, by file name.
let precompiledIndex: Readonly<Record<string, string>> | null | undefined;
const packs = new Map<string, Readonly<Record<string, TemplateSpec>>>();

/** How the templates of this process were made ready: the generated-hashes and perf tests read it. */
export const templateStats = { precompiled: 0, compiledAtRunTime: 0 };

/** Test seam: the folder of precompiled modules to use (default dist/precompiled-templates); resets what was loaded. */
export function usePrecompiledTemplates(dir: string | undefined): void {
  precompiledDir = dir;
  compiled.clear();
  precompiledIndex = undefined;
  packs.clear();
}

function precompiledSpec(source: string): TemplateSpec | undefined {
  const dir = precompiledDir ?? path.join(packageRoot(), "dist", PRECOMPILED_TEMPLATES_DIR);
  if (precompiledIndex === undefined) {
    // Not built (a dev run from src/): every template compiles at run time.
    const indexFile = path.join(dir, PRECOMPILED_INDEX);
    precompiledIndex = existsSync(indexFile)
      ? (JSON.parse(readFileSync(indexFile, "utf8")) as Record<string, string>)
      : null;
  }
  const key = templateKey(source);
  // An edited template misses: it compiles at run time.
  const file = precompiledIndex?.[key];
  if (file === undefined) return undefined;
  let pack = packs.get(file);
  if (!pack) {
    pack = require(path.join(dir, file)) as Record<string, TemplateSpec>;
    packs.set(file, pack);
  }
  return pack[key];
}

function compileTemplate(source: string): CompiledTemplate {
  const spec = precompiledSpec(source);
  if (spec) {
    runtime ??= withHelpers(require("handlebars/runtime") as Handlebars);
    templateStats.precompiled += 1;
    return runtime.template(spec);
  }
  compiler ??= withHelpers(require("handlebars") as Handlebars);
  templateStats.compiledAtRunTime += 1;
  return compiler.compile(source, { ...TEMPLATE_COMPILE_OPTIONS });
}

/** Code is rendered verbatim (`noEscape`), and a missing variable is an error (`strict`). */
export function renderString(source: string, data: object, name = "template"): string {
  let template = compiled.get(source);
  if (!template) {
    template = compileTemplate(source);
    compiled.set(source, template);
  }
  try {
    return template(data);
  } catch (error) {
    throw new GenerationError(`Rendering ${name} failed: ${(error as Error).message}`);
  }
}

const templateCache = new Map<string, ReadonlyMap<string, string>>();

/** Template files of one folder under templates/, keyed by path relative to it (suffix removed). */
export function loadTemplates(folder: string): ReadonlyMap<string, string> {
  const cached = templateCache.get(folder);
  if (cached) return cached;
  const base = path.join(packageRoot(), "templates", folder);
  const templates = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(TEMPLATE_SUFFIX)) {
        const relative = path.relative(base, full).split(path.sep).join("/");
        templates.set(relative.slice(0, -TEMPLATE_SUFFIX.length), readFileSync(full, "utf8"));
      }
    }
  };
  try {
    walk(base);
  } catch (error) {
    throw new GenerationError(`Cannot read templates/${folder}: ${(error as Error).message}`);
  }
  templateCache.set(folder, templates);
  return templates;
}

export function renderTemplateFile(folder: string, name: string, data: object): string {
  const source = loadTemplates(folder).get(name);
  if (source === undefined) throw new GenerationError(`Missing template templates/${folder}/${name}${TEMPLATE_SUFFIX}`);
  return renderString(source, data, `templates/${folder}/${name}`);
}

/** Barrels grow with every generator run: a re-run must not reset them to their first content. */
export const isBarrel = (file: string): boolean => /(?:^|\/)index\.ts$/.test(file);
