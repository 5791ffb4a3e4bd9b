import type { ConstraintTemplate, SourceDocument } from "../gatekeeper/gatekeeper-types.js";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The field path of a template's main Rego (lib undefined) or of one of its libs. */
function regoFieldPath(doc: SourceDocument, template: ConstraintTemplate, lib: number | undefined): Array<string | number> | undefined {
  const spec = doc.value.spec;
  const target = isObject(spec) && Array.isArray(spec.targets) ? (spec.targets[0] as unknown) : undefined;
  if (!isObject(target)) return undefined;
  const tail: Array<string | number> = lib === undefined ? ["rego"] : ["libs", lib];
  if (template.regoSource === "targets") return ["spec", "targets", 0, ...tail];
  if (!Array.isArray(target.code)) return undefined;
  const index = target.code.findIndex((entry) => isObject(entry) && entry.engine === "Rego");
  return index < 0 ? undefined : ["spec", "targets", 0, "code", index, "source", ...tail];
}

/**
 * The line of the template's YAML file that holds line `regoLine` (1-based) of its Rego (or of lib `lib`), or
 * undefined when the field cannot be located. A Rego text ending in a newline is taken to be a block scalar
 * (`rego: |`), whose first line is the one after its key; other scalars start where their value starts.
 */
export function regoLineInTemplate(doc: SourceDocument, template: ConstraintTemplate, lib: number | undefined, regoLine: number): number | undefined {
  const path = regoFieldPath(doc, template, lib);
  const located = path === undefined ? undefined : doc.locate?.(path);
  if (located === undefined) return undefined;
  const text = lib === undefined ? template.rego : template.libs[lib];
  const block = text !== undefined && text.endsWith("\n");
  const first = block && located.key !== undefined ? located.key.line + 1 : located.value.line;
  return first + regoLine - 1;
}
