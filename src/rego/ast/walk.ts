/** Generic traversal of the Rego AST. */
import type { Node } from "../parser/nodes.js";

/** Calls `fn` on each direct child of `node`, in source order. */
export function forEachChild(node: Node, fn: (child: Node) => void): void {
  switch (node.type) {
    case "Null":
    case "Boolean":
    case "Number":
    case "String":
    case "Var":
    case "TemplateText":
    case "Comment":
    case "MetadataBlock":
      return;
    case "Ref":
      fn(node.head);
      node.path.forEach(fn);
      return;
    case "Array":
    case "Set":
      node.items.forEach(fn);
      return;
    case "Object":
      node.entries.forEach(fn);
      return;
    case "ObjectEntry":
      fn(node.key);
      fn(node.value);
      return;
    case "ArrayComprehension":
    case "SetComprehension":
      fn(node.term);
      fn(node.body);
      return;
    case "ObjectComprehension":
      fn(node.key);
      fn(node.value);
      fn(node.body);
      return;
    case "Call":
      fn(node.operator);
      node.args.forEach(fn);
      return;
    case "TemplateString":
      node.parts.forEach(fn);
      return;
    case "SomeVars":
      node.vars.forEach(fn);
      return;
    case "SomeIn":
      if (node.key) fn(node.key);
      fn(node.value);
      fn(node.collection);
      return;
    case "Every":
      if (node.key) fn(node.key);
      fn(node.value);
      fn(node.domain);
      fn(node.body);
      return;
    case "With":
      fn(node.target);
      fn(node.value);
      return;
    case "Expr":
      fn(node.expr);
      node.with.forEach(fn);
      return;
    case "Body":
      node.exprs.forEach(fn);
      return;
    case "RuleHead":
      fn(node.ref);
      node.args?.forEach(fn);
      if (node.key) fn(node.key);
      if (node.value && !node.valueImplied) fn(node.value);
      return;
    case "Else":
      if (node.value) fn(node.value);
      fn(node.body);
      if (node.else) fn(node.else);
      return;
    case "Rule":
      fn(node.head);
      fn(node.body);
      if (node.else) fn(node.else);
      return;
    case "Package":
      fn(node.path);
      return;
    case "Import":
      fn(node.path);
      if (node.alias) fn(node.alias);
      return;
    case "Module":
      fn(node.package);
      node.imports.forEach(fn);
      node.rules.forEach(fn);
      return;
    case "Query":
      fn(node.body);
      return;
  }
}

/**
 * Depth-first pre-order walk. Return `false` from `visit` to skip a node's children. Iterative, so even
 * very deep trees cannot overflow the stack.
 */
export function walk(root: Node, visit: (node: Node, parent: Node | undefined) => boolean | void): void {
  const stack: Array<[Node, Node | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [Node, Node | undefined];
    if (visit(node, parent) === false) continue;
    const children: Node[] = [];
    forEachChild(node, (c) => children.push(c));
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i] as Node, node]);
  }
}

/** All nodes of a given type under `root` (including `root`), in source order. */
export function collect<T extends Node["type"]>(root: Node, type: T): Array<Extract<Node, { type: T }>> {
  const out: Array<Extract<Node, { type: T }>> = [];
  walk(root, (n) => {
    if (n.type === type) out.push(n as Extract<Node, { type: T }>);
  });
  return out;
}
