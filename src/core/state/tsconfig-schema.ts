import * as z from "zod/mini";

import { lazySchema } from "./state-file.js";
import type { StateFileSpec } from "./state-file.js";

/** The parts of tsconfig.json init reads; TypeScript itself checks the rest. */
const buildTsconfigSchema = () =>
  z.looseObject({
    extends: z.optional(
      z.union([z.string(), z.array(z.string())], {
        error: 'must be a path or a list of paths, e.g. "./tsconfig.base.json"',
      }),
    ),
    compilerOptions: z.optional(
      z.looseObject(
        {
          module: z.optional(z.string({ error: 'must be a string, e.g. "NodeNext"' })),
          moduleResolution: z.optional(z.string({ error: 'must be a string, e.g. "NodeNext" or "Bundler"' })),
          baseUrl: z.optional(z.string({ error: "must be a path string" })),
          paths: z.optional(
            z.record(
              z.string(),
              z.array(z.string(), { error: 'each alias maps to a list of paths, e.g. ["./src/*"]' }),
              {
                error: 'must be an object of aliases to path lists, e.g. { "@/*": ["./src/*"] }',
              },
            ),
          ),
        },
        { error: "must be an object of compiler options" },
      ),
    ),
    include: z.optional(z.array(z.string(), { error: 'must be a list of globs, e.g. ["src"]' })),
  });

export type TsconfigSchema = ReturnType<typeof buildTsconfigSchema>;

export const TSCONFIG_SPEC: StateFileSpec<TsconfigSchema> = {
  file: "tsconfig.json",
  schema: lazySchema(buildTsconfigSchema),
  fix: "Fix tsconfig.json (`npx tsc --showConfig` shows what TypeScript makes of it), then run again.",
};
