/**
 * Stage 4: conflicting rule definitions at one path (OPA's messages, rego_type_error):
 * - `conflicting rules data.x.p found`: clauses of different kinds (complete, partial set, partial object,
 *   function) or functions of different arity share a path;
 * - `multiple default rules data.x.p found`;
 * - `rule data.x.p conflicts with [data.x.p.q]`: a document fully named by its rules (complete rule,
 *   function, partial set, without variables in the head ref) also has rules defined below it;
 * - `package data.x.p conflicts with rule data.x.p`: a rule defines a path that is also a package.
 */
import type { RelatedSpan } from "../diagnostics.js";
import type { CheckContext, RuleState } from "./check-context.js";

export function ruleConflictsStage(ctx: CheckContext): void {
  for (const name of ctx.groupNames) {
    const g = ctx.groups.get(name);
    if (!g) continue;
    const all: RuleState[] = g.defaultRule ? [g.defaultRule, ...g.rules] : g.rules;
    if (all.length > 1) all.sort((a, b) => a.module - b.module || a.source.span.start.offset - b.source.span.start.offset);
    const first = all[0];
    if (!first) continue;
    const arity = (r: RuleState): number => (r.kind === "function" ? (r.head.args?.length ?? 0) : -1);
    if (all.some((r) => r.kind !== first.kind || arity(r) !== arity(first))) {
      ctx.error("rego_type_error", `conflicting rules ${name} found`, first.source.head.span, related(all.slice(1)));
    }
    const defaults = g.defaultRule ? all.filter((r) => r.default) : [];
    if (defaults.length > 1) {
      const [d0, ...rest] = defaults as [RuleState, ...RuleState[]];
      ctx.error("rego_type_error", `multiple default rules ${name} found`, d0.source.span, related(rest));
    }
    // Only a document fully named by its rules (no variables in the head refs) is a leaf that nothing else
    // may be defined below; `p[q] contains r` next to `p.b contains "foo"` is fine.
    const ground = all.every((r) => r.head.ref.type !== "Ref" || r.head.ref.path.every((p) => p.type === "String"));
    if (ctx.packages.has(name)) {
      ctx.error("rego_type_error", `package ${name} conflicts with rule ${name}`, first.source.head.span);
    } else if (g.kind !== "partial-object" && ground) {
      const below = ctx.groupsUnder(g.path).map((x) => x.name);
      if (below.length > 0) {
        ctx.error("rego_type_error", `rule ${name} conflicts with [${below.join(" ")}]`, first.source.head.span);
      }
    }
  }
}

function related(rules: RuleState[]): RelatedSpan[] {
  return rules.map((r) => ({ message: "conflicting rule", span: r.source.head.span }));
}
