/** Rule classification helpers (the parser sets `Rule.kind` with the same logic). */
import type { Rule, Term } from "../parser/nodes.js";
import { classifyRuleHead, isGroundTerm, isGroundTermWith, valueName } from "../parser/parser.js";

export { classifyRuleHead, isGroundTerm, isGroundTermWith, valueName };

/** `p contains x` / v0 `p[x]`: a multi-value (partial set) rule. */
export function isMultiValue(rule: Rule): boolean {
  return rule.kind === "partial-set";
}

/** A function clause (has arguments). */
export function isFunction(rule: Rule): boolean {
  return rule.kind === "function";
}

/** The value a rule clause produces when its body holds: the written value or the implied `true`. */
export function ruleValue(rule: Rule): Term | undefined {
  return rule.head.value;
}
