export * from "./gator-types.js";
export { resolveSuitePath } from "./resolve-suite-path.js";
export { parseGatorSuite, isGatorSuiteDocument, SUITE_API_VERSION, type ParsedGatorSuite } from "./parse-gator-suite.js";
export { judgeGatorCase } from "./judge-gator-case.js";
export { formatGatorReport, type GatorReport } from "./format-gator-report.js";
export { runGatorSuite, type ReadRepositoryFile } from "./run-gator-suite.js";
