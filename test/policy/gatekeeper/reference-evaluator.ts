import { compileTemplate } from "../../../src/policy/gatekeeper/compile-template.js";
import type { ConstraintTemplate, GatekeeperEvaluator } from "../../../src/policy/gatekeeper/index.js";
import type { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";

/** The plain way: the SDK's own evaluate with the whole input and the whole inventory set on every call. */
export function referenceEvaluator(): GatekeeperEvaluator {
  const loaded = new Map<ConstraintTemplate, { policy: CompiledPolicy; entrypoint: string }>();
  return (request) => {
    let t = loaded.get(request.template);
    if (t === undefined) {
      const r = compileTemplate(request.template);
      if (!r.ok) throw new Error(r.errors.join("; "));
      t = r.compiled;
      loaded.set(request.template, t);
    }
    t.policy.setData({ inventory: request.data.inventory });
    return t.policy.evaluate(t.entrypoint, request.input)[0]?.result ?? [];
  };
}
