import { AST_NODE_TYPES, ESLintUtils } from "@typescript-eslint/utils";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

import {
  DATABASE_PACKAGE_PATTERN,
  declarationFiles,
  isProjectFile,
  isThenable,
  typeDeclaredIn,
} from "./type-origin.js";

// Where a project keeps its data access: src/repositories/*, users-repository.ts, users.repository.ts.
export const DEFAULT_REPOSITORY_PATTERN = String.raw`[\\/]repositories?[\\/]|[-.]repository\.[cm]?[jt]sx?$`;

export type DatabaseCallKind = "driver" | "repository";

export interface DatabaseCall {
  kind: DatabaseCallKind;
  /** How the call reads in the source, shortened: `pool.query`, `db.query.users.findFirst`, `sql`...``. */
  label: string;
}

const MAX_LABEL_LENGTH = 60;

function shorten(text: string): string {
  const oneLine = text.replaceAll(/\s+/g, " ");
  return oneLine.length > MAX_LABEL_LENGTH ? `${oneLine.slice(0, MAX_LABEL_LENGTH - 1)}…` : oneLine;
}

/**
 * Decides from types whether a call runs SQL: a method of a node-postgres, Drizzle or postgres.js object (or a
 * postgres.js tagged template) that returns something awaitable, or a function declared in the project's repositories.
 */
export function createDatabaseCallClassifier<MessageIds extends string, Options extends readonly unknown[]>(
  context: Readonly<TSESLint.RuleContext<MessageIds, Options>>,
  repositoryPattern: string = DEFAULT_REPOSITORY_PATTERN,
): (node: TSESTree.CallExpression | TSESTree.TaggedTemplateExpression) => DatabaseCall | undefined {
  const services = ESLintUtils.getParserServices(context);
  const checker = services.program.getTypeChecker();
  const repositoryFile = new RegExp(repositoryPattern);
  const source = context.sourceCode;

  return (node) => {
    const resultType = services.getTypeAtLocation(node);
    if (!isThenable(checker, resultType)) return undefined;
    if (node.type === AST_NODE_TYPES.TaggedTemplateExpression) {
      return typeDeclaredIn(checker, services.getTypeAtLocation(node.tag), DATABASE_PACKAGE_PATTERN)
        ? { kind: "driver", label: `${shorten(source.getText(node.tag))}\`...\`` }
        : undefined;
    }
    const callee = node.callee;
    const label = shorten(source.getText(callee));
    const calleeSymbol = services.getSymbolAtLocation(
      callee.type === AST_NODE_TYPES.MemberExpression ? callee.property : callee,
    );
    const files = declarationFiles(checker, calleeSymbol);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      // The receiver's type, or the method itself when the receiver is a mapped type (Drizzle's Omit<...> builders).
      const receiverIsDatabase = typeDeclaredIn(
        checker,
        services.getTypeAtLocation(callee.object),
        DATABASE_PACKAGE_PATTERN,
      );
      if (receiverIsDatabase || files.some((file) => DATABASE_PACKAGE_PATTERN.test(file)))
        return { kind: "driver", label };
    }
    if (files.some((file) => isProjectFile(file) && repositoryFile.test(file))) return { kind: "repository", label };
    return undefined;
  };
}
