/**
 * Which documents a `data` reference reads in a checked program: the virtual documents (rule groups) it
 * may reach, and whether it may also read the base document (the `data` supplied at evaluation time).
 *
 * `data.x.p` with a rule at `data.x.p` reads only that rule (virtual); `data.x` reads every rule under it
 * plus whatever base data lives under `data.x` (mixed); `data.config.limit` with no rule on that path is
 * base only; `data[k].allow` reaches every `data.*.allow` rule and base data.
 */
import type { RefTerm } from "../parser/nodes.js";
import type { CheckedProgram, RuleGroup } from "./checked-program.js";
import { addToPathTree, WILDCARD, type PathTree, type RefPatternElement } from "./check-context.js";
import { refPattern } from "./term-utils.js";

export interface DataRefTargets {
  /** Names of the rule groups the ref may read, sorted. */
  groups: string[];
  /** True when some value the ref reads may come from base data. */
  readsBase: boolean;
}

type Node = PathTree<RuleGroup>;

const trees = new WeakMap<CheckedProgram, Node>();

function treeOf(program: CheckedProgram): Node {
  let root = trees.get(program);
  if (root) return root;
  root = { children: new Map() };
  for (const g of program.rules) addToPathTree(root, g);
  trees.set(program, root);
  return root;
}

/** Classifies a ref whose head is `data` (any other ref reads no data document: empty, not base). */
export function classifyDataRef(program: CheckedProgram, ref: RefTerm): DataRefTargets {
  if (ref.head.type !== "Var" || ref.head.name !== "data") return { groups: [], readsBase: false };
  return classifyPattern(treeOf(program), refPattern(ref));
}

function classifyPattern(root: Node, pattern: RefPatternElement[]): DataRefTargets {
  const groups = new Set<string>();
  let readsBase = false;
  const all = (node: Node): void => {
    if (node.group) groups.add(node.group.name);
    for (const c of node.children.values()) all(c);
  };
  const visit = (node: Node | undefined, i: number): void => {
    if (!node) {
      readsBase = true; // no rule on this path: base data
      return;
    }
    if (node.group) {
      groups.add(node.group.name); // the ref lands in (or below) a rule's document
      return;
    }
    if (i >= pattern.length) {
      // An inner node: its rules, and base data may sit beside them.
      all(node);
      readsBase = true;
      return;
    }
    const el = pattern[i];
    if (el === WILDCARD) {
      readsBase = true;
      for (const c of node.children.values()) visit(c, i + 1);
    } else if (typeof el === "string") {
      visit(node.children.get(el), i + 1);
    } else {
      readsBase = true;
    }
  };
  visit(root.children.get("data") ?? { children: new Map() }, 1);
  return { groups: [...groups].sort(), readsBase };
}
