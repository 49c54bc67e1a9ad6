import ts from "typescript";

// Packages whose objects run SQL: node-postgres, Drizzle, postgres.js and two hosted drivers built on them.
const DATABASE_PACKAGES = [
  "pg",
  "@types/pg",
  "pg-pool",
  "@types/pg-pool",
  "drizzle-orm",
  "postgres",
  "@neondatabase/serverless",
  "@vercel/postgres",
];
const REDIS_PACKAGES = ["redis", "@redis/client", "ioredis"];
// Base classes are followed this deep (class MyPool extends Pool).
const MAX_BASE_TYPE_DEPTH = 3;

function packagePattern(names: readonly string[]): RegExp {
  const escaped = names.map((name) => name.replaceAll("/", "\\/").replaceAll(".", "\\."));
  return new RegExp(`[\\\\/]node_modules[\\\\/](?:${escaped.join("|")})[\\\\/]`);
}

export const DATABASE_PACKAGE_PATTERN = packagePattern(DATABASE_PACKAGES);
export const REDIS_PACKAGE_PATTERN = packagePattern(REDIS_PACKAGES);

/** Files that declare a symbol (an alias is followed to what it names). */
export function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  // TypeScript's symbol flags are a bit set.
  return (symbol.flags & ts.SymbolFlags.Alias) === 0 ? symbol : checker.getAliasedSymbol(symbol);
}

/** Files that declare a symbol (an import alias is followed to what it names). */
export function declarationFiles(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): string[] {
  if (!symbol) return [];
  return (resolveAlias(checker, symbol).declarations ?? []).map((declaration) => declaration.getSourceFile().fileName);
}

/** A file of the project itself, not a dependency or a declaration file. */
export function isProjectFile(fileName: string): boolean {
  return !/[\\/]node_modules[\\/]/.test(fileName) && !/\.d\.[cm]?ts$/.test(fileName);
}

/** True when the type, a member of its union/intersection, its generic target or a base class is declared in a matching package. */
export function typeDeclaredIn(checker: ts.TypeChecker, type: ts.Type, pattern: RegExp, depth = 0): boolean {
  if (type.isUnionOrIntersection()) return type.types.some((member) => typeDeclaredIn(checker, member, pattern, depth));
  const symbols = [type.getSymbol(), type.aliasSymbol, (type as ts.TypeReference).target?.getSymbol()];
  for (const symbol of symbols) {
    for (const declaration of symbol?.declarations ?? []) {
      if (pattern.test(declaration.getSourceFile().fileName)) return true;
    }
  }
  if (depth < MAX_BASE_TYPE_DEPTH && type.isClassOrInterface()) {
    return (checker.getBaseTypes(type) ?? []).some((base) => typeDeclaredIn(checker, base, pattern, depth + 1));
  }
  return false;
}

/** A value that `await` waits for: a Promise or any object with a callable `then` (Drizzle and postgres.js queries). */
export function isThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  const members = type.isUnion() ? type.types : [type];
  return members.some((member) => {
    const then = checker.getPropertyOfType(checker.getApparentType(member), "then");
    return then !== undefined && checker.getTypeOfSymbol(then).getCallSignatures().length > 0;
  });
}
