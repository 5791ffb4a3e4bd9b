/**
 * Stage: `rego.metadata.rule()` and `rego.metadata.chain()` become constants, as OPA's compiler rewrites
 * them: the annotations (`# METADATA`) that apply to the rule the call is in.
 *
 * - `rule()`: the rule's own `scope: rule` annotations as an object (`{}` if it has none);
 * - `chain()`: from the rule outwards: `{"path": [...], "annotations": {...}}` for the rule (always present,
 *   `annotations` only when it has some), the document (any rule of the same path with `scope: document`),
 *   the package, and `scope: subpackages` annotations of the package and its ancestors. Paths leave out
 *   `data`.
 */
import { extractAnnotations } from "../ast/extract-annotations.js";
import type { Annotations, SourceSpan, Term } from "../parser/nodes.js";
import type { CheckContext, RuleState } from "./check-context.js";
import { operatorName } from "./term-utils.js";

const CALLS = new Set(["rego.metadata.rule", "rego.metadata.chain"]);

/** OPA's JSON form of one annotation block. */
function annotationJson(a: Annotations): Record<string, unknown> {
  const out: Record<string, unknown> = { scope: a.scope };
  if (a.title !== undefined) out.title = a.title;
  if (a.description !== undefined) out.description = a.description;
  if (a.organizations) out.organizations = a.organizations;
  if (a.relatedResources) out.related_resources = a.relatedResources;
  if (a.authors) out.authors = a.authors;
  if (a.schemas) {
    out.schemas = a.schemas.map((s) => ({ path: s.path, ...(s.schemaRef ? { schema: s.schemaRef } : {}), ...(s.definition !== undefined ? { definition: s.definition } : {}) }));
  }
  if (a.entrypoint) out.entrypoint = true;
  if (a.custom) out.custom = a.custom;
  return out;
}

/** A JSON value as a term (object keys and strings as string terms). */
function toTerm(v: unknown, span: SourceSpan): Term {
  if (v === null || v === undefined) return { type: "Null", span };
  if (typeof v === "boolean") return { type: "Boolean", value: v, span };
  if (typeof v === "number") return { type: "Number", value: String(v), span };
  if (typeof v === "string") return { type: "String", value: v, span };
  if (Array.isArray(v)) return { type: "Array", items: v.map((x) => toTerm(x, span)), span };
  return {
    type: "Object",
    span,
    entries: Object.entries(v as Record<string, unknown>).map(([key, value]) => ({ type: "ObjectEntry", span, key: { type: "String", value: key, span }, value: toTerm(value, span) })),
  };
}

function isMetadataCall(x: unknown): x is Term & { type: "Call" } {
  if (x === null || typeof x !== "object" || (x as { type?: unknown }).type !== "Call") return false;
  const call = x as Term & { type: "Call" };
  const name = operatorName(call.operator);
  return name !== undefined && CALLS.has(name) && call.args.length === 0;
}

/** A copy of an AST fragment with every metadata call replaced (the same object when there is none). */
function rewrite<T>(node: T, replace: (call: Term & { type: "Call" }) => Term): T {
  if (isMetadataCall(node)) return replace(node) as T;
  if (Array.isArray(node)) {
    let changed = false;
    const out = node.map((x: unknown) => {
      const y = rewrite(x, replace);
      if (y !== x) changed = true;
      return y;
    });
    return (changed ? out : node) as T;
  }
  if (node === null || typeof node !== "object") return node;
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === "span") continue;
    const next = rewrite(value, replace);
    if (next !== value) (out ??= { ...(node as Record<string, unknown>) })[key] = next;
  }
  return (out ?? node) as T;
}

/** True when an AST fragment holds a metadata call: an allocation-free walk that stops at the first one. */
function hasMetadataCall(node: unknown): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) {
    for (const x of node) if (hasMetadataCall(x)) return true;
    return false;
  }
  if (isMetadataCall(node)) return true;
  const record = node as Record<string, unknown>;
  for (const key in record) {
    if (key !== "span" && hasMetadataCall(record[key])) return true;
  }
  return false;
}

function containsCall(rule: RuleState): boolean {
  return hasMetadataCall(rule.head) || hasMetadataCall(rule.body) || hasMetadataCall(rule.else);
}

export function regoMetadataStage(ctx: CheckContext): void {
  const users = ctx.rules.filter(containsCall);
  if (users.length === 0) return;
  const byModule = ctx.modules.map((m) => extractAnnotations(m.source).annotations);
  const attachedTo = (rule: RuleState, scope: string): Annotations[] =>
    (byModule[rule.module] ?? []).filter((a) => a.scope === scope && a.attachedTo.kind === "rule" && ctx.modules[rule.module]?.source.rules[a.attachedTo.index] === rule.source);
  const packageScoped = (pkg: string, scope: string): Annotations[] =>
    ctx.modules.flatMap((m, i) => (m.pkg.join(".") === pkg ? (byModule[i] ?? []).filter((a) => a.scope === scope && a.attachedTo.kind === "package") : []));
  for (const rule of users) {
    const path = rule.path.slice(1);
    const pkg = ctx.modules[rule.module]?.pkg ?? ["data"];
    const own = attachedTo(rule, "rule")[0];
    const chain: unknown[] = [own ? { path, annotations: annotationJson(own) } : { path }];
    const documents = ctx.rules.filter((r) => r.path.join(".") === rule.path.join(".")).flatMap((r) => attachedTo(r, "document"));
    for (const a of documents.slice(0, 1)) chain.push({ path, annotations: annotationJson(a) });
    for (const a of packageScoped(pkg.join("."), "package").slice(0, 1)) chain.push({ path: pkg.slice(1), annotations: annotationJson(a) });
    for (let n = pkg.length; n > 1; n--) {
      for (const a of packageScoped(pkg.slice(0, n).join("."), "subpackages").slice(0, 1)) chain.push({ path: pkg.slice(1, n), annotations: annotationJson(a) });
    }
    const replace = (call: Term & { type: "Call" }): Term =>
      toTerm(operatorName(call.operator) === "rego.metadata.rule" ? (own ? annotationJson(own) : {}) : chain, call.span);
    rule.head = rewrite(rule.head, replace);
    rule.body = rewrite(rule.body, replace);
    if (rule.else) rule.else = rewrite(rule.else, replace);
  }
}
