import type { BenchSuite } from "./bench-suite.js";
import { manifestLoadingSuite } from "./manifest-loading.bench.js";
import { parseCheckSuite } from "./parse-check.bench.js";

/** Every benchmark suite `npm run bench` runs, in order. */
export const suites: BenchSuite[] = [parseCheckSuite, manifestLoadingSuite];
