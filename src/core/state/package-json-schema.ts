import * as z from "zod/mini";

import { lazySchema } from "./state-file.js";
import type { StateFileSpec } from "./state-file.js";

const versionMap = (section: string) =>
  z.record(z.string(), z.string({ error: `each ${section} entry must be a version string, e.g. "^1.2.3"` }), {
    error: `must be an object of package names to versions, e.g. { "pg": "^8.13.0" } (write {} for none)`,
  });

/** The parts of package.json this tool reads or adds to; everything else is the project's business. */
const buildPackageJsonSchema = () =>
  z.looseObject({
    name: z.optional(z.string({ error: 'must be a string, e.g. "my-service"' })),
    type: z.optional(z.enum(["module", "commonjs"], { error: 'must be "module" or "commonjs"' })),
    dependencies: z.optional(versionMap("dependencies")),
    devDependencies: z.optional(versionMap("devDependencies")),
    peerDependencies: z.optional(versionMap("peerDependencies")),
    scripts: z.optional(
      z.record(z.string(), z.string({ error: "each script must be a command string" }), {
        error: 'must be an object of script names to commands, e.g. { "test": "vitest run" }',
      }),
    ),
    workspaces: z.optional(
      z.union([z.array(z.string()), z.looseObject({ packages: z.optional(z.array(z.string())) })], {
        error: 'must be a list of globs, e.g. ["packages/*"], or { "packages": [...] }',
      }),
    ),
  });

export type PackageJsonSchema = ReturnType<typeof buildPackageJsonSchema>;

export const PACKAGE_JSON_SPEC: StateFileSpec<PackageJsonSchema> = {
  file: "package.json",
  schema: lazySchema(buildPackageJsonSchema),
  fix: "Fix package.json (npm pkg fix repairs common mistakes), then run again.",
};
