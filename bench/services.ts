import { serviceProblems } from "../test/helpers/services.js";

export { createThrowawayDatabase, execute, redisUrl } from "../test/helpers/services.js";
export type { ThrowawayDatabase } from "../test/helpers/services.js";

/** Throws one readable error naming every service that is down (the bench cannot measure without them). */
export async function requireServices(): Promise<void> {
  const problems = await serviceProblems();
  if (problems.length > 0) {
    throw new Error(
      `npm run bench needs PostgreSQL and Redis (set DATABASE_URL / REDIS_URL to point elsewhere):\n  ${problems.join("\n  ")}`,
    );
  }
}
