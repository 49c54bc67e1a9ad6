import { z } from "zod";

import type { StateFileSpec } from "./state-file.js";

/** The parts of tsconfig.json init reads; TypeScript itself checks the rest. */
export const tsconfigSchema = z.looseObject({
  extends: z.union([z.string(), z.array(z.string())], { error: 'must be a path or a list of paths, e.g. "./tsconfig.base.json"' }).optional(),
  compilerOptions: z
    .looseObject({
      module: z.string({ error: 'must be a string, e.g. "NodeNext"' }).optional(),
      moduleResolution: z.string({ error: 'must be a string, e.g. "NodeNext" or "Bundler"' }).optional(),
      baseUrl: z.string({ error: "must be a path string" }).optional(),
      paths: z
        .record(z.string(), z.array(z.string(), { error: 'each alias maps to a list of paths, e.g. ["./src/*"]' }), {
          error: 'must be an object of aliases to path lists, e.g. { "@/*": ["./src/*"] }',
        })
        .optional(),
    }, { error: "must be an object of compiler options" })
    .optional(),
  include: z.array(z.string(), { error: 'must be a list of globs, e.g. ["src"]' }).optional(),
});

export const TSCONFIG_SPEC: StateFileSpec<typeof tsconfigSchema> = {
  file: "tsconfig.json",
  schema: tsconfigSchema,
  fix: "Fix tsconfig.json (`npx tsc --showConfig` shows what TypeScript makes of it), then run again.",
};
