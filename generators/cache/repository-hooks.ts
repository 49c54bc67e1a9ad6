import type { RepositoryLoader } from "./repositories.js";

/** What a cache made with `--repository` imports from that repository module besides its `find<Entity>ById`. */
export interface RepositoryHooks {
  /** `getUserRow`: the row alone (no eager relations): what the cache stores. */
  rowLoader: string;
  /** `onUserWritten(listener)`: called after every committed write of the entity. */
  writeListener: string;
  /** `notifyUserWritten(id)`: what the repository calls after a write (after commit); the cache test calls it too. */
  notifyWritten: string;
}

export function repositoryHooks(loader: RepositoryLoader): RepositoryHooks {
  return {
    rowLoader: `get${loader.entity}Row`,
    writeListener: `on${loader.entity}Written`,
    notifyWritten: `notify${loader.entity}Written`,
  };
}
