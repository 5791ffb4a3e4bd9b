/** Host builtins of the graph family: graph.reachable and graph.reachable_paths (walk is native). */
import { arr, isObject, sortedUnique, typeError, typeName, type HostBuiltinFamily, type Json } from "./operands.js";

const GRAPH_TYPE = "object[any: any<array[any], set[any]>]";

function graphOperand(name: string, g: Json): Record<string, Json> {
  if (!isObject(g)) throw typeError(`${name}: operand 1 must be ${GRAPH_TYPE} but got ${typeName(g)}`);
  return g;
}

function has(g: Record<string, Json>, node: Json): node is string {
  return typeof node === "string" && Object.prototype.hasOwnProperty.call(g, node);
}

/** A node's neighbours: its array/set of edges; null or anything else means none. */
function edges(g: Record<string, Json>, node: string): Json[] {
  const e = g[node];
  return Array.isArray(e) ? e : [];
}

export const graphBuiltins: HostBuiltinFamily = {
  /** Nodes reachable from the initial ones (the set leaves as a sorted array). */
  "graph.reachable": (graph, initial) => {
    const g = graphOperand("graph.reachable", graph);
    const seen = new Set<string>();
    const queue = [...arr("graph.reachable", 1, initial)];
    while (queue.length > 0) {
      const node = queue.shift();
      if (!has(g, node) || seen.has(node)) continue;
      seen.add(node);
      queue.push(...edges(g, node));
    }
    return sortedUnique([...seen]);
  },
  /**
   * Every maximal path from an initial node: a path ends at a node without edges, or where its next node is
   * already on the path (a cycle) or not in the graph.
   */
  "graph.reachable_paths": (graph, initial) => {
    const g = graphOperand("graph.reachable_paths", graph);
    const out: Json[] = [];
    const visit = (node: string, path: string[]): void => {
      const here = [...path, node];
      const next = edges(g, node);
      let ended = next.length === 0;
      for (const n of next) {
        if (has(g, n) && !here.includes(n)) visit(n, here);
        else ended = true;
      }
      if (ended) out.push(here);
    };
    for (const start of arr("graph.reachable_paths", 1, initial)) if (has(g, start)) visit(start, []);
    return sortedUnique(out);
  },
};
