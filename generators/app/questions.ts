import { PACKAGE_MANAGERS } from "../../src/core/package-manager.js";
import type { Question } from "../../src/core/question.js";
import type { RawAppOptions } from "./options.js";
import { validatePackageName } from "./options.js";

/** Questions for whatever the flags left open. */
export function appQuestions(raw: RawAppOptions, defaultPackageManager: string): Question[] {
  const questions: Question[] = [];
  if (!raw.directory) {
    questions.push({
      type: "text",
      name: "directory",
      message: "Project directory",
      initial: "my-service",
      flag: "the directory argument (create-perf-backend <dir>)",
      required: true,
      validate: (value: string) => validatePackageName(value.trim().split(/[\\/]/).pop()?.toLowerCase() ?? "") ?? true,
    });
  }
  if (raw.server === undefined) {
    questions.push({
      type: "select",
      name: "server",
      message: "What are you building?",
      choices: [
        { title: "HTTP service (Fastify, /health, graceful shutdown)", value: true },
        { title: "Library only (db, cache and worker modules, no server)", value: false },
      ],
      flag: "--server or --no-server",
      required: false,
    });
  }
  if (raw.packageManager === undefined) {
    questions.push({
      type: "select",
      name: "packageManager",
      message: "Package manager",
      choices: PACKAGE_MANAGERS.map((manager) => ({ title: manager, value: manager })),
      initial: Math.max(0, PACKAGE_MANAGERS.indexOf(defaultPackageManager as (typeof PACKAGE_MANAGERS)[number])),
      flag: "--pm <npm|pnpm|yarn|bun>",
      required: false,
    });
  }
  if (raw.install === undefined) {
    questions.push({ type: "confirm", name: "install", message: "Install dependencies now?", initial: true, flag: "--install / --no-install", required: false });
  }
  if (raw.git === undefined) {
    questions.push({ type: "confirm", name: "git", message: "Initialize a git repository?", initial: true, flag: "--git / --no-git", required: false });
  }
  return questions;
}
