import type { BenchSuite } from "./bench-suite.js";
import { checkScaleSuite } from "./check-scale.bench.js";
import { cliStartupSuite } from "./cli-startup.bench.js";
import { compileSuite } from "./compile.bench.js";
import { conftestEvaluateSuite } from "./conftest-evaluate.bench.js";
import { evaluateSuite } from "./evaluate.bench.js";
import { evaluateLibrarySuite } from "./evaluate-library.bench.js";
import { frontEndSuite } from "./front-end.bench.js";
import { manifestLoadingSuite } from "./manifest-loading.bench.js";
import { policyCheckSuite } from "./policy-check.bench.js";
import { renderSuite } from "./render.bench.js";

/** Every benchmark suite `npm run bench` runs, in order. */
export const suites: BenchSuite[] = [frontEndSuite, compileSuite, evaluateSuite, evaluateLibrarySuite, manifestLoadingSuite, policyCheckSuite, conftestEvaluateSuite, renderSuite, cliStartupSuite, checkScaleSuite];
