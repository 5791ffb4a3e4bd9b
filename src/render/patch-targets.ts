/**
 * Patch targets (Kustomize's Selector): `group`, `version`, `kind`, `name`, `namespace` (name and namespace are Go
 * regular expressions matched whole, with RE2 semantics), `labelSelector` and `annotationSelector` (Kubernetes
 * selector syntax: `a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`). A selector matches an object by its
 * current id or, for name and namespace, any previous one (as Kustomize's Select does).
 */
import { RE2JS } from "re2js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import { RenderError } from "./render-error.js";
import { allIds, curId } from "./resource.js";
import type { Resource } from "./resource.js";

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

function wholeMatcher(pattern: string | undefined): ((s: string) => boolean) | undefined {
  if (pattern === undefined || pattern === "") return undefined;
  try {
    const re = RE2JS.compile(`^(?:${pattern})$`);
    return (s) => re.matches(s);
  } catch (e) {
    throw new RenderError("render_invalid_selector", `invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
}

type Requirement = (map: Record<string, unknown>) => boolean;

/** Parses a Kubernetes label selector into requirements (all must hold). */
export function parseSelector(text: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p): Requirement => {
      let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
      if (m) {
        const values = new Set(m[3]!.split(",").map((v) => v.trim()));
        const key = m[1]!;
        return m[2] === "in" ? (l) => typeof l[key] === "string" && values.has(l[key]) : (l) => !(typeof l[key] === "string" && values.has(l[key]));
      }
      m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(p);
      if (m) {
        const [, key, op, value] = m as unknown as [string, string, string, string];
        return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
      }
      m = /^(!?)([^\s!=()]+)$/.exec(p);
      if (m) {
        const key = m[2]!;
        return m[1] ? (l) => !(key in l) : (l) => key in l;
      }
      throw new RenderError("render_invalid_selector", `invalid selector '${text}'`);
    });
}

function metaMap(r: Resource, field: "labels" | "annotations"): Record<string, unknown> {
  const meta = r.obj["metadata"];
  return isPlainObject(meta) && isPlainObject(meta[field]) ? meta[field] : {};
}

/** The resources a target selects, in order. */
export function selectTargets(resources: readonly Resource[], t: PatchTarget): Resource[] {
  const name = wholeMatcher(t.name);
  const ns = wholeMatcher(t.namespace);
  const labels = t.labelSelector ? parseSelector(t.labelSelector) : [];
  const annos = t.annotationSelector ? parseSelector(t.annotationSelector) : [];
  return resources.filter((r) => {
    const id = curId(r);
    if (t.group !== undefined && t.group !== "" && t.group !== id.group) return false;
    if (t.version && t.version !== id.version) return false;
    if (t.kind && t.kind !== id.kind) return false;
    const ids = allIds(r);
    if (name && !ids.some((i) => name(i.name))) return false;
    if (ns && !ids.some((i) => ns(i.namespace))) return false;
    const l = metaMap(r, "labels");
    const a = metaMap(r, "annotations");
    return labels.every((req) => req(l)) && annos.every((req) => req(a));
  });
}
