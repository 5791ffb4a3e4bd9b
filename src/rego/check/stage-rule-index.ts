/**
 * Stage 3: the rule index. Groups rule clauses by data path (the ground prefix of the absolute head ref),
 * recording each group's kind, function arity and default clause. Paths that no rule defines are base
 * documents (`data` supplied at evaluation time); `CheckContext.groupsForPattern` tells which virtual documents
 * a `data` reference reaches.
 */
import type { CheckContext, GroupState } from "./check-context.js";
import { pathKey } from "./term-utils.js";

export function ruleIndexStage(ctx: CheckContext): void {
  for (const rule of ctx.rules) {
    const name = pathKey(rule.path);
    let g = ctx.groups.get(name);
    if (!g) {
      g = { path: rule.path, name, kind: rule.kind, rules: [], dependsOn: new Set() } satisfies GroupState;
      if (rule.kind === "function") g.arity = rule.head.args?.length ?? 0;
      ctx.groups.set(name, g);
      ctx.addToTree(g);
    }
    if (rule.default && !g.defaultRule) g.defaultRule = rule;
    else g.rules.push(rule);
  }
  ctx.groupNames = [...ctx.groups.keys()].sort();
}
