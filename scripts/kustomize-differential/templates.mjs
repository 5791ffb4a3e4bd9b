/**
 * Hand-written kustomization trees (realistic layouts and Kustomize's corners) and mutations of each: a template
 * is a function of its variant's parameters returning { files, run }; templateCases() lists every variant.
 */
import { extraTemplates } from "./templates-extra.mjs";
import { namingTemplates } from "./templates-naming.mjs";
import { patchTemplates } from "./templates-patches.mjs";
import { DEPLOYMENT } from "./resources.mjs";

/** A base with one Deployment, its Service and a generated ConfigMap, and one overlay built from it. */
function prodOverlay(overlay) {
  return {
    run: "overlays/prod",
    files: {
      "base/kustomization.yaml": `resources:
- deployment.yaml
- service.yaml
configMapGenerator:
- name: web-config
  literals: [mode=fast, "greeting=hello world"]
`,
      "base/deployment.yaml": DEPLOYMENT("web", "registry.example.com:5000/team/web:1.0.0", `        envFrom:
        - configMapRef: {name: web-config}
`),
      "base/service.yaml": `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`,
      "overlays/prod/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
${overlay}`,
    },
  };
}

const PROD = {
  "images-newTag": `images:\n- name: registry.example.com:5000/team/web\n  newTag: 1.2.3\n`,
  "images-newName": `images:\n- name: registry.example.com:5000/team/web\n  newName: docker.io/evil/web\n`,
  "images-digest": `images:\n- name: registry.example.com:5000/team/web\n  digest: sha256:${"ab".repeat(32)}\n`,
  "images-name-tag-digest": `images:\n- name: registry.example.com:5000/team/web\n  newName: mirror.local:8443/web\n  newTag: "2.0"\n  digest: sha256:${"cd".repeat(32)}\n`,
  "images-tag-in-newName": `images:\n- name: registry.example.com:5000/team/web\n  newName: other.example.com/web:9.9\n`,
  "namespace-prefix-replicas": `namespace: prod\nnamePrefix: prod-\nreplicas:\n- name: web\n  count: 5\n`,
  "build-metadata-origin": "buildMetadata: [originAnnotations]\nnamePrefix: o-\n",
  "build-metadata-transformers": "buildMetadata: [transformerAnnotations]\nnamePrefix: t-\nimages:\n- {name: registry.example.com:5000/team/web, newTag: \"1.1\"}\n",
  "generator-merge": `configMapGenerator:\n- name: web-config\n  behavior: merge\n  literals: [mode=safe, region=eu]\n`,
  "generator-replace": `configMapGenerator:\n- name: web-config\n  behavior: replace\n  literals: [only=this]\n`,
  "generator-no-hash": `generatorOptions:\n  disableNameSuffixHash: true\nconfigMapGenerator:\n- name: web-config\n  behavior: merge\n  literals: [mode=safe]\n`,
  "all-together": `namespace: prod-eu-1
namePrefix: eu1-
nameSuffix: -v2
labels:
- pairs: {cluster: prod-eu-1}
  includeSelectors: true
commonAnnotations: {owner: platform}
images:
- name: registry.example.com:5000/team/web
  newTag: 1.4.0
replicas:
- {name: web, count: 3}
patches:
- patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/ports/0/containerPort
      value: 9090
  target: {kind: Deployment, name: web}
`,
};

/** Values in go-yaml v3's dialect: yes/no/on stay strings, 0644 is octal, anchors and merge keys, block scalars. */
function dialect(extraKustomization) {
  return {
    run: ".",
    files: {
      "kustomization.yaml": `resources: [resources.yaml]\n${extraKustomization}`,
      "resources.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
data:
  enabled: "yes"
  script: |
    #!/bin/sh
    echo "hi"
  folded: >-
    one
    two
  quoted: 'it''s'
  number: "0777"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dialect
  annotations: &anno
    a: "1"
  labels: &labels {app: dialect}
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      annotations: *anno
      labels:
        <<: *labels
        tier: web
    spec:
      containers:
      - name: c
        image: busybox
        env:
        - name: PLAIN_YES
          value: yes
        - name: PLAIN_ON
          value: on
        - {name: TILDE, value: "~"}
      volumes:
      - name: cfg
        configMap:
          name: flags
          defaultMode: 0644
`,
    },
  };
}

/** Components: one adds a resource and a label, one rewrites images; the overlay lists them in both orders. */
function components(order) {
  return {
    run: "overlays/staging",
    files: {
      "base/kustomization.yaml": "resources: [app.yaml]\n",
      "base/app.yaml": DEPLOYMENT("shop", "nginx:1.25"),
      "components/monitoring/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [monitor.yaml]
labels:
- pairs: {monitored: "true"}
images:
- {name: nginx, newTag: "1.26"}
`,
      "components/monitoring/monitor.yaml": "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: shop}\nspec:\n  selector: {matchLabels: {app: shop}}\n",
      "components/mirror/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
images:
- {name: nginx, newName: mirror.example.com/nginx, newTag: "1.27"}
patches:
- patch: |
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: shop}
    spec:
      template:
        spec:
          containers:
          - name: shop
            env:
            - {name: MIRROR, value: "true"}
`,
      "overlays/staging/kustomization.yaml": `resources: [../../base]\ncomponents:\n${order.map((c) => `- ../../components/${c}\n`).join("")}namespace: staging\n`,
    },
  };
}

/** Output order: every kind of the legacy order's lists, in a scrambled input order. */
function ordering(sort) {
  const kinds = [
    ["apps/v1", "Deployment", "d"], ["v1", "Service", "s"], ["v1", "Namespace", "ns"], ["batch/v1", "Job", "j"],
    ["apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"], ["v1", "ConfigMap", "c"],
    ["admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "v"], ["v1", "ServiceAccount", "sa"],
    ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "crb"], ["example.com/v1", "Widget", "w"], ["v1", "Secret", "sec"],
    ["rbac.authorization.k8s.io/v1", "Role", "r"], ["v1", "LimitRange", "lr"], ["networking.k8s.io/v1", "Ingress", "i"],
    ["policy/v1", "PodDisruptionBudget", "pdb"], ["apps/v1", "StatefulSet", "a-ss"], ["v1", "ConfigMap", "a-c"],
    ["admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "m"], ["apiregistration.k8s.io/v1", "APIService", "v1.example.com"],
  ];
  return {
    run: ".",
    files: {
      "kustomization.yaml": `resources: [all.yaml]\n${sort}`,
      "all.yaml": kinds.map(([apiVersion, kind, name]) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`).join("---\n"),
    },
  };
}

export function templateCases() {
  const cases = [];
  const add = (name, features, t) => cases.push({ ...t, name: `template-${name}`, features });
  for (const [m, overlay] of Object.entries(PROD)) add(`prod-overlay-${m}`, ["overlay", m], prodOverlay(overlay));
  add("dialect-plain", ["yaml-dialect"], dialect(""));
  add("dialect-fifo-annotations", ["yaml-dialect", "sortOptions"], dialect('sortOptions: {order: fifo}\ncommonAnnotations: {note: "yes"}\n'));
  add("dialect-kustomization-yes", ["yaml-dialect", "kustomization-dialect"], dialect("commonAnnotations: {note: yes}\n"));
  add("components-monitoring-mirror", ["components"], components(["monitoring", "mirror"]));
  add("components-mirror-monitoring", ["components"], components(["mirror", "monitoring"]));
  add("order-legacy", ["order"], ordering(""));
  add("order-fifo", ["order", "sortOptions"], ordering("sortOptions: {order: fifo}\n"));
  add("order-legacy-options", ["order", "sortOptions"], ordering("sortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst: [Widget, Service]\n    orderLast: [Namespace]\n"));
  for (const t of [...patchTemplates(), ...namingTemplates(), ...extraTemplates()]) add(t.name, t.features, t);
  return cases;
}
