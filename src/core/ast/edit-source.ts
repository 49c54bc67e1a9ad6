import type * as TsMorphModule from "ts-morph";
import type { SourceFile } from "ts-morph";

import { GenerationError } from "../output/errors.js";
import type { Tree } from "../tree.js";

type TsMorph = typeof TsMorphModule;

let tsMorphModule: Promise<TsMorph> | undefined;

/** ts-morph costs most of a second to import: only runs that edit TypeScript pay for it. */
export function loadTsMorph(): Promise<TsMorph> {
  tsMorphModule ??= import("ts-morph");
  return tsMorphModule;
}

/** A ts-morph project holding only the files added to it: never the repo, never lib files. */
export async function createScratchProject(settings: TsMorphModule.ProjectOptions["manipulationSettings"] = {}) {
  const tsMorph = await loadTsMorph();
  const project = new tsMorph.Project({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    manipulationSettings: settings,
  });
  return { project, tsMorph };
}

const BOM = "\uFEFF";
const FOUR_SPACES = 4;

interface FileStyle {
  bom: boolean;
  crlf: boolean;
  indentation: "tab" | "two" | "four";
  singleQuotes: boolean;
}

function detectStyle(text: string): FileStyle {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? "  ";
  const singles = (text.match(/from '/g) ?? []).length;
  const doubles = (text.match(/from "/g) ?? []).length;
  return {
    bom: text.startsWith(BOM),
    crlf: text.includes("\r\n"),
    indentation: indent.startsWith("\t") ? "tab" : indent.length >= FOUR_SPACES ? "four" : "two",
    singleQuotes: singles > doubles,
  };
}

/**
 * Text an edit inserts (a relation's `relationName: "..."`, built as a string) in a single-quoted file's quotes, as
 * its Prettier (`singleQuote`) or its author writes them. Only lines the original did not have are touched, and only
 * literals without quotes or escapes inside.
 */
function singleQuoteInsertedLines(original: string, edited: string, ts: TsMorph["ts"]): string {
  const before = new Map<string, number>();
  for (const line of original.split("\n")) before.set(line, (before.get(line) ?? 0) + 1);
  const added = new Set<number>();
  edited.split("\n").forEach((line, index) => {
    const count = before.get(line) ?? 0;
    if (count > 0) before.set(line, count - 1);
    else added.add(index);
  });
  if (added.size === 0) return edited;
  const source = ts.createSourceFile("edited.ts", edited, ts.ScriptTarget.Latest, true);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const visit = (node: TsMorphModule.ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      const start = node.getStart(source);
      const raw = node.getText(source);
      if (raw.startsWith('"') && !/['\\]/.test(raw) && added.has(source.getLineAndCharacterOfPosition(start).line)) {
        edits.push({ start, end: node.getEnd(), text: `'${raw.slice(1, -1)}'` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let text = edited;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return text;
}

export type SourceEdit = (sourceFile: SourceFile, tsMorph: TsMorph) => void;

/**
 * Edits one TypeScript file of the tree through the AST, keeping its BOM, line endings, indentation and quotes.
 * Only this file is loaded: never the whole project.
 */
export async function editSourceFile(tree: Tree, filePath: string, edit: SourceEdit): Promise<void> {
  const original = tree.read(filePath);
  if (original === null) throw new GenerationError(`Cannot edit ${filePath}: the file does not exist.`);
  const style = detectStyle(original);
  const { tsMorph: morph } = await createScratchProject();
  const { project, tsMorph } = await createScratchProject({
    newLineKind: morph.NewLineKind.LineFeed,
    indentationText:
      style.indentation === "tab"
        ? morph.IndentationText.Tab
        : style.indentation === "four"
          ? morph.IndentationText.FourSpaces
          : morph.IndentationText.TwoSpaces,
    quoteKind: style.singleQuotes ? morph.QuoteKind.Single : morph.QuoteKind.Double,
    useTrailingCommas: true,
  });
  // Edit on LF text and restore CRLF after: ts-morph would otherwise mix the two.
  const normalized = original.replace(/^\uFEFF/, "").replaceAll("\r\n", "\n");
  const sourceFile = project.createSourceFile(`/${filePath}`, normalized, { overwrite: true });
  edit(sourceFile, tsMorph);
  let text = sourceFile.getFullText();
  if (style.singleQuotes) text = singleQuoteInsertedLines(normalized, text, tsMorph.ts);
  if (text === normalized) return;
  if (style.crlf) text = text.replaceAll("\n", "\r\n");
  if (style.bom) text = `${BOM}${text}`;
  tree.write(filePath, text, { kind: "edit" });
}
