import type { LabelSelector } from "./gatekeeper-types.js";

export type SelectorOutcome = { ok: true; matches: boolean } | { ok: false; error: string };

/**
 * Kubernetes label selector semantics (metav1.LabelSelectorAsSelector): matchLabels and every matchExpression must
 * all hold; `In` needs the key with one of the values, `NotIn` holds when the key is absent or its value is not
 * listed, `Exists`/`DoesNotExist` test the key. In/NotIn with no values, Exists/DoesNotExist with values and unknown
 * operators are errors. An empty selector matches everything.
 */
export function matchesLabelSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): SelectorOutcome {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  let matches = true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(k) || labels[k] !== v) matches = false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
      case "NotIn": {
        if (values.length === 0) return { ok: false, error: `operator ${e.operator} on "${e.key}" needs at least one value` };
        const present = has(e.key) && values.includes(labels[e.key] as string);
        if (e.operator === "In" ? !present : present) matches = false;
        break;
      }
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) return { ok: false, error: `operator ${e.operator} on "${e.key}" takes no values` };
        if (e.operator === "Exists" ? !has(e.key) : has(e.key)) matches = false;
        break;
      default:
        return { ok: false, error: `"${e.operator}" is not a valid label selector operator` };
    }
  }
  return { ok: true, matches };
}
