/**
 * A `GatekeeperEvaluator` that sends every input whole (no pruning), each template compiled once: the reference the
 * app's evaluator (pruned inputs) is compared with, in tests and benchmarks.
 */
import { compileTemplate } from "../src/policy/gatekeeper/compile-template.js";
import type { GatekeeperEvaluator } from "../src/policy/gatekeeper/evaluate-gatekeeper.js";
import { WHOLE_VALUE } from "../src/rego/evaluator/input-encoder.js";

export function wholeInputEvaluator(): GatekeeperEvaluator {
  const byTemplate = new Map<unknown, GatekeeperEvaluator>();
  return (request) => {
    let e = byTemplate.get(request.template);
    if (e === undefined) {
      const compiled = compileTemplate(request.template);
      if (!compiled.ok) throw new Error(compiled.errors.join("; "));
      const { policy, entrypoint, readsData } = compiled.compiled;
      let inventory: unknown;
      e = (r) => {
        if (readsData && inventory !== r.data.inventory) policy.setData({ inventory: (inventory = r.data.inventory) });
        return policy.evaluateInput(entrypoint, r.input, WHOLE_VALUE)[0]?.result ?? [];
      };
      byTemplate.set(request.template, e);
    }
    return e(request);
  };
}
