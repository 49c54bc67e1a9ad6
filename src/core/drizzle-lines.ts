import { DEPENDENCY_VERSIONS } from "./packages/dependency-versions.js";

/**
 * The drizzle-orm lines a new project can be created on (`create --drizzle <line>`), each with the drizzle-kit that
 * writes its migration folder: "0" is 0.45 (v0 `relations()`, drizzle-kit's journal), "1" is the 1.0 line
 * (`defineRelations`, relational queries v2, one folder per migration).
 */
export const DRIZZLE_LINES = {
  "0": { "drizzle-orm": DEPENDENCY_VERSIONS["drizzle-orm"], "drizzle-kit": DEPENDENCY_VERSIONS["drizzle-kit"] },
  "1": { "drizzle-orm": "1.0.0-rc.5", "drizzle-kit": "1.0.0-rc.5" },
} as const satisfies Record<string, { "drizzle-orm": string; "drizzle-kit": string }>;

export type DrizzleLine = keyof typeof DRIZZLE_LINES;

export const DRIZZLE_LINE_CHOICES = ["0", "1"] as const satisfies readonly DrizzleLine[];

/**
 * The line of drizzle-orm's `latest` registry tag when this version was released (0.45.4; 1.0 is still `rc`):
 * what a new project gets unless it asks. Move it with the tag, and the README's `create` flags with it.
 */
export const DEFAULT_DRIZZLE_LINE: DrizzleLine = "0";
