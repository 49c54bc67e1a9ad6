import { LOCATE_SHAPES } from "../fixtures/locate-shapes.js";
import { describeInitAdapts } from "./init-adapts-suite.js";

// Drizzle setups found where a text scan does not look (a DI provider factory, a service method): their own tables.
await describeInitAdapts(LOCATE_SHAPES);
