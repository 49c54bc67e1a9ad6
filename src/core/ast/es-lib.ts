import type * as TsMorphModule from "ts-morph";
import type { SourceFile } from "ts-morph";

import type { ProjectLayout } from "../manifest.js";
import { TYPESCRIPT_FILE } from "../module-specifier.js";
import type { Tree } from "../tree.js";
import { editSourceFile } from "./edit-source.js";

// Editions that brought what templates use: replaceAll and AggregateError (ES2021), Array#at (ES2022).
const ES2021 = 2021;
const ES2022 = 2022;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
// A digit run ending in `n` (`0n`, `1_000n`): a cheap look before parsing; the AST decides.
const BIGINT_LITERAL = /\b\d[\d_]*n\b/;
// Node >= 20 has AggregateError at run time; only the ES2020 lib lacks its type.
const AGGREGATE_ERROR_FALLBACK = [
  "// Your tsconfig's lib (before ES2021) has no AggregateError type; Node has the class itself.",
  "const AggregateError = (globalThis as unknown as { AggregateError: new (errors: Iterable<unknown>, message?: string) => Error & { errors: unknown[] } }).AggregateError;",
].join("\n");

type TsMorph = typeof TsMorphModule;

/** `items.at(-1)` -> `items[items.length - 1]` where the receiver is a plain name or property path. */
function replaceAt(sourceFile: SourceFile, tsMorph: TsMorph): void {
  const { SyntaxKind } = tsMorph;
  const calls = sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression).reverse();
  for (const call of calls) {
    if (call.wasForgotten()) continue;
    const callee = call.getExpression();
    if (
      !callee.isKind(SyntaxKind.PropertyAccessExpression) ||
      callee.getName() !== "at" ||
      call.getArguments().length !== 1
    )
      continue;
    const receiver = callee.getExpression();
    const plainPath =
      receiver.isKind(SyntaxKind.Identifier) ||
      (receiver.isKind(SyntaxKind.PropertyAccessExpression) && !receiver.getText().includes("("));
    const index = call.getArguments()[0]?.getText() ?? "";
    if (!plainPath || !/^-?\d+$/.test(index)) continue;
    const target = receiver.getText();
    call.replaceWithText(
      index.startsWith("-") ? `${target}[${target}.length - ${index.slice(1)}]` : `${target}[${index}]`,
    );
  }
}

/** A const of this file initialised with a regex literal (`const URL_CREDENTIALS = /.../g`). */
function isRegexConst(sourceFile: SourceFile, tsMorph: TsMorph, name: string): boolean {
  if (!/^\w+$/.test(name)) return false;
  return (
    sourceFile.getVariableDeclaration(name)?.getInitializer()?.isKind(tsMorph.SyntaxKind.RegularExpressionLiteral) ===
    true
  );
}

/** `text.replaceAll("-", "")` -> `text.replace(/-/g, "")`; a global regex argument only changes the method name. */
function replaceReplaceAll(sourceFile: SourceFile, tsMorph: TsMorph): void {
  const { SyntaxKind } = tsMorph;
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression).reverse()) {
    if (call.wasForgotten()) continue;
    const callee = call.getExpression();
    if (!callee.isKind(SyntaxKind.PropertyAccessExpression) || callee.getName() !== "replaceAll") continue;
    const [pattern] = call.getArguments();
    if (pattern?.isKind(SyntaxKind.StringLiteral)) {
      pattern.replaceWithText(`/${pattern.getLiteralValue().replace(REGEX_SPECIAL, "\\$&")}/g`);
    } else if (
      !pattern?.isKind(SyntaxKind.RegularExpressionLiteral) &&
      !isRegexConst(sourceFile, tsMorph, pattern?.getText() ?? "")
    ) {
      continue;
    }
    callee.getNameNode().replaceWithText("replace");
  }
}

/** A file that uses AggregateError gets a typed handle on Node's own class after its imports. */
function declareAggregateError(sourceFile: SourceFile, tsMorph: TsMorph): void {
  const uses = sourceFile
    .getDescendantsOfKind(tsMorph.SyntaxKind.Identifier)
    .some((identifier) => identifier.getText() === "AggregateError");
  if (!uses || sourceFile.getVariableDeclaration("AggregateError")) return;
  sourceFile.insertStatements(sourceFile.getImportDeclarations().length, `\n${AGGREGATE_ERROR_FALLBACK}\n`);
}

/** `1n` -> `BigInt(1)` (a string argument past 2^53, where a number literal would round); literal types stay. */
function replaceBigIntLiterals(sourceFile: SourceFile, tsMorph: TsMorph): void {
  const { SyntaxKind } = tsMorph;
  for (const literal of sourceFile.getDescendantsOfKind(SyntaxKind.BigIntLiteral).reverse()) {
    if (literal.wasForgotten() || literal.getParent()?.isKind(SyntaxKind.LiteralType)) continue;
    const digits = literal.getText().slice(0, -1);
    const exact = Number.isSafeInteger(Number(digits.replaceAll("_", "")));
    literal.replaceWithText(exact ? `BigInt(${digits})` : `BigInt("${digits.replaceAll("_", "")}")`);
  }
}

/**
 * Generated code is written for ES2022; a repo whose tsconfig `lib` is older (recorded as `esLib`) gets the
 * same behaviour in forms its lib declares: replaceAll as a global replace, `.at()` as an index, AggregateError
 * through globalThis. Anything else its lib lacks is left for the pre-commit typecheck to report.
 */
export async function applyEsLib(
  tree: Tree,
  files: readonly string[],
  layout: Pick<ProjectLayout, "esLib" | "bigintLiterals">,
): Promise<void> {
  const esLib = layout.esLib;
  const oldLib = esLib !== undefined && esLib < ES2022;
  const noBigIntLiterals = layout.bigintLiterals === false;
  if (!oldLib && !noBigIntLiterals) return;
  for (const file of files.filter((candidate) => TYPESCRIPT_FILE.test(candidate))) {
    const text = tree.read(file) ?? "";
    const needsLib = oldLib && /\.at\(|\.replaceAll\(|\bAggregateError\b/.test(text);
    const needsBigInt = noBigIntLiterals && BIGINT_LITERAL.test(text);
    if (!needsLib && !needsBigInt) continue;
    await editSourceFile(tree, file, (sourceFile, tsMorph) => {
      if (needsBigInt) replaceBigIntLiterals(sourceFile, tsMorph);
      if (!needsLib || esLib === undefined) return;
      replaceAt(sourceFile, tsMorph);
      if (esLib < ES2021) {
        replaceReplaceAll(sourceFile, tsMorph);
        declareAggregateError(sourceFile, tsMorph);
      }
    });
  }
}
