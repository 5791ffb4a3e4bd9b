/**
 * Templates for patches (strategic merge on lists with merge keys, `$patch` directives, JSON 6902 corners, targets),
 * replacements and vars: one base, one variant per patch or rule, each a fixture of its own.
 */
import { DEPLOYMENT } from "./resources.mjs";

const RICH = DEPLOYMENT("api", "ghcr.io/acme/api:3.1", `        - {name: DB_HOST, value: db}
        args: [--verbose, --port=8080, --color]
        volumeMounts:
        - {name: cache, mountPath: /cache}
      - name: proxy
        image: envoyproxy/envoy:v1.29
        ports:
        - {containerPort: 9901, protocol: TCP}
        - {containerPort: 9901, protocol: UDP}
      initContainers:
      - {name: migrate, image: "ghcr.io/acme/api:3.1", command: [migrate]}
      volumes:
      - name: cache
        emptyDir: {}
      tolerations:
      - {key: spot, operator: Exists}
`);

const SMP = {
  "env-merge": "containers:\n- name: api\n  env:\n  - {name: LOG_LEVEL, value: debug}\n  - {name: NEW, value: x}",
  "ports-merge-key": "containers:\n- name: proxy\n  ports:\n  - {containerPort: 9901, protocol: UDP, name: admin-udp}",
  "container-add": "containers:\n- name: sidecar\n  image: busybox",
  "container-delete": "containers:\n- name: proxy\n  $patch: delete",
  "list-replace": "containers:\n- $patch: replace\n- name: solo\n  image: solo:1",
  "env-replace": "containers:\n- name: api\n  env:\n  - $patch: replace\n  - {name: ONLY, value: one}",
  "map-replace": "$patch: replace\ncontainers:\n- {name: minimal, image: minimal:1}",
  "volume-add": "volumes:\n- name: extra\n  configMap: {name: extra}",
  "volume-delete": "volumes:\n- name: cache\n  $patch: delete",
  "null-deletes": "containers:\n- name: api\n  args: null\n  ports: null",
  "tolerations-atomic": "tolerations:\n- {key: gpu, operator: Exists}",
  "set-element-order": "$setElementOrder/containers:\n- name: proxy\n- name: api\ncontainers:\n- name: api\n  image: api:reordered",
  "delete-from-primitive-list": "containers:\n- name: api\n  $deleteFromPrimitiveList/args: [--color]",
  "primitive-list-replaced": "containers:\n- name: api\n  args: [--quiet]",
  "init-container": "initContainers:\n- name: migrate\n  image: migrate:2",
  "retain-keys": "$retainKeys: [containers]\ncontainers:\n- name: api\n  image: api:retained",
};

const indent = (text, n) => text.split("\n").map((l) => " ".repeat(n) + l).join("\n");

function base(kustomization, extraFiles = {}) {
  return { run: ".", files: { "kustomization.yaml": `resources: [deployment.yaml]\n${kustomization}`, "deployment.yaml": RICH, ...extraFiles } };
}

const JSON6902 = {
  "escaped-keys": `- {op: add, path: "/metadata/annotations", value: {}}\n- {op: add, path: "/metadata/annotations/example.com~1team", value: payments}\n- {op: add, path: "/metadata/annotations/tilde~0key", value: t}`,
  "move-copy": `- {op: copy, from: /spec/template/spec/containers/0/image, path: /spec/template/spec/initContainers/0/image}\n- {op: move, from: /spec/template/spec/tolerations, path: /spec/template/spec/affinityTolerations}`,
  "append-and-insert": `- {op: add, path: /spec/template/spec/containers/0/args/-, value: --last}\n- {op: add, path: /spec/template/spec/containers/0/args/0, value: --first}`,
  "remove-container": `- {op: remove, path: /spec/template/spec/containers/1}`,
  "test-passes": `- {op: test, path: /spec/replicas, value: 2}\n- {op: replace, path: /spec/replicas, value: 4}`,
  "test-fails": `- {op: test, path: /spec/replicas, value: 3}\n- {op: replace, path: /spec/replicas, value: 4}`,
  "replace-missing": `- {op: replace, path: /spec/paused, value: true}`,
  "json-syntax": `[{"op": "add", "path": "/spec/minReadySeconds", "value": 10}]`,
};

const TARGETS = {
  "regex-name": "{kind: Deployment, name: \"a.i\"}",
  "regex-alternation": "{name: \"api|web\"}",
  "label-selector-set": "{labelSelector: \"app in (api,web),app!=db\"}",
  "label-selector-exists": "{labelSelector: app}",
  "annotation-selector": "{annotationSelector: \"team=core\"}",
  "group-version": "{group: apps, version: v1}",
  "no-match": "{kind: StatefulSet}",
};

const REPLACEMENTS = {
  "image-tag-to-label": `- source: {kind: Deployment, name: api, fieldPath: "spec.template.spec.containers.[name=api].image", options: {delimiter: ":", index: 1}}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.metadata.labels.version, metadata.labels.version]
    options: {create: true}`,
  "configmap-to-env": `- source: {kind: ConfigMap, name: settings, fieldPath: data.host}
  targets:
  - select: {kind: Deployment, name: api}
    fieldPaths: ["spec.template.spec.containers.[name=api].env.[name=DB_HOST].value"]`,
  "delimiter-index-replace": `- source: {kind: ConfigMap, name: settings, fieldPath: data.region}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.[name=proxy].image"]
    options: {delimiter: "/", index: 0}`,
  "whole-map": `- source: {kind: ConfigMap, name: settings, fieldPath: metadata.labels}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.metadata.labels]`,
  "reject-and-wildcard": `- source: {kind: ConfigMap, name: settings, fieldPath: data.host}
  targets:
  - select: {kind: ConfigMap}
    reject: [{name: settings}]
    fieldPaths: [data.copied]
    options: {create: true}
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.*.env.[name=LOG_LEVEL].value"]`,
  "source-missing": `- source: {kind: ConfigMap, name: absent, fieldPath: data.host}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [metadata.labels.host]`,
  "default-fieldpath-name": `- source: {kind: ConfigMap, name: settings}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [metadata.annotations.settings-name]
    options: {create: true}`,
};

const SETTINGS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {tier: backend}
data: {host: db.internal, region: eu-west, copied: old}
`;
const OTHER = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {a: b}\n";

const VARS = {
  "service-name": { vars: "- name: SVC\n  objref: {kind: Service, name: api-svc, apiVersion: v1}", prefix: "namePrefix: p-\n" },
  "generated-configmap": { vars: "- name: CFG\n  objref: {kind: ConfigMap, name: gen, apiVersion: v1}\n  fieldref: {fieldpath: metadata.name}", prefix: "configMapGenerator:\n- {name: gen, literals: [a=b]}\n" },
  "field-replicas": { vars: "- name: SVC\n  objref: {kind: Deployment, name: api, apiVersion: apps/v1}\n  fieldref: {fieldpath: spec.replicas}", prefix: "" },
  "undefined-stays": { vars: "- name: OTHER\n  objref: {kind: Service, name: api-svc, apiVersion: v1}", prefix: "" },
};

function varsCase(v) {
  const deployment = RICH.replace("args: [--verbose, --port=8080, --color]", 'args: ["--svc=$(SVC)", "--cfg=$(CFG)", "$(OTHER)"]');
  const svc = "apiVersion: v1\nkind: Service\nmetadata: {name: api-svc}\nspec: {selector: {app: api}, ports: [{port: 80}]}\n";
  return { run: ".", files: { "kustomization.yaml": `resources: [deployment.yaml, service.yaml]\n${v.prefix}vars:\n${v.vars}\n`, "deployment.yaml": deployment, "service.yaml": svc } };
}

export function patchTemplates() {
  const out = [];
  for (const [m, body] of Object.entries(SMP)) {
    const patch = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n${indent(body, 6)}\n`;
    out.push({ name: `smp-${m}`, features: ["patches", "strategic-merge"], ...base("patches:\n- path: patch.yaml\n", { "patch.yaml": patch }) });
  }
  out.push({ name: "smp-delete-object", features: ["patches", "strategic-merge"], ...base("patchesStrategicMerge:\n- |-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: api}\n  $patch: delete\n") });
  for (const [m, ops] of Object.entries(JSON6902)) {
    out.push({ name: `json6902-${m}`, features: ["patches", "json6902"], ...base(`patches:\n- target: {kind: Deployment, name: api}\n  patch: |-\n${indent(ops, 4)}\n`) });
  }
  const annotated = (t) => `patches:\n- target: ${t}\n  patch: |-\n    - {op: add, path: /metadata/labels/patched, value: "true"}\n`;
  for (const [m, t] of Object.entries(TARGETS)) {
    const c = base(annotated(t));
    c.files["deployment.yaml"] += `---\n${RICH.replaceAll("api", "web").replace("labels: {app: web}", "labels: {app: web}\n  annotations: {team: core}")}`;
    out.push({ name: `target-${m}`, features: ["patches", "targets"], ...c });
  }
  for (const [m, rules] of Object.entries(REPLACEMENTS)) {
    const c = base(`replacements:\n${rules}\n`, { "settings.yaml": SETTINGS + OTHER });
    c.files["kustomization.yaml"] = c.files["kustomization.yaml"].replace("[deployment.yaml]", "[deployment.yaml, settings.yaml]");
    out.push({ name: `replacements-${m}`, features: ["replacements"], ...c });
  }
  for (const [m, v] of Object.entries(VARS)) out.push({ name: `vars-${m}`, features: ["vars"], ...varsCase(v) });
  return out;
}
