import path from "node:path";

import type { ts as TypeScript } from "ts-morph";

import { loadTsMorph } from "../ast/edit-source.js";

/** The code style a repo without a formatter config writes by hand, read from a few of its files. */
export interface SourceStyle {
  /** One level of indentation: "\t" or some spaces. */
  indent: string;
  quote: "'" | '"';
}

// Templates are written with two spaces and double quotes.
const TEMPLATE_INDENT = "  ";
const SAMPLE_FILES = 5;
const SOURCE = /\.[cm]?[jt]s$/;
const INDENTED_LINE = /^(\t+|[ ]+)\S/m;
const STRING_LITERALS = /(["'])(?:(?!\1)[^\\\n]|\\.)*\1/g;

/** Indentation and quotes of the repo's own sources (null: nothing to learn, keep ours). */
export function detectSourceStyle(sources: readonly string[]): SourceStyle | null {
  const samples = sources.slice(0, SAMPLE_FILES);
  if (samples.length === 0) return null;
  const indents = samples
    .map((text) => INDENTED_LINE.exec(text)?.[1])
    .filter((indent): indent is string => indent !== undefined);
  const tabs = indents.filter((indent) => indent.startsWith("\t")).length;
  const smallest = Math.min(...indents.filter((indent) => !indent.startsWith("\t")).map((indent) => indent.length));
  let single = 0;
  let double = 0;
  for (const text of samples) {
    for (const match of text.matchAll(STRING_LITERALS)) {
      if (match[1] === "'") single += 1;
      else double += 1;
    }
  }
  return {
    indent: tabs > indents.length / 2 ? "\t" : Number.isFinite(smallest) ? " ".repeat(smallest) : TEMPLATE_INDENT,
    quote: single > double ? "'" : '"',
  };
}

/** The repo's own source files to learn from: a few under its source root, never generated ones. */
export function styleSamples(
  read: (file: string) => string | null,
  list: (dir: string) => string[],
  srcDir: string,
  ours: ReadonlySet<string>,
): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of list(dir).sort()) {
      if (found.length >= SAMPLE_FILES || name === "node_modules") return;
      const child = path.posix.join(dir, name);
      if (SOURCE.test(name) && !name.endsWith(".d.ts")) {
        const text = ours.has(child) ? null : read(child);
        if (text) found.push(text);
      } else if (!name.includes(".")) walk(child);
    }
  };
  walk(srcDir);
  return found;
}

/**
 * Rewrites a generated file to the repo's indentation and quotes: leading indentation outside
 * template literals, and double-quoted strings without quotes or escapes inside.
 */
export async function applySourceStyle(file: string, text: string, style: SourceStyle): Promise<string> {
  if (style.indent === TEMPLATE_INDENT && style.quote === '"') return text;
  const { ts } = await loadTsMorph();
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const templates: Array<[number, number]> = [];
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const visit = (node: TypeScript.Node): void => {
    if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node))
      templates.push([node.getStart(source), node.getEnd()]);
    if (style.quote === "'" && ts.isStringLiteral(node)) {
      const raw = node.getText(source);
      if (raw.startsWith('"') && !raw.includes("'") && !raw.includes("\\"))
        edits.push({ start: node.getStart(source), end: node.getEnd(), text: `'${raw.slice(1, -1)}'` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let quoted = text;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    quoted = quoted.slice(0, edit.start) + edit.text + quoted.slice(edit.end);
  if (style.indent === TEMPLATE_INDENT) return quoted;
  // Quote edits keep lengths, so template ranges still hold.
  const insideTemplate = (offset: number): boolean => templates.some(([start, end]) => offset > start && offset < end);
  let offset = 0;
  return quoted
    .split("\n")
    .map((line) => {
      const lineStart = offset;
      offset += line.length + 1;
      if (insideTemplate(lineStart)) return line;
      return line.replace(/^(?: {2})+/, (indent) => style.indent.repeat(indent.length / TEMPLATE_INDENT.length));
    })
    .join("\n");
}
