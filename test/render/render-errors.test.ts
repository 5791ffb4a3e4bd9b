/**
 * Bad input never crashes a render: each problem is one error diagnostic with a stable code, at the kustomization
 * line that caused it, and no objects.
 */
import { MemoryFs, renderKustomization } from "../../src/render/index.js";
import type { RenderResult } from "../../src/render/index.js";

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function render(files: Record<string, string>, root = "app", maxResources?: number): RenderResult {
  return renderKustomization(new MemoryFs(files), root, maxResources === undefined ? {} : { maxResources });
}

function expectError(r: RenderResult, code: string, file: string, line: number): void {
  expect(r.ok).toBe(false);
  expect(r.objects).toEqual([]);
  expect(r.diagnostics).toHaveLength(1);
  expect(r.diagnostics[0]).toMatchObject({ code, severity: "error", file, line });
}

test("a resource cycle", () => {
  const r = render({ "a/kustomization.yaml": "resources:\n- ../b\n", "b/kustomization.yaml": "namePrefix: x-\nresources:\n- ../a\n" }, "a");
  expectError(r, "render_cycle", "b/kustomization.yaml", 3);
  expect(r.diagnostics[0]!.message).toContain("a → b → a");
});

test("a missing file", () => {
  expectError(render({ "app/kustomization.yaml": "resources:\n- cm.yaml\n- nope.yaml\n", "app/cm.yaml": cm("x") }), "render_missing_file", "app/kustomization.yaml", 3);
});

test("a file outside the kustomization's tree, inside the repository (load restriction)", () => {
  const r = render({ "envs/prod/kustomization.yaml": "resources:\n- ../../etc/passwd\n", "etc/passwd": cm("root") }, "envs/prod");
  expectError(r, "render_load_restricted", "envs/prod/kustomization.yaml", 2);
});

test("a path leaving the repository", () => {
  expectError(render({ "app/kustomization.yaml": "resources:\n- ../../etc/passwd\n" }), "render_path_outside_repo", "app/kustomization.yaml", 2);
});

test("a folder elsewhere in the repository may be a base", () => {
  const r = render({ "app/kustomization.yaml": "resources:\n- ../shared/base\n", "shared/base/kustomization.yaml": "resources:\n- cm.yaml\n", "shared/base/cm.yaml": cm("x") });
  expect(r.ok).toBe(true);
  expect(r.kustomizationDirs).toEqual(["app", "shared/base"]);
  expect(r.files).toEqual(["app/kustomization.yaml", "shared/base/cm.yaml", "shared/base/kustomization.yaml"]);
});

test.each([
  "github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v1.0.6",
  "https://github.com/org/repo//base?ref=main",
  "git::https://example.com/repo.git//base",
])("a remote base %s", (url) => {
  expectError(render({ "app/kustomization.yaml": `resources:\n- cm.yaml\n- ${url}\n`, "app/cm.yaml": cm("x") }), "render_unsupported_remote", "app/kustomization.yaml", 3);
});

test("a Helm chart", () => {
  const r = render({ "app/kustomization.yaml": "resources:\n- cm.yaml\nhelmCharts:\n- name: redis\n  repo: https://charts.example.com\n", "app/cm.yaml": cm("x") });
  expectError(r, "render_unsupported_helm", "app/kustomization.yaml", 3);
});

test("plugins other than Kustomize's builtin ones", () => {
  const files = {
    "app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- fn.yaml\n",
    "app/cm.yaml": cm("x"),
    "app/fn.yaml": "apiVersion: example.com/v1\nkind: Setter\nmetadata:\n  name: s\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: evil\n",
  };
  expectError(render(files), "render_unsupported_plugin", "app/kustomization.yaml", 4);
  expectError(render({ ...files, "app/kustomization.yaml": "resources:\n- cm.yaml\nvalidators:\n- fn.yaml\n" }), "render_unsupported_plugin", "app/kustomization.yaml", 4);
});

test("a root over the resource limit (default 5,000, configurable)", () => {
  const many = Array.from({ length: 5 }, (_, i) => cm(`c${i}`)).join("---\n");
  const files = { "app/kustomization.yaml": "resources:\n- many.yaml\n", "app/many.yaml": many };
  expectError(render(files, "app", 4), "render_resource_limit", "app/kustomization.yaml", 2);
  expect(render(files, "app", 5).ok).toBe(true);
  // The default: 6 files of 834 objects (a file holds at most 1,000 documents) cross 5,000 with the sixth.
  const defaults: Record<string, string> = { "app/kustomization.yaml": `resources:\n${[0, 1, 2, 3, 4, 5].map((f) => `- f${f}.yaml\n`).join("")}` };
  for (let f = 0; f < 6; f++) defaults[`app/f${f}.yaml`] = Array.from({ length: 834 }, (_, i) => cm(`c${f}-${i}`)).join("---\n");
  expectError(render(defaults), "render_resource_limit", "app/kustomization.yaml", 7);
});

test("a YAML bomb in a resource is a diagnostic at the kustomization's line", () => {
  const lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: bomb", "data:", "  a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (const [p, c] of [["a", "b"], ["b", "c"], ["c", "d"], ["d", "e"], ["e", "f"], ["f", "g"], ["g", "h"]]) lines.push(`  ${c}: &${c} [${Array(10).fill(`*${p}`).join(", ")}]`);
  const r = render({ "app/kustomization.yaml": "resources:\n- bomb.yaml\n", "app/bomb.yaml": lines.join("\n") + "\n" });
  expectError(r, "render_yaml_limit", "app/kustomization.yaml", 2);
  expect(r.diagnostics[0]!.message).toContain("app/bomb.yaml");
});

test("invalid YAML in a resource names the resource's line in the message", () => {
  const r = render({ "app/kustomization.yaml": "resources:\n- bad.yaml\n", "app/bad.yaml": "kind: ConfigMap\nmetadata: [\n" });
  expectError(r, "render_yaml", "app/kustomization.yaml", 2);
  expect(r.diagnostics[0]!.message).toMatch(/^app\/bad\.yaml:\d+: /);
});

test("two resources with the same id (Kustomize's 'already registered id')", () => {
  const r = render({ "app/kustomization.yaml": "resources:\n- a.yaml\n- b.yaml\n", "app/a.yaml": cm("same"), "app/b.yaml": cm("same") });
  expectError(r, "render_duplicate_id", "app/kustomization.yaml", 3);
});

test("kustomization problems: several files, none, an unknown field, a wrong kind", () => {
  expectError(render({ "app/kustomization.yaml": "resources: []\n", "app/kustomization.yml": "resources: []\n" }), "render_multiple_kustomizations", "app/kustomization.yml", 1);
  expectError(render({ "app/other.yaml": cm("x") }), "render_missing_kustomization", "app", 1);
  expectError(render({ "app/kustomization.yaml": "resources: []\npatchesStrategicMerges: []\n" }), "render_unknown_field", "app/kustomization.yaml", 2);
  expectError(render({ "app/kustomization.yaml": "kind: Deployment\n" }), "render_invalid_kustomization", "app/kustomization.yaml", 1);
  expectError(render({ "app/kustomization.yaml": "resources:\n- ../c\n", "c/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n" }), "render_component_as_resource", "app/kustomization.yaml", 2);
});
