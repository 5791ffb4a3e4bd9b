/**
 * What a pull request changes in what each root renders, and its blast radius. Pure, over render results.
 *
 *   diffRoot(target, base?, head?) → RootDiff
 *   blastRadius(diffs, unchangedTargets) → BlastRadius;  blastRadiusLine(radius) → "affects 3 clusters in 2 …"
 *
 * Objects are matched by group, kind, namespace and name (Kustomize's resource id); a changed object gets the unified
 * diff of its YAML (base → head). A root only at the head is `added`, only at the base `removed`; a root whose head
 * render fails is `failed` (its errors listed, no diff). A failed base render counts as empty, and says so.
 * The blast radius counts deploy targets: a root's clusters, or its environment when no cluster's paths hold it.
 */
import { type RenderDiagnostic, type RenderResult, stringifyKYaml } from "../../render/index.js";
import { unifiedHunks } from "./line-diff.js";

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface ChangedObject extends ObjectRef {
  /** The unified diff of the object's YAML, base → head (`@@` headers and ` `/`-`/`+` lines). */
  hunks: string[];
}

/** Where a root deploys: for the blast radius and the messages. */
export interface RootTarget {
  dir: string;
  /** Its clusters, else its environments, as named in messages (e.g. `prod-eu-1`). */
  label: string;
  /** Deploy targets: its clusters, else its environments (`-` when it is in none). */
  targets: string[];
  environments: string[];
}

export interface RootDiff extends RootTarget {
  status: "changed" | "unchanged" | "added" | "removed" | "failed";
  added: ObjectRef[];
  removed: ObjectRef[];
  changed: ChangedObject[];
  /** The head render's errors when `failed`. */
  errors: RenderDiagnostic[];
  /** True when the base render failed (the base then counts as empty). */
  baseFailed: boolean;
}

const text = (v: unknown) => (typeof v === "string" ? v : "");

function refOf(object: Record<string, unknown>): ObjectRef & { key: string } {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const apiVersion = text(object.apiVersion);
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const ref: ObjectRef & { key: string } = { kind: text(object.kind), name: text(metadata.name), key: "" };
  const namespace = text(metadata.namespace);
  if (namespace !== "") ref.namespace = namespace;
  ref.key = JSON.stringify([group, ref.kind, namespace, ref.name]);
  return ref;
}

const plain = ({ kind, name, namespace }: ObjectRef): ObjectRef => ({ kind, name, ...(namespace !== undefined ? { namespace } : {}) });

/** An object's YAML lines as `kustomize build` writes them, as the diff shows them. */
export function objectLines(object: Record<string, unknown>): string[] {
  return stringifyKYaml(object).replace(/\n$/, "").split("\n");
}

function objectsOf(result: RenderResult | undefined): Map<string, { ref: ObjectRef; object: Record<string, unknown> }> {
  const out = new Map<string, { ref: ObjectRef; object: Record<string, unknown> }>();
  for (const o of result?.ok === true ? result.objects : []) {
    const { key, ...ref } = refOf(o.object);
    out.set(key, { ref, object: o.object });
  }
  return out;
}

/** A root the change leaves as it was. */
export function unchangedRoot(target: RootTarget): RootDiff {
  return { ...target, status: "unchanged", added: [], removed: [], changed: [], errors: [], baseFailed: false };
}

export function diffRoot(target: RootTarget, base: RenderResult | undefined, head: RenderResult | undefined): RootDiff {
  const diff: RootDiff = { ...unchangedRoot(target), baseFailed: base !== undefined && !base.ok };
  if (head !== undefined && !head.ok) {
    diff.status = "failed";
    diff.errors = head.diagnostics.filter((d) => d.severity === "error");
    return diff;
  }
  const before = objectsOf(base);
  const after = objectsOf(head);
  for (const [key, h] of after) {
    const b = before.get(key);
    if (b === undefined) {
      diff.added.push(plain(h.ref));
      continue;
    }
    // Most objects of a changed root are equal: compare as JSON first, write YAML only for the ones that differ.
    if (JSON.stringify(b.object) === JSON.stringify(h.object)) continue;
    const hunks = unifiedHunks(objectLines(b.object), objectLines(h.object));
    if (hunks.length > 0) diff.changed.push({ ...plain(h.ref), hunks });
  }
  for (const [key, b] of before) if (!after.has(key)) diff.removed.push(plain(b.ref));
  if (head === undefined) diff.status = "removed";
  else if (base === undefined) diff.status = "added";
  else if (diff.added.length + diff.removed.length + diff.changed.length > 0) diff.status = "changed";
  return diff;
}

export interface BlastRadius {
  /** Deploy targets whose rendered objects change (or that cannot be rendered). */
  targets: number;
  environments: number;
  /** Objects added, removed or changed, by kind, most first. */
  kinds: Array<{ kind: string; count: number }>;
  /** Deploy targets of the repository that this change leaves as they were. */
  unchangedTargets: number;
  /** Roots whose head render failed. */
  failedRoots: number;
}

/** The blast radius of root diffs; `unchanged` are the roots nothing in the change can reach. */
export function blastRadius(diffs: readonly RootDiff[], unchanged: readonly RootTarget[]): BlastRadius {
  const hit = diffs.filter((d) => d.status !== "unchanged");
  const targets = new Set(hit.flatMap((d) => d.targets));
  const environments = new Set(hit.flatMap((d) => d.environments));
  const kinds = new Map<string, number>();
  for (const d of hit) for (const o of [...d.added, ...d.removed, ...d.changed]) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  const untouched = new Set([...diffs.filter((d) => d.status === "unchanged"), ...unchanged].flatMap((d) => d.targets));
  for (const t of targets) untouched.delete(t);
  return {
    targets: targets.size,
    environments: environments.size,
    kinds: [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)),
    unchangedTargets: untouched.size,
    failedRoots: diffs.filter((d) => d.status === "failed").length,
  };
}

/** `Deployment` → `Deployments`, `NetworkPolicy` → `NetworkPolicies`, `Ingress` → `Ingresses`. */
export function pluralKind(kind: string, n: number): string {
  if (n === 1) return kind;
  if (/[^aeiou]y$/i.test(kind)) return `${kind.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(kind)) return `${kind}es`;
  return `${kind}s`;
}

const count = (n: number, word: string) => `${n} ${n === 1 ? word : `${word}s`}`;

/** "affects 14 clusters in 2 environments: 3 Deployments, 1 ConfigMap; 2 clusters unchanged". */
export function blastRadiusLine(r: BlastRadius): string {
  if (r.targets === 0) return `no rendered changes; ${count(r.unchangedTargets, "cluster")} unchanged`;
  const kinds = r.kinds.map((k) => `${k.count} ${pluralKind(k.kind, k.count)}`).join(", ");
  const failed = r.failedRoots > 0 ? `, ${count(r.failedRoots, "root")} cannot be rendered` : "";
  return `affects ${count(r.targets, "cluster")} in ${count(r.environments, "environment")}${kinds !== "" ? `: ${kinds}` : ""}${failed}; ${count(r.unchangedTargets, "cluster")} unchanged`;
}
