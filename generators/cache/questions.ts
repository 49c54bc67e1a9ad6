import type { ProjectContext } from "../../src/core/detect.js";
import type { AskFunction, RawInput } from "../../src/core/generator-definition.js";
import type { Question } from "../../src/core/question.js";
import { promptValidation, toModuleNames } from "../shared/module-name.js";
import { CACHE_STRATEGIES, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS } from "./options.js";
import { findRepositoryLoaders } from "./repositories.js";

const NO_REPOSITORY = "none";

/** Questions for what the flags left open (the repository is asked in `cacheInteract`: it reads the project). */
export function cacheQuestions(raw: RawInput): Question[] {
  const questions: Question[] = [];
  if (raw.name === undefined) {
    questions.push({
      type: "text",
      name: "name",
      message: "Cache name (e.g. user-profile)",
      flag: "the name argument (generate cache <name>)",
      required: true,
      validate: (value: string) => promptValidation(() => toModuleNames(value, "cache", "user-profile")),
    });
  }
  if (raw.ttl === undefined) {
    questions.push({
      type: "number",
      name: "ttl",
      message: "TTL in seconds (every write expires)",
      initial: DEFAULT_TTL_SECONDS,
      min: 1,
      max: MAX_TTL_SECONDS,
      flag: "--ttl <seconds>",
      required: false,
    });
  }
  if (raw.strategy === undefined) {
    questions.push({
      type: "select",
      name: "strategy",
      message: "Strategy",
      choices: CACHE_STRATEGIES.map((strategy) => ({
        title: strategy === "cache-aside" ? "cache-aside (read: cache, else load and store)" : "write-through (set writes the store, then the cache)",
        value: strategy,
      })),
      flag: "--strategy <cache-aside|write-through>",
      required: false,
    });
  }
  if (raw.keyPrefix === undefined) {
    questions.push({
      type: "text",
      name: "keyPrefix",
      message: "Redis key prefix (empty: <name>:)",
      initial: "",
      flag: "--key-prefix <prefix>",
      required: false,
    });
  }
  return questions;
}

/** Offers the project's repository loaders (read with ts-morph), when there are any and none was given. */
export async function cacheInteract(ask: AskFunction, raw: RawInput, project: ProjectContext): Promise<RawInput> {
  if (raw.repository !== undefined) return {};
  const loaders = await findRepositoryLoaders(project.tree, project.manifest.layout.repositoriesDir);
  if (loaders.length === 0) return {};
  return ask([
    {
      type: "select",
      name: "repository",
      message: "Wrap a repository loader?",
      choices: [
        { title: "no, I pass a loader myself", value: NO_REPOSITORY },
        ...loaders.map((loader) => ({ title: `${loader.loader} (${loader.file})`, value: loader.loader })),
      ],
      flag: "--repository <entity>",
      required: false,
    },
  ]);
}
