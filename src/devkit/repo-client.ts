import type { FileHost } from "../core/host.js";
import { Tree } from "../core/tree.js";
import type { ClientFacts } from "../schema-model/index.js";
import { locateDrizzleClient } from "../schema-model/index.js";

export type { ClientFacts as RepoDrizzleClient } from "../schema-model/index.js";

/** The repo's drizzle client read before anything is staged (init's normalize step sees the host, not a tree). */
export function locateRepoDrizzleClient(host: FileHost, ignore: ReadonlySet<string>): Promise<ClientFacts | null> {
  return locateDrizzleClient(new Tree(host), { ignore });
}
