/**
 * Inputs Kustomize rejects: missing files, paths escaping the root, cycles, duplicate ids, generator behaviours,
 * malformed kustomizations and resources, unsupported features. Each case must make Kustomize fail
 * (generate.mjs stops if one builds).
 */
const CM = (name) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;

const ERRORS = {
  "missing-resource": { "kustomization.yaml": "resources: [absent.yaml]\n" },
  "missing-base-folder": { "kustomization.yaml": "resources: [../nowhere]\n" },
  "missing-patch-file": { "kustomization.yaml": "resources: [cm.yaml]\npatches:\n- path: absent.yaml\n", "cm.yaml": CM("a") },
  "missing-generator-file": { "kustomization.yaml": "configMapGenerator:\n- {name: g, files: [absent.txt]}\n" },
  "missing-env-file": { "kustomization.yaml": "secretGenerator:\n- {name: g, envs: [absent.env]}\n" },
  "escape-file": { "app/kustomization.yaml": "resources: [../outside.yaml]\n", "outside.yaml": CM("outside") },
  "escape-etc-passwd": { "app/kustomization.yaml": "resources: [../../etc/passwd]\n" },
  "escape-absolute": { "app/kustomization.yaml": "resources: [/etc/passwd]\n" },
  "escape-patch": { "app/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- path: ../patch.yaml\n", "app/cm.yaml": CM("a"), "patch.yaml": CM("a") },
  "escape-generator-file": { "app/kustomization.yaml": "configMapGenerator:\n- {name: g, files: [../secret.txt]}\n", "secret.txt": "s3cret\n" },
  "cycle-two": { "app/kustomization.yaml": "resources: [../other]\n", "other/kustomization.yaml": "resources: [../app]\n" },
  "cycle-self": { "app/kustomization.yaml": "resources: [.]\n" },
  "cycle-three": { "app/kustomization.yaml": "resources: [../b]\n", "b/kustomization.yaml": "resources: [../c]\n", "c/kustomization.yaml": "resources: [../app]\n" },
  "duplicate-in-file": { "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/cm.yaml": `${CM("a")}---\n${CM("a")}` },
  "duplicate-listed-twice": { "app/kustomization.yaml": "resources: [cm.yaml, cm.yaml]\n", "app/cm.yaml": CM("a") },
  "duplicate-two-bases": {
    "app/kustomization.yaml": "resources: [../b1, ../b2]\n",
    "b1/kustomization.yaml": "resources: [cm.yaml]\n", "b1/cm.yaml": CM("same"),
    "b2/kustomization.yaml": "resources: [cm.yaml]\n", "b2/cm.yaml": CM("same"),
  },
  "duplicate-generator-and-resource": { "app/kustomization.yaml": "resources: [cm.yaml]\nconfigMapGenerator:\n- {name: a, literals: [x=y]}\ngeneratorOptions: {disableNameSuffixHash: true}\n", "app/cm.yaml": CM("a") },
  "generator-create-existing": {
    "app/kustomization.yaml": "resources: [../base]\nconfigMapGenerator:\n- {name: g, literals: [x=2]}\n",
    "base/kustomization.yaml": "configMapGenerator:\n- {name: g, literals: [x=1]}\n",
  },
  "generator-merge-missing": { "app/kustomization.yaml": "configMapGenerator:\n- {name: g, behavior: merge, literals: [x=2]}\n" },
  "generator-bad-literal": { "app/kustomization.yaml": "configMapGenerator:\n- {name: g, literals: [novalue]}\n" },
  "generator-duplicate-key": { "app/kustomization.yaml": "configMapGenerator:\n- {name: g, literals: [x=1, x=2]}\n" },
  "no-kustomization": { "app/cm.yaml": CM("a") },
  "two-kustomization-files": { "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/kustomization.yml": "resources: [cm.yaml]\n", "app/cm.yaml": CM("a") },
  "kustomization-not-yaml": { "app/kustomization.yaml": "resources: [cm.yaml\n", "app/cm.yaml": CM("a") },
  "kustomization-unknown-field": { "app/kustomization.yaml": "resources: [cm.yaml]\nnamePrefx: typo-\n", "app/cm.yaml": CM("a") },
  "kustomization-wrong-type": { "app/kustomization.yaml": "resources: cm.yaml\n", "app/cm.yaml": CM("a") },
  "resource-not-yaml": { "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/cm.yaml": "kind: [unclosed\n" },
  "resource-flow-plain-colon": { "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: y}\nbinaryData: {}\nimmutable: false\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, args: [--listen, :8081]}]}\n" },
  "resource-without-kind": { "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/cm.yaml": "apiVersion: v1\nmetadata: {name: a}\n" },
  "resource-without-name": { "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n" },
  "component-as-resource": {
    "app/kustomization.yaml": "resources: [../comp]\n",
    "comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: c-\n",
  },
  "kustomization-as-component": { "app/kustomization.yaml": "components: [../k]\n", "k/kustomization.yaml": "resources: [cm.yaml]\n", "k/cm.yaml": CM("a") },
  "smp-no-target": { "app/kustomization.yaml": "resources: [cm.yaml]\npatchesStrategicMerge:\n- |-\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: absent}\n  data: {x: y}\n", "app/cm.yaml": CM("a") },
  "json6902-test-fails": { "app/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap}\n  patch: '[{\"op\": \"test\", \"path\": \"/data/a\", \"value\": \"c\"}]'\n", "app/cm.yaml": CM("a") },
  "json6902-bad-op": { "app/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap}\n  patch: '[{\"op\": \"frobnicate\", \"path\": \"/data/a\"}]'\n", "app/cm.yaml": CM("a") },
  "replacement-source-missing": {
    "app/kustomization.yaml": "resources: [cm.yaml]\nreplacements:\n- source: {kind: Secret, name: nope, fieldPath: data.x}\n  targets: [{select: {kind: ConfigMap}, fieldPaths: [data.a]}]\n", "app/cm.yaml": CM("a"),
  },
  "var-target-missing": { "app/kustomization.yaml": "resources: [cm.yaml]\nvars:\n- name: V\n  objref: {kind: Service, name: nope, apiVersion: v1}\n", "app/cm.yaml": CM("a") },
  "helm-chart": { "app/kustomization.yaml": "helmCharts:\n- {name: minecraft, repo: https://itzg.github.io/minecraft-server-charts, version: 3.1.3}\n" },
  "plugin-generator": { "app/kustomization.yaml": "generators: [gen.yaml]\n", "app/gen.yaml": "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata: {name: x}\n" },
};

/** Inputs that look wrong but that Kustomize v5.5.0 builds: the renderer must build them the same way. */
const QUIRKS = {
  "generator-unknown-behavior": { "kustomization.yaml": "configMapGenerator:\n- {name: g, behavior: upsert, literals: [x=2]}\n" },
  "image-tag-with-space": { "kustomization.yaml": "resources: [d.yaml]\nimages:\n- {name: nginx, newTag: \"bad tag\"}\n", "d.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n" },
};

const runOf = (files) => (files["kustomization.yaml"] ? "." : "app");

export function errorCases() {
  const errors = Object.entries(ERRORS).map(([name, files]) => ({ name: `error-${name}`, features: ["error"], files, run: runOf(files), expectError: true }));
  const quirks = Object.entries(QUIRKS).map(([name, files]) => ({ name: `quirk-${name}`, features: ["quirk"], files, run: runOf(files) }));
  return [...errors, ...quirks];
}
