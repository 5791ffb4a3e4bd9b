/**
 * Kustomize's builtin field-spec tables (its default transformer configuration), as data:
 * - `NAME_PREFIX_SPECS` / `NAME_SUFFIX_SPECS` and `NAME_PREFIX_SUFFIX_SKIP` (kinds whose name is never changed);
 * - `NAMESPACE_SPECS`;
 * - `COMMON_LABELS_SPECS` (metadata, pod templates, selectors: what `commonLabels:` and `labels:` with
 *   `includeSelectors` touch), `METADATA_LABELS_SPECS` (metadata and pod templates only: `labels:` with
 *   `includeTemplates`);
 * - `COMMON_ANNOTATIONS_SPECS`;
 * - `NAME_REFERENCE_SPECS`: for each referred kind, the fields of other kinds holding its name (what the
 *   name-reference fix-up walks after prefixes, suffixes and generator hashes change names);
 * - `VAR_REFERENCE_SPECS` (where `$(VAR)` is substituted), `IMAGES_SPECS`, `REPLICAS_SPECS`.
 * Learned from Kustomize's `api/konfig/builtinpluginconsts`; the order of entries follows Kustomize's.
 */
import type { FieldSpec, NameBackReference } from "./fieldspec.js";

export const NAME_PREFIX_SPECS: readonly FieldSpec[] = [{ path: "metadata/name" }];
export const NAME_SUFFIX_SPECS: readonly FieldSpec[] = [{ path: "metadata/name" }];
/** Prefix and suffix leave these names alone (checked by Kustomize's prefix/suffix transformers). */
export const NAME_PREFIX_SUFFIX_SKIP: readonly FieldSpec[] = [
  { kind: "CustomResourceDefinition", path: "metadata/name" },
  { group: "apiregistration.k8s.io", kind: "APIService", path: "metadata/name" },
  { kind: "Namespace", path: "metadata/name" },
];

export const NAMESPACE_SPECS: readonly FieldSpec[] = [
  { path: "metadata/namespace", create: true },
  { path: "metadata/name", kind: "Namespace", create: true },
  { path: "subjects[]/namespace", kind: "RoleBinding" },
  { path: "subjects[]/namespace", kind: "ClusterRoleBinding" },
  { path: "spec/service/namespace", group: "apiregistration.k8s.io", kind: "APIService", create: true },
  { path: "spec/conversion/webhook/clientConfig/service/namespace", group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
];

const AFFINITY = [
  "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm",
  "podAffinity/requiredDuringSchedulingIgnoredDuringExecution",
  "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm",
  "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution",
];
/** Label selectors inside an apps/ pod template that commonLabels updates when present (never created). */
const podTemplateSelectors = (kind: string): FieldSpec[] => [
  ...AFFINITY.map((a) => ({ path: `spec/template/spec/affinity/${a}/labelSelector/matchLabels`, group: "apps", kind })),
  { path: "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", group: "apps", kind },
];

export const METADATA_LABELS_SPECS: readonly FieldSpec[] = [
  { path: "metadata/labels", create: true },
  { path: "spec/template/metadata/labels", create: true, version: "v1", kind: "ReplicationController" },
  { path: "spec/template/metadata/labels", create: true, kind: "Deployment" },
  { path: "spec/template/metadata/labels", create: true, kind: "ReplicaSet" },
  { path: "spec/template/metadata/labels", create: true, kind: "DaemonSet" },
  { path: "spec/template/metadata/labels", create: true, group: "apps", kind: "StatefulSet" },
  { path: "spec/volumeClaimTemplates[]/metadata/labels", create: true, group: "apps", kind: "StatefulSet" },
  { path: "spec/template/metadata/labels", create: true, group: "batch", kind: "Job" },
  { path: "spec/jobTemplate/metadata/labels", create: true, group: "batch", kind: "CronJob" },
  { path: "spec/jobTemplate/spec/template/metadata/labels", create: true, group: "batch", kind: "CronJob" },
];

export const COMMON_LABELS_SPECS: readonly FieldSpec[] = [
  { path: "spec/selector", create: true, version: "v1", kind: "Service" },
  { path: "spec/selector", create: true, version: "v1", kind: "ReplicationController" },
  { path: "spec/selector/matchLabels", create: true, kind: "Deployment" },
  ...podTemplateSelectors("Deployment"),
  { path: "spec/selector/matchLabels", create: true, kind: "ReplicaSet" },
  { path: "spec/selector/matchLabels", create: true, kind: "DaemonSet" },
  { path: "spec/selector/matchLabels", create: true, group: "apps", kind: "StatefulSet" },
  ...podTemplateSelectors("StatefulSet"),
  { path: "spec/selector/matchLabels", group: "batch", kind: "Job" },
  { path: "spec/jobTemplate/spec/selector/matchLabels", group: "batch", kind: "CronJob" },
  { path: "spec/selector/matchLabels", group: "policy", kind: "PodDisruptionBudget" },
  { path: "spec/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy" },
  { path: "spec/ingress/from/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy" },
  { path: "spec/egress/to/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy" },
  ...METADATA_LABELS_SPECS,
];

export const COMMON_ANNOTATIONS_SPECS: readonly FieldSpec[] = [
  { path: "metadata/annotations", create: true },
  { path: "spec/template/metadata/annotations", create: true, version: "v1", kind: "ReplicationController" },
  { path: "spec/template/metadata/annotations", create: true, kind: "Deployment" },
  { path: "spec/template/metadata/annotations", create: true, kind: "ReplicaSet" },
  { path: "spec/template/metadata/annotations", create: true, kind: "DaemonSet" },
  { path: "spec/template/metadata/annotations", create: true, kind: "StatefulSet" },
  { path: "spec/template/metadata/annotations", create: true, group: "batch", kind: "Job" },
  { path: "spec/jobTemplate/metadata/annotations", create: true, group: "batch", kind: "CronJob" },
  { path: "spec/jobTemplate/spec/template/metadata/annotations", create: true, group: "batch", kind: "CronJob" },
];

/** Where each workload kind keeps its pod spec, for the name references into pod specs. */
const POD_SPEC_AT: ReadonlyArray<[kind: string, podSpec: string, version?: string]> = [
  ["Pod", "spec", "v1"],
  ["Deployment", "spec/template/spec"],
  ["ReplicaSet", "spec/template/spec"],
  ["DaemonSet", "spec/template/spec"],
  ["StatefulSet", "spec/template/spec"],
  ["Job", "spec/template/spec"],
  ["CronJob", "spec/jobTemplate/spec/template/spec"],
];
const inPodSpecs = (paths: readonly string[], kinds: ReadonlyArray<[string, string, string?]> = POD_SPEC_AT): FieldSpec[] =>
  kinds.flatMap(([kind, at, version]) => paths.map((p) => ({ path: `${at}/${p}`, kind, ...(version ? { version } : {}) })));
/** The kinds that name a ServiceAccount, PVC or PriorityClass in their pod spec (ReplicationController, no ReplicaSet). */
const POD_SPEC_AT_2: ReadonlyArray<[string, string]> = [
  ["Pod", "spec"],
  ["StatefulSet", "spec/template/spec"],
  ["Deployment", "spec/template/spec"],
  ["ReplicationController", "spec/template/spec"],
  ["CronJob", "spec/jobTemplate/spec/template/spec"],
  ["Job", "spec/template/spec"],
  ["DaemonSet", "spec/template/spec"],
];

const CONFIGMAP_IN_POD = [
  "volumes/configMap/name",
  "containers/env/valueFrom/configMapKeyRef/name",
  "initContainers/env/valueFrom/configMapKeyRef/name",
  "containers/envFrom/configMapRef/name",
  "initContainers/envFrom/configMapRef/name",
  "volumes/projected/sources/configMap/name",
];
const SECRET_IN_POD = [
  "volumes/secret/secretName",
  "containers/env/valueFrom/secretKeyRef/name",
  "initContainers/env/valueFrom/secretKeyRef/name",
  "containers/envFrom/secretRef/name",
  "initContainers/envFrom/secretRef/name",
  "imagePullSecrets/name",
  "volumes/projected/sources/secret/name",
];
const KNATIVE = { kind: "Service", group: "serving.knative.dev", version: "v1" };
const HPA_TARGET: FieldSpec[] = [{ path: "spec/scaleTargetRef/name", kind: "HorizontalPodAutoscaler" }];
const RBAC = "rbac.authorization.k8s.io";

export const NAME_REFERENCE_SPECS: readonly NameBackReference[] = [
  { kind: "Deployment", fieldSpecs: HPA_TARGET },
  { kind: "ReplicationController", fieldSpecs: HPA_TARGET },
  { kind: "ReplicaSet", fieldSpecs: HPA_TARGET },
  { kind: "StatefulSet", fieldSpecs: HPA_TARGET },
  {
    kind: "ConfigMap",
    version: "v1",
    fieldSpecs: [
      ...inPodSpecs(CONFIGMAP_IN_POD),
      { path: "spec/configSource/configMap", kind: "Node" },
      { path: "rules/resourceNames", kind: "Role" },
      { path: "rules/resourceNames", kind: "ClusterRole" },
      { path: "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap", kind: "Ingress" },
      { path: "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", ...KNATIVE },
      { path: "spec/template/spec/containers/envFrom/configMapRef/name", ...KNATIVE },
    ],
  },
  {
    kind: "Secret",
    version: "v1",
    fieldSpecs: [
      ...inPodSpecs(SECRET_IN_POD),
      { path: "spec/tls/secretName", kind: "Ingress" },
      { path: "metadata/annotations/ingress.kubernetes.io\\/auth-secret", kind: "Ingress" },
      { path: "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret", kind: "Ingress" },
      { path: "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret", kind: "Ingress" },
      { path: "imagePullSecrets/name", kind: "ServiceAccount" },
      ...["secretName", "adminSecretName", "userSecretName", "secretRef"].map((p) => ({ path: `parameters/${p}`, kind: "StorageClass" })),
      { path: "rules/resourceNames", kind: "Role" },
      { path: "rules/resourceNames", kind: "ClusterRole" },
      { path: "spec/template/spec/containers/env/valueFrom/secretKeyRef/name", ...KNATIVE },
      { path: "spec/azureFile/secretName", kind: "PersistentVolume" },
    ],
  },
  {
    kind: "Service",
    version: "v1",
    fieldSpecs: [
      { path: "spec/serviceName", kind: "StatefulSet", group: "apps" },
      { path: "spec/rules/http/paths/backend/serviceName", kind: "Ingress" },
      { path: "spec/backend/serviceName", kind: "Ingress" },
      { path: "spec/rules/http/paths/backend/service/name", kind: "Ingress" },
      { path: "spec/defaultBackend/service/name", kind: "Ingress" },
      { path: "spec/service/name", kind: "APIService", group: "apiregistration.k8s.io" },
      { path: "webhooks/clientConfig/service", kind: "ValidatingWebhookConfiguration", group: "admissionregistration.k8s.io" },
      { path: "webhooks/clientConfig/service", kind: "MutatingWebhookConfiguration", group: "admissionregistration.k8s.io" },
    ],
  },
  { kind: "Role", group: RBAC, fieldSpecs: [{ path: "roleRef/name", kind: "RoleBinding", group: RBAC }] },
  {
    kind: "ClusterRole",
    group: RBAC,
    fieldSpecs: [
      { path: "roleRef/name", kind: "RoleBinding", group: RBAC },
      { path: "roleRef/name", kind: "ClusterRoleBinding", group: RBAC },
    ],
  },
  {
    kind: "ServiceAccount",
    version: "v1",
    fieldSpecs: [
      { path: "subjects", kind: "RoleBinding", group: RBAC },
      { path: "subjects", kind: "ClusterRoleBinding", group: RBAC },
      ...inPodSpecs(["serviceAccountName"], POD_SPEC_AT_2),
    ],
  },
  { kind: "PersistentVolumeClaim", version: "v1", fieldSpecs: inPodSpecs(["volumes/persistentVolumeClaim/claimName"], POD_SPEC_AT_2) },
  {
    kind: "PersistentVolume",
    version: "v1",
    fieldSpecs: [
      { path: "spec/volumeName", kind: "PersistentVolumeClaim" },
      { path: "rules/resourceNames", kind: "ClusterRole" },
    ],
  },
  {
    kind: "StorageClass",
    version: "v1",
    group: "storage.k8s.io",
    fieldSpecs: [
      { path: "spec/storageClassName", kind: "PersistentVolume" },
      { path: "spec/storageClassName", kind: "PersistentVolumeClaim" },
      { path: "spec/volumeClaimTemplates/spec/storageClassName", kind: "StatefulSet" },
    ],
  },
  { kind: "PriorityClass", version: "v1", group: "scheduling.k8s.io", fieldSpecs: inPodSpecs(["priorityClassName"], POD_SPEC_AT_2) },
  {
    kind: "ValidatingAdmissionPolicy",
    group: "admissionregistration.k8s.io",
    fieldSpecs: [{ path: "spec/policyName", kind: "ValidatingAdmissionPolicyBinding", group: "admissionregistration.k8s.io" }],
  },
  // Kustomize writes this group with the version ("networking.k8s.io/v1"), so the entry matches no IngressClass.
  { kind: "IngressClass", version: "v1", group: "networking.k8s.io/v1", fieldSpecs: [{ path: "spec/ingressClassName", kind: "Ingress" }] },
];

const CONTAINER_VAR_FIELDS = ["args", "command", "env/value", "volumeMounts/mountPath"];
const varsInPodSpec = (kind: string, at: string): FieldSpec[] => [
  ...["containers", "initContainers"].flatMap((c) => CONTAINER_VAR_FIELDS.map((f) => ({ path: `${at}/${c}/${f}`, kind }))),
  { path: `${at}/volumes/nfs/server`, kind },
];

export const VAR_REFERENCE_SPECS: readonly FieldSpec[] = [
  ...varsInPodSpec("CronJob", "spec/jobTemplate/spec/template/spec"),
  ...varsInPodSpec("DaemonSet", "spec/template/spec"),
  ...varsInPodSpec("Deployment", "spec/template/spec"),
  { path: "spec/rules/host", kind: "Ingress" },
  { path: "spec/tls/hosts", kind: "Ingress" },
  { path: "spec/tls/secretName", kind: "Ingress" },
  ...varsInPodSpec("Job", "spec/template/spec"),
  ...varsInPodSpec("Pod", "spec"),
  ...varsInPodSpec("ReplicaSet", "spec/template/spec"),
  { path: "spec/ports/port", kind: "Service" },
  { path: "spec/ports/targetPort", kind: "Service" },
  ...varsInPodSpec("StatefulSet", "spec/template/spec").slice(0, -1),
  { path: "spec/volumeClaimTemplates/spec/nfs/server", kind: "StatefulSet" },
  { path: "spec/nfs/server", kind: "PersistentVolume" },
  { path: "metadata/labels" },
  { path: "metadata/annotations" },
];

export const IMAGES_SPECS: readonly FieldSpec[] = [
  { path: "spec/containers[]/image", create: true },
  { path: "spec/initContainers[]/image", create: true },
  { path: "spec/volumes[]/image/reference", create: true },
  { path: "spec/template/spec/containers[]/image", create: true },
  { path: "spec/template/spec/initContainers[]/image", create: true },
  { path: "spec/template/spec/volumes[]/image/reference", create: true },
];

export const REPLICAS_SPECS: readonly FieldSpec[] = [
  { path: "spec/replicas", create: true, kind: "Deployment" },
  { path: "spec/replicas", create: true, kind: "ReplicationController" },
  { path: "spec/replicas", create: true, kind: "ReplicaSet" },
  { path: "spec/replicas", create: true, kind: "StatefulSet" },
];
