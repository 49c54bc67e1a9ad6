import type * as TsMorphModule from "ts-morph";
import type { SourceFile } from "ts-morph";

import { GenerationError } from "../errors.js";
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
  if (text === normalized) return;
  if (style.crlf) text = text.replaceAll("\n", "\r\n");
  if (style.bom) text = `${BOM}${text}`;
  tree.write(filePath, text, { kind: "edit" });
}
