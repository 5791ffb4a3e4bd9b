/**
 * The resource model of a render: a Kubernetes object plus what Kustomize tracks beside it (its previous ids, the
 * prefixes and suffixes applied, how a generated object merges) and what Fleetward tracks (where it and each field
 * it had set came from). Ids are Kustomize's: group, version, kind, name, namespace.
 */
import type { SourcePos } from "./api.js";
import { parseApiVersion } from "./fieldspec/fieldspec.js";

export type JsonObject = Record<string, unknown>;

export interface ResId {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
}

/** What a generator said about the object it made. */
export interface GeneratedInfo {
  behavior: "create" | "merge" | "replace";
  /** Gets Kustomize's content-hash name suffix at the end of the build. */
  hash: boolean;
}

export interface Resource {
  obj: JsonObject;
  source: SourcePos;
  fieldOrigins: Record<string, SourcePos>;
  /** Ids the object had before renames (oldest first); empty when never renamed. */
  prevIds: ResId[];
  prefixes: string[];
  suffixes: string[];
  generated?: GeneratedInfo;
  /** Names of `vars` whose object this is. */
  refVarNames: string[];
  /**
   * Fields one labels/annotations entry set together, by pointer (each pointer maps to its whole group): Kustomize
   * writes them as one shared YAML node, so a var substituted in one of them shows in all.
   */
  shared?: Map<string, string[]>;
  /** Builtin transformers that ran on the object (kustomization file, plugin kind), for buildMetadata's transformerAnnotations. */
  transformations?: { configuredIn: string; kind: string }[];
  /** Kustomize's `config.kubernetes.io/origin` text, when buildMetadata asks for origins. */
  origin?: Record<string, unknown>;
}

export function newResource(obj: JsonObject, source: SourcePos): Resource {
  return { obj, source, fieldOrigins: {}, prevIds: [], prefixes: [], suffixes: [], refVarNames: [] };
}

function metaOf(obj: JsonObject): JsonObject {
  const m = obj["metadata"];
  return typeof m === "object" && m !== null && !Array.isArray(m) ? (m as JsonObject) : {};
}

export function getName(obj: JsonObject): string {
  const n = metaOf(obj)["name"];
  return typeof n === "string" ? n : "";
}

export function getNamespace(obj: JsonObject): string {
  const n = metaOf(obj)["namespace"];
  return typeof n === "string" ? n : "";
}

export function idOf(obj: JsonObject): ResId {
  const { group, version } = parseApiVersion(obj["apiVersion"]);
  const kind = typeof obj["kind"] === "string" ? obj["kind"] : "";
  return { group, version, kind, name: getName(obj), namespace: getNamespace(obj) };
}

export function curId(r: Resource): ResId {
  return idOf(r.obj);
}

/** The id the object had when first read (before any rename), as Kustomize's OrgId. */
export function orgId(r: Resource): ResId {
  return r.prevIds[0] ?? curId(r);
}

/** Every id the object has had, oldest first, the current one last. */
export function allIds(r: Resource): ResId[] {
  return [...r.prevIds, curId(r)];
}

/** Records the current id as a previous one, before a rename (Kustomize's StorePreviousId). */
export function storePreviousId(r: Resource): void {
  r.prevIds.push(curId(r));
}

/** Cluster-scoped kinds of the Kubernetes API, by group (everything else, custom kinds included, is namespaced). */
const CLUSTER_SCOPED: Record<string, readonly string[]> = {
  "": ["Namespace", "Node", "PersistentVolume", "ComponentStatus"],
  "rbac.authorization.k8s.io": ["ClusterRole", "ClusterRoleBinding"],
  "apiextensions.k8s.io": ["CustomResourceDefinition"],
  "storage.k8s.io": ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment"],
  "scheduling.k8s.io": ["PriorityClass"],
  "admissionregistration.k8s.io": [
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
  ],
  "apiregistration.k8s.io": ["APIService"],
  "certificates.k8s.io": ["CertificateSigningRequest"],
  "node.k8s.io": ["RuntimeClass"],
  policy: ["PodSecurityPolicy"],
  "networking.k8s.io": ["IngressClass"],
  "flowcontrol.apiserver.k8s.io": ["FlowSchema", "PriorityLevelConfiguration"],
  "authentication.k8s.io": ["TokenReview"],
  "authorization.k8s.io": ["SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview"],
};

/** False for the cluster-scoped kinds of Kubernetes (Kustomize's IsNamespaceableKind). */
export function isNamespaceable(id: { group: string; kind: string }): boolean {
  return !(CLUSTER_SCOPED[id.group]?.includes(id.kind) ?? false);
}

export function gvkEquals(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** The namespace Kustomize compares: cluster-scoped kinds have none, "" is "default". */
export function effectiveNamespace(id: ResId): string {
  if (!isNamespaceable(id)) return "~cluster";
  return id.namespace === "" ? "default" : id.namespace;
}

/** Kustomize's IsNsEquals. */
export function nsEquals(a: ResId, b: ResId): boolean {
  return effectiveNamespace(a) === effectiveNamespace(b);
}

/** Kustomize's ResId equality: same group/version/kind and name, and same namespace for namespaced kinds. */
export function idEquals(a: ResId, b: ResId): boolean {
  if (!gvkEquals(a, b) || a.name !== b.name) return false;
  return nsEquals(a, b);
}

/** Kustomize's ResId text, `Kind.version.group/name.namespace`, used in messages and the legacy order. */
export function idString(id: ResId): string {
  const gvk = [id.kind || "[noKind]", id.version || "[noVer]", id.group || "[noGrp]"].join(".");
  return `${gvk}/${id.name || "[noName]"}.${id.namespace || "[noNs]"}`;
}

/** True when the selector's non-empty group, version and kind equal the id's. */
export function gvkSelected(id: ResId, sel: { group?: string; version?: string; kind?: string }): boolean {
  if (sel.group && sel.group !== id.group) return false;
  if (sel.version && sel.version !== id.version) return false;
  return !(sel.kind && sel.kind !== id.kind);
}

function decodeToken(t: string): string {
  return t.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The value at a JSON pointer, or undefined. */
export function getAtPointer(obj: unknown, pointer: string): unknown {
  let cur = obj;
  for (const t of pointer.split("/").slice(1).map(decodeToken)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (typeof cur === "object" && cur !== null) cur = (cur as JsonObject)[t];
    else return undefined;
  }
  return cur;
}

/** Sets the value at a JSON pointer whose parent exists; returns false when it does not. */
export function setAtPointer(obj: unknown, pointer: string, value: unknown): boolean {
  const tokens = pointer.split("/").slice(1).map(decodeToken);
  const last = tokens.pop();
  const parent = getAtPointer(obj, tokens.length ? "/" + tokens.join("/") : "");
  if (last === undefined || typeof parent !== "object" || parent === null) return false;
  if (Array.isArray(parent)) parent[Number(last)] = value;
  else (parent as JsonObject)[last] = value;
  return true;
}

/** A deep copy of a resource (objects are plain JSON). */
export function cloneResource(r: Resource): Resource {
  return {
    ...r,
    obj: structuredClone(r.obj),
    fieldOrigins: { ...r.fieldOrigins },
    prevIds: r.prevIds.map((id) => ({ ...id })),
    prefixes: [...r.prefixes],
    suffixes: [...r.suffixes],
    refVarNames: [...r.refVarNames],
    ...(r.shared ? { shared: new Map(r.shared) } : {}),
  };
}
