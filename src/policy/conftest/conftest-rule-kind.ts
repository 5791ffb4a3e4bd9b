const FAILURE = /^(deny|violation)(_[a-zA-Z0-9]+)*$/;
const WARNING = /^warn(_[a-zA-Z0-9]+)*$/;

/** Which Conftest rules count: `deny`/`violation` (and `_suffix` forms) fail, `warn` (and `warn_suffix`) warn. */
export function conftestRuleKind(name: string): "failure" | "warning" | undefined {
  // Asked for every rule of every document: remembered per name (a policy set has few rule names).
  let kind = KINDS.get(name);
  if (kind === undefined) {
    kind = FAILURE.test(name) ? "failure" : WARNING.test(name) ? "warning" : "none";
    if (KINDS.size < MAX_REMEMBERED) KINDS.set(name, kind);
  }
  return kind === "none" ? undefined : kind;
}

const KINDS = new Map<string, "failure" | "warning" | "none">();
const EXCEPTION_NAMES = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

/**
 * The name an `exception` rule lists to exempt a rule: the rule name without its `deny_`, `violation_` or `warn_`
 * prefix; the bare `deny`/`violation`/`warn` rules are exempted by the empty string.
 */
export function exceptionRuleName(name: string): string {
  if (name === "deny" || name === "violation" || name === "warn") return "";
  let stripped = EXCEPTION_NAMES.get(name);
  if (stripped === undefined) {
    stripped = name.replace(/^violation_/, "").replace(/^deny_/, "").replace(/^warn_/, "");
    if (EXCEPTION_NAMES.size < MAX_REMEMBERED) EXCEPTION_NAMES.set(name, stripped);
  }
  return stripped;
}
