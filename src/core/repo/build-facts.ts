import path from "node:path";

import picomatch from "picomatch";

import { loadTsMorph } from "../ast/edit-source.js";
import type { FileHost } from "../host.js";

const PROJECT_FLAG = /\btsc\b[^&|;]*?(?:-p|--project)\s+(\S+)/;
const PLAIN_TSC = /(?:^|&&|;)\s*tsc(?:\s+-b)?\s*(?:$|&&|;)/;
const DEFAULT_TSCONFIG = "tsconfig.json";

/**
 * The tsconfig the repo's `build` script compiles with, when it is tsc (`tsc`, `tsc -p tsconfig.build.json`);
 * null for any other build (bundlers pick their entry points and never emit tests).
 */
function buildTsconfig(buildScript: string | undefined): string | null {
  if (!buildScript) return null;
  const project = PROJECT_FLAG.exec(buildScript)?.[1];
  if (project) return project.endsWith(".json") ? project : path.posix.join(project, DEFAULT_TSCONFIG);
  return PLAIN_TSC.test(buildScript) ? DEFAULT_TSCONFIG : null;
}

/**
 * Whether the repo's tsc build would compile a test placed at `sampleTest` into its output: a note for
 * the user, since init never edits the repo's tsconfig. Reads only the config files (with `extends`).
 */
export async function buildEmitsTests(
  host: Pick<FileHost, "read">,
  buildScript: string | undefined,
  sampleTest: string,
): Promise<string | null> {
  const file = buildTsconfig(buildScript);
  if (!file || host.read(file) === null) return null;
  const { ts } = await loadTsMorph();
  const toHost = (absolute: string): string => path.posix.relative("/", absolute.replaceAll("\\", "/"));
  const parseHost = {
    useCaseSensitiveFileNames: true,
    readDirectory: () => [],
    fileExists: (candidate: string) => host.read(toHost(candidate)) !== null,
    readFile: (candidate: string) => host.read(toHost(candidate)) ?? undefined,
  };
  const { config } = ts.readConfigFile(`/${file}`, parseHost.readFile);
  const parsed = ts.parseJsonConfigFileContent(
    config ?? {},
    parseHost,
    path.posix.dirname(`/${file}`),
    undefined,
    `/${file}`,
  );
  if (parsed.options.noEmit) return null;
  // `raw` carries the exclude TypeScript settled on (own, else inherited through `extends`).
  const specs = ((parsed.raw as { exclude?: unknown } | undefined)?.exclude ?? []) as string[];
  const excluded = specs.some((spec) => {
    const pattern = toHost(path.posix.resolve(path.posix.dirname(`/${file}`), spec));
    return picomatch(pattern)(sampleTest) || picomatch(`${pattern}/**`)(sampleTest);
  });
  return excluded ? null : file;
}
