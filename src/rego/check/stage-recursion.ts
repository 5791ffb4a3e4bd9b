/**
 * Stage 5: recursion detection. Builds the dependency graph between rule groups (a rule depends on every
 * group its head, body or else clauses refer to through `data.…`, including function calls; `with` targets
 * are not dependencies) and reports each group on a cycle as OPA does:
 * `rego_recursion_error: rule data.x.p is recursive: data.x.p -> data.x.q -> data.x.p`.
 * Also computes an evaluation order in which every group follows its dependencies.
 */
import type { Body, ElseClause, Term } from "../parser/nodes.js";
import type { CheckContext, GroupState, RuleState } from "./check-context.js";
import { refPattern, walkBodyTerms, walkTerms } from "./term-utils.js";

export function recursionStage(ctx: CheckContext): void {
  for (const name of ctx.groupNames) {
    const g = ctx.groups.get(name) as GroupState;
    const all = g.defaultRule ? [g.defaultRule, ...g.rules] : g.rules;
    for (const r of all) collectDependencies(ctx, r, g.dependsOn);
  }
  const sccs = tarjan(ctx);
  const order: string[] = [];
  for (const scc of sccs) {
    order.push(...scc);
    const members = new Set(scc);
    for (const name of scc) {
      const g = ctx.groups.get(name) as GroupState;
      if (scc.length === 1 && !g.dependsOn.has(name)) continue;
      const cycle = findCycle(ctx, name, members);
      const first = (g.defaultRule ?? g.rules[0]) as RuleState;
      const firstRule = g.rules[0] ?? first;
      ctx.error(
        "rego_recursion_error",
        `rule ${name} is recursive: ${cycle.join(" -> ")}`,
        firstRule.source.head.span,
      );
    }
  }
  ctx.evaluationOrder = order;
}

function collectDependencies(ctx: CheckContext, r: RuleState, out: Set<string>): void {
  const visit = (t: Term): void => {
    walkTerms(t, (x) => {
      if (x.type === "Ref" && x.head.type === "Var" && x.head.name === "data") {
        for (const dep of ctx.groupsForPattern(refPattern(x))) out.add(dep.name);
      }
    });
  };
  const visitBody = (b: Body): void =>
    walkBodyTerms(
      b,
      (x) => {
        if (x.type === "Ref" && x.head.type === "Var" && x.head.name === "data") {
          for (const dep of ctx.groupsForPattern(refPattern(x))) out.add(dep.name);
        }
      },
      true,
    );
  // The head ref itself names the rule being defined: only its variable parts are expressions.
  if (r.head.ref.type === "Ref") for (const p of r.head.ref.path) visit(p);
  for (const a of r.head.args ?? []) visit(a);
  if (r.head.key) visit(r.head.key);
  if (r.head.value) visit(r.head.value);
  visitBody(r.body);
  for (let e: ElseClause | undefined = r.else; e; e = e.else) {
    if (e.value) visit(e.value);
    visitBody(e.body);
  }
}

/** Strongly connected components, each emitted after the components it depends on. */
function tarjan(ctx: CheckContext): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  // Iterative to stay safe on long dependency chains.
  for (const start of ctx.groupNames) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; deps: string[]; i: number }> = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, deps: [...(ctx.groups.get(node)?.dependsOn ?? [])].sort(), i: 0 });
    };
    enter(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; deps: string[]; i: number };
      if (top.i < top.deps.length) {
        const dep = top.deps[top.i++] as string;
        if (!index.has(dep)) enter(dep);
        else if (onStack.has(dep)) low.set(top.node, Math.min(low.get(top.node) as number, index.get(dep) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(top.node) as number));
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        for (;;) {
          const n = stack.pop() as string;
          onStack.delete(n);
          scc.push(n);
          if (n === top.node) break;
        }
        out.push(scc.sort());
      }
    }
  }
  return out;
}

/** A shortest cycle from `start` back to itself inside one component: `[start, …, start]`. */
function findCycle(ctx: CheckContext, start: string, members: Set<string>): string[] {
  const prev = new Map<string, string>();
  const queue: string[] = [];
  for (const d of [...(ctx.groups.get(start)?.dependsOn ?? [])].sort()) {
    if (!members.has(d) || prev.has(d)) continue;
    prev.set(d, start);
    queue.push(d);
  }
  while (queue.length > 0) {
    const n = queue.shift() as string;
    if (n === start) break;
    for (const d of [...(ctx.groups.get(n)?.dependsOn ?? [])].sort()) {
      if (!members.has(d) || prev.has(d)) continue;
      prev.set(d, n);
      queue.push(d);
    }
  }
  const path = [start];
  let cur = prev.get(start);
  while (cur !== undefined && cur !== start) {
    path.push(cur);
    cur = prev.get(cur);
  }
  path.push(start);
  return path.reverse();
}
