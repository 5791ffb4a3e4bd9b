export * from "./conftest-types.js";
export { conftestRuleKind, exceptionRuleName } from "./conftest-rule-kind.js";
export { checkConftestNamespace } from "./check-conftest-namespace.js";
export {
  checkConftest,
  selectConftestNamespaces,
  buildCombinedInput,
  COMBINED_FILE_NAME,
  type ConftestOutcome,
} from "./check-conftest.js";
export { mergeConftestData } from "./merge-conftest-data.js";
export { formatConftestStandard, formatConftestJson, conftestExitCode } from "./format-conftest.js";
