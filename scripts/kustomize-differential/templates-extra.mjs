/**
 * Templates for the less common corners: crds and configurations (custom name references), `kind: List`, JSON
 * resources, empty and comment-only documents, nested components, replacements from a file, labels with custom
 * fields, kind changes in patches, TLS secrets from files.
 */
const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n";
/** The OpenAPI map `crds:` reads (type name → { Schema }), as Kustomize's own crd tests write it. */
const CRD_SCHEMA = {
  "example.com/hive/v1.Bee": {
    Schema: {
      properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        metadata: { $ref: "k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta" },
        spec: { $ref: "example.com/hive/v1.BeeSpec" },
      },
    },
  },
  "example.com/hive/v1.BeeSpec": {
    Schema: {
      properties: {
        configMapRef: { type: "string", "x-kubernetes-object-ref-api-version": "v1", "x-kubernetes-object-ref-kind": "ConfigMap" },
      },
    },
  },
};
const BEE = "apiVersion: example.com/v1\nkind: Bee\nmetadata: {name: bee}\nspec: {configMapRef: {name: settings}, other: settings}\n";

const EXTRA = {
  "crds-name-reference": {
    "kustomization.yaml": "resources: [cm.yaml, bee.yaml]\ncrds: [bee-schema.json]\nnamePrefix: p-\nnamespace: ns\n",
    "cm.yaml": CM, "bee.yaml": BEE, "bee-schema.json": JSON.stringify(CRD_SCHEMA, null, 2),
  },
  "configurations-name-reference": {
    "kustomization.yaml": "resources: [cm.yaml, bee.yaml]\nconfigurations: [refs.yaml]\nnameSuffix: -s\n",
    "cm.yaml": CM, "bee.yaml": BEE,
    "refs.yaml": "nameReference:\n- kind: ConfigMap\n  version: v1\n  fieldSpecs:\n  - {kind: Bee, path: spec/other}\n",
  },
  "configurations-common-labels": {
    "kustomization.yaml": "resources: [bee.yaml]\nconfigurations: [labels.yaml]\ncommonLabels: {team: bees}\n",
    "bee.yaml": BEE, "labels.yaml": "commonLabels:\n- {kind: Bee, path: spec/selector/matchLabels, create: true}\n",
  },
  "list-kind": {
    "kustomization.yaml": "resources: [list.yaml]\nnamePrefix: l-\n",
    "list.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: one}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: two}\n  spec: {ports: [{port: 80}]}\n",
  },
  "json-resource": {
    "kustomization.yaml": "resources: [cm.json]\ncommonAnnotations: {from: json}\n",
    "cm.json": JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "from-json" }, data: { n: "1", flag: "true" } }, null, 2),
  },
  "empty-documents": {
    "kustomization.yaml": "resources: [docs.yaml]\n",
    "docs.yaml": `---\n# only a comment\n---\n${CM}---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n...\n`,
  },
  "nested-components": {
    "app/kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../outer]\n",
    "app/cm.yaml": CM,
    "outer/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents: [../inner]\ncommonAnnotations: {outer: \"1\"}\n",
    "inner/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n- {name: settings, behavior: merge, literals: [inner=yes]}\n",
  },
  "replacements-from-file": {
    "kustomization.yaml": "resources: [cm.yaml, bee.yaml]\nreplacements:\n- path: repl.yaml\n",
    "cm.yaml": CM, "bee.yaml": BEE,
    "repl.yaml": "source: {kind: ConfigMap, name: settings, fieldPath: data.a}\ntargets:\n- select: {kind: Bee}\n  fieldPaths: [spec.other]\n",
  },
  "labels-custom-fields": {
    "kustomization.yaml": "resources: [bee.yaml]\nlabels:\n- pairs: {team: bees}\n  fields:\n  - {kind: Bee, path: spec/podLabels, create: true}\n",
    "bee.yaml": BEE,
  },
  "patch-kind-change": {
    "kustomization.yaml": "resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap, name: settings}\n  options: {allowKindChange: true, allowNameChange: true}\n  patch: |\n    apiVersion: v1\n    kind: Secret\n    metadata: {name: renamed}\n",
    "cm.yaml": CM,
  },
  "secret-tls-files": {
    "kustomization.yaml": "secretGenerator:\n- name: tls\n  type: kubernetes.io/tls\n  files: [tls.crt, tls.key]\n- name: basic\n  literals: [\"username=admin\", \"password=p@ss=word\"]\n  options: {disableNameSuffixHash: true}\n",
    "tls.crt": "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n",
    "tls.key": "-----BEGIN PRIVATE KEY-----\nMIIEfake\n-----END PRIVATE KEY-----\n",
  },
  "generator-envs-quotes": {
    "kustomization.yaml": "configMapGenerator:\n- name: env\n  envs: [app.env]\n- name: lit\n  literals: ['quoted=\"with spaces\"', \"single='x'\", \"empty=\", \"eq=a=b\"]\n",
    "app.env": "# comment\nPLAIN=value\nSPACED = trimmed\nQUOTED=\"double\"\nEXPORT_LIKE=export\n\nEMPTY=\n",
  },
};

/** A small app whose Deployment refers to its ConfigMap, Secret and ServiceAccount by name. */
const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      serviceAccountName: app
      containers:
      - name: app
        image: app:1
        envFrom: [{configMapRef: {name: app-config}}, {secretRef: {name: app-secret}}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app}
`;

/** One root including several overlays of the same base: each copy's references must resolve to its own objects. */
function fleet(clusters, base) {
  const files = { "base/app.yaml": APP, "base/kustomization.yaml": `resources: [app.yaml]\n${base}`, "fleet/kustomization.yaml": `resources: [${Object.keys(clusters).map((c) => `../clusters/${c}`).join(", ")}]\n` };
  for (const [c, k] of Object.entries(clusters)) files[`clusters/${c}/kustomization.yaml`] = `resources: [../../base]\n${k}`;
  return files;
}
const GEN = "configMapGenerator:\n- {name: app-config, literals: [a=1]}\nsecretGenerator:\n- {name: app-secret, literals: [p=1]}\n";
const PLAIN = "configMapGenerator:\n- {name: app-config, literals: [a=1]}\nsecretGenerator:\n- {name: app-secret, literals: [p=1]}\ngeneratorOptions: {disableNameSuffixHash: true}\n";

const FLEETS = {
  "fleet-namespaces-only": fleet({ a: "namespace: ns-a\n", b: "namespace: ns-b\n" }, GEN),
  "fleet-prefixes-same-namespace": fleet({ a: "namePrefix: a-\nnamespace: shared\n", b: "namePrefix: b-\nnamespace: shared\n" }, GEN),
  "fleet-generator-merge-each": fleet({
    a: "namespace: ns-a\nconfigMapGenerator:\n- {name: app-config, behavior: merge, literals: [cluster=a]}\n",
    b: "namespace: ns-b\nnameSuffix: -b\nconfigMapGenerator:\n- {name: app-config, behavior: replace, literals: [cluster=b]}\n",
  }, GEN),
  "fleet-no-hash-suffixes": fleet({ a: "nameSuffix: -a\n", b: "nameSuffix: -b\n" }, PLAIN),
};

/** Kustomize runs a kustomization's own generators before it accumulates its components (kustomize PR 5170). */
const COMP = (body, resources = "") => `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${resources}${body}`;
const ORDERING = {
  "components-after-own-generators": {
    "app/kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../comp]\nconfigMapGenerator:\n- {name: own, literals: [a=1]}\nsortOptions: {order: fifo}\n",
    "app/cm.yaml": CM, "comp/kustomization.yaml": COMP("", "resources: [extra.yaml]\n"), "comp/extra.yaml": CM.replace("settings", "extra"),
  },
  "component-transformers-see-own-generated": {
    "app/kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../comp]\nsecretGenerator:\n- {name: own, literals: [a=1]}\n",
    "app/cm.yaml": CM, "comp/kustomization.yaml": COMP("commonAnnotations: {from-component: \"yes\"}\nnamePrefix: c-\n"),
  },
  "component-merges-own-generator": {
    "app/kustomization.yaml": "resources: [cm.yaml]\ncomponents: [../comp]\nconfigMapGenerator:\n- {name: own, literals: [a=1]}\n",
    "app/cm.yaml": CM, "comp/kustomization.yaml": COMP("configMapGenerator:\n- {name: own, behavior: merge, literals: [b=2]}\n"),
  },
  "labels-overlay-over-base-template-labels": {
    "app/kustomization.yaml": "resources: [../base]\nlabels:\n- pairs: {team: search}\n",
    "base/kustomization.yaml": "resources: [d.yaml]\nlabels:\n- pairs: {team: payments}\n  includeTemplates: true\n",
    "base/d.yaml": APP.split("---")[0],
  },
};

export function extraTemplates() {
  const runOf = (files) => (files["kustomization.yaml"] ? "." : files["fleet/kustomization.yaml"] ? "fleet" : "app");
  return Object.entries({ ...EXTRA, ...FLEETS, ...ORDERING }).map(([name, files]) => ({ name: `extra-${name}`, features: ["extra", name], files, run: runOf(files) }));
}
