import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { camelCase, constantCase, kebabCase, pascalCase } from "change-case";
import Handlebars from "handlebars";

import { GenerationError } from "./errors.js";
import { packageRoot } from "./package-root.js";

const TEMPLATE_SUFFIX = ".hbs";

// Own environment: helpers registered here never leak into a host's (e.g. plop's) Handlebars.
const handlebars = Handlebars.create();
const caseHelpers = { camelCase, constantCase, kebabCase, pascalCase };
for (const [name, convert] of Object.entries(caseHelpers)) {
  handlebars.registerHelper(name, (value: unknown) => {
    if (typeof value !== "string") throw new Error(`${name} expects a string, got ${typeof value}`);
    return convert(value);
  });
}

type CompiledTemplate = (data: object) => string;
const compiled = new Map<string, CompiledTemplate>();

/** Code is rendered verbatim (`noEscape`), and a missing variable is an error (`strict`). */
export function renderString(source: string, data: object, name = "template"): string {
  let template = compiled.get(source);
  if (!template) {
    template = handlebars.compile(source, { noEscape: true, strict: true });
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
