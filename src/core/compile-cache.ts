import * as nodeModule from "node:module";

/** Turns on Node's module compile cache (Node >= 22.1; absent on Node 20, where this does nothing). */
export function enableCompileCache(): void {
  if ("enableCompileCache" in nodeModule && typeof nodeModule.enableCompileCache === "function")
    nodeModule.enableCompileCache();
}
