import { RUNNER_SHAPES } from "../fixtures/adapt-shapes.js";
import { describeInitAdapts } from "./init-adapts-suite.js";

// Issue 22 items 6 and 7: the repo's test runner (jest) and CommonJS lint rules, in a file of their own.
await describeInitAdapts(RUNNER_SHAPES);
