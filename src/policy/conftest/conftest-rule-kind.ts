const FAILURE = /^(deny|violation)(_[a-zA-Z0-9]+)*$/;
const WARNING = /^warn(_[a-zA-Z0-9]+)*$/;

/** Which Conftest rules count: `deny`/`violation` (and `_suffix` forms) fail, `warn` (and `warn_suffix`) warn. */
export function conftestRuleKind(name: string): "failure" | "warning" | undefined {
  if (FAILURE.test(name)) return "failure";
  if (WARNING.test(name)) return "warning";
  return undefined;
}

/**
 * The name an `exception` rule lists to exempt a rule: the rule name without its `deny_`, `violation_` or `warn_`
 * prefix; the bare `deny`/`violation`/`warn` rules are exempted by the empty string.
 */
export function exceptionRuleName(name: string): string {
  if (name === "deny" || name === "violation" || name === "warn") return "";
  return name.replace(/^violation_/, "").replace(/^deny_/, "").replace(/^warn_/, "");
}
