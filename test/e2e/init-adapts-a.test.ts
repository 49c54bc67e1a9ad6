import { ADAPT_SHAPES } from "../fixtures/adapt-shapes.js";
import { describeInitAdapts } from "./init-adapts-suite.js";

// Even-numbered shapes; init-adapts-b takes the others.
await describeInitAdapts(ADAPT_SHAPES.filter((_, index) => index % 2 === 0));
