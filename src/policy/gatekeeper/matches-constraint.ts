import type { JsonObject } from "../manifests/manifest-types.js";
import type { ConstraintMatch } from "./gatekeeper-types.js";
import { matchesLabelSelector } from "./matches-label-selector.js";
import { wildcardMatches } from "./wildcard-matches.js";

/** The match criteria in the order Gatekeeper evaluates them. */
export type MatchCriterion = "kinds" | "scope" | "namespaces" | "excludedNamespaces" | "labelSelector" | "namespaceSelector" | "name";

export type MatchOutcome =
  | { matches: true }
  | { matches: false; criterion: MatchCriterion }
  | { matches: false; criterion: MatchCriterion; error: string };

export interface MatchContext {
  /** Namespace objects by name (from the repository's manifests), for namespaceSelector. */
  namespaces?: ReadonlyMap<string, JsonObject>;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function labelsOf(obj: JsonObject | undefined): Record<string, string> {
  const md = obj?.metadata;
  const labels = md !== null && typeof md === "object" ? (md as JsonObject).labels : undefined;
  const out: Record<string, string> = {};
  if (labels !== null && typeof labels === "object" && !Array.isArray(labels)) {
    for (const [k, v] of Object.entries(labels)) if (typeof v === "string") out[k] = v;
  }
  return out;
}

/** Group, version and kind of an object from apiVersion (`apps/v1`, or `v1` for the core group) and kind. */
export function groupVersionKind(obj: JsonObject): { group: string; version: string; kind: string } {
  const apiVersion = str(obj.apiVersion);
  const slash = apiVersion.indexOf("/");
  return {
    group: slash < 0 ? "" : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: str(obj.kind),
  };
}

function meta(obj: JsonObject): { name: string; namespace: string } {
  const md = obj.metadata;
  const m = md !== null && typeof md === "object" && !Array.isArray(md) ? (md as JsonObject) : {};
  return { name: str(m.name), namespace: str(m.namespace) };
}

/**
 * Gatekeeper's constraint matching (pkg/mutation/match, the same matcher constraints use). Every criterion that is
 * set must hold: kinds (apiGroups/kinds, `*` or an empty list is any), scope (`Cluster` = a Namespace or an object
 * without namespace, `Namespaced` = a non-Namespace object with one, anything else = all), namespaces and
 * excludedNamespaces (globs, applied to the object's namespace, or its own name for a Namespace, and not to other
 * cluster-scoped objects), labelSelector (object labels), namespaceSelector (labels of the containing Namespace, or of
 * the object itself if it is a Namespace; cluster-scoped objects always match; a namespaced object whose Namespace is
 * unknown is an error), name (glob).
 */
export function matchesConstraint(
  constraint: { match: ConstraintMatch },
  object: JsonObject,
  context: MatchContext = {},
): MatchOutcome {
  const m = constraint.match;
  const gvk = groupVersionKind(object);
  const { name, namespace } = meta(object);
  const isNamespace = gvk.kind === "Namespace" && gvk.group === "";
  const nsObject = namespace !== "" ? context.namespaces?.get(namespace) : undefined;
  const hasNamespace = namespace !== "" || nsObject !== undefined;

  if (m.kinds !== undefined && m.kinds.length > 0) {
    const any = m.kinds.some((k) => {
      const kinds = k.kinds ?? [];
      const groups = k.apiGroups ?? [];
      const kindOk = kinds.length === 0 || kinds.includes("*") || kinds.includes(gvk.kind);
      const groupOk = groups.length === 0 || groups.includes("*") || groups.includes(gvk.group);
      return kindOk && groupOk;
    });
    if (!any) return { matches: false, criterion: "kinds" };
  }

  if (m.scope === "Cluster" && !(isNamespace || !hasNamespace)) return { matches: false, criterion: "scope" };
  if (m.scope === "Namespaced" && !(!isNamespace && hasNamespace)) return { matches: false, criterion: "scope" };

  const scopeNamespace = isNamespace ? name : namespace;
  if (m.namespaces !== undefined && m.namespaces.length > 0 && (isNamespace || namespace !== "")) {
    if (!m.namespaces.some((p) => wildcardMatches(p, scopeNamespace))) return { matches: false, criterion: "namespaces" };
  }
  if (m.excludedNamespaces !== undefined && m.excludedNamespaces.length > 0 && (isNamespace || namespace !== "")) {
    if (m.excludedNamespaces.some((p) => wildcardMatches(p, scopeNamespace))) {
      return { matches: false, criterion: "excludedNamespaces" };
    }
  }

  if (m.labelSelector !== undefined) {
    const r = matchesLabelSelector(m.labelSelector, labelsOf(object));
    if (!r.ok) return { matches: false, criterion: "labelSelector", error: r.error };
    if (!r.matches) return { matches: false, criterion: "labelSelector" };
  }

  if (m.namespaceSelector !== undefined && (isNamespace || hasNamespace)) {
    let labels: Record<string, string>;
    if (isNamespace) labels = labelsOf(object);
    else if (nsObject !== undefined) labels = labelsOf(nsObject);
    else {
      return {
        matches: false,
        criterion: "namespaceSelector",
        error: `namespaceSelector needs the Namespace "${namespace}", which is not among the manifests`,
      };
    }
    const r = matchesLabelSelector(m.namespaceSelector, labels);
    if (!r.ok) return { matches: false, criterion: "namespaceSelector", error: r.error };
    if (!r.matches) return { matches: false, criterion: "namespaceSelector" };
  }

  if (m.name !== undefined && m.name !== "" && !wildcardMatches(m.name, name)) return { matches: false, criterion: "name" };
  return { matches: true };
}
