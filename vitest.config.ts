import { defineConfig } from "vitest/config";
import { BaseSequencer } from "vitest/node";
import type { TestSpecification } from "vitest/node";

const UNIT_TIMEOUT_MS = 20_000;

// The suites that install packages and run generated projects, longest first (measured in CI): started first, the
// two workers end together instead of one of them finishing a long suite alone.
const LONGEST_FIRST = [
  // The mutation run (29 edits, each re-running the generated tests): a file of its own, so the other worker takes the
  // schema-repository checks meanwhile.
  "test/e2e/schema-repository-mutations.test.ts",
  "test/e2e/init-adapts-",
  "test/e2e/real-schemas.test.ts",
  "test/e2e/init-matrix.test.ts",
  // Both drizzle-orm lines, each a full install and project run.
  "test/e2e/create-project.test.ts",
  "test/e2e/verified-writes.test.ts",
  "test/e2e/init-locate.test.ts",
  "test/e2e/schema-repository.test.ts",
  "test/e2e/cache-worker.test.ts",
  "test/e2e/online-migrations.test.ts",
  "test/e2e/scale-out-cache.test.ts",
  "test/e2e/scale-out-queue.test.ts",
  "test/e2e/deep-with.test.ts",
  "test/concurrency.test.ts",
  "test/doctor.test.ts",
];

const rank = (file: string): number => {
  const index = LONGEST_FIRST.findIndex((prefix) => file.includes(`/${prefix}`));
  return index === -1 ? LONGEST_FIRST.length : index;
};

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted.toSorted((a, b) => rank(a.moduleId) - rank(b.moduleId));
  }
}

export default defineConfig({
  test: {
    include: ["src/**/*.spec.ts", "generators/**/*.spec.ts", "test/**/*.test.ts"],
    testTimeout: UNIT_TIMEOUT_MS,
    hookTimeout: UNIT_TIMEOUT_MS,
    // e2e suites install packages and start services: keep them from fighting over 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: LongestFirstSequencer },
  },
});
