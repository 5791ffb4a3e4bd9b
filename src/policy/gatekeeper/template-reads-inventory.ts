/**
 * Whether a ConstraintTemplate's Rego (its module and libs) can read `data.inventory`, decided from the parsed
 * modules: a reference `data.inventory…`, a reference into `data` with a computed key (`data[k]`), or `data` used
 * whole (`x := data`, `import data`). References to other parts of `data` (`data.lib.helpers.f`) do not count. Any
 * module that does not parse counts as reading it (the template will not compile anyway). Conservative: a `true`
 * may be an inventory the Rego never ends up using, a `false` is certain.
 */
import { walk } from "../../rego/ast/walk.js";
import type { Module, Node } from "../../rego/parser/nodes.js";
import { parseModule } from "../../rego/parser/parse-module.js";
import type { ConstraintTemplate } from "./gatekeeper-types.js";

function moduleReadsInventory(module: Module): boolean {
  let reads = false;
  const visit = (node: Node, parent: Node | undefined): boolean => {
    if (reads) return false;
    if (node.type === "Ref" && node.head.type === "Var" && node.head.name === "data") {
      const first = node.path[0];
      if (first === undefined || first.type !== "String" || first.value === "inventory") reads = true;
    } else if (node.type === "Var" && node.name === "data" && !(parent?.type === "Ref" && parent.head === node)) {
      reads = true;
    }
    return !reads;
  };
  for (const imp of module.imports) walk(imp, visit);
  for (const rule of module.rules) walk(rule, visit);
  return reads;
}

export function templateReadsInventory(template: ConstraintTemplate): boolean {
  const texts = [template.rego, ...template.libs];
  return texts.some((text, i) => {
    const parsed = parseModule(text, { file: `${template.file}#${i === 0 ? "rego" : `libs[${i - 1}]`}`, regoVersion: template.regoVersion });
    return parsed.module === undefined || parsed.diagnostics.length > 0 || moduleReadsInventory(parsed.module);
  });
}
