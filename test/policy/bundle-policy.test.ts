import { buildBundle } from "../../src/rego/bundle/build-bundle.js";
import { checkConftest } from "../../src/policy/conftest/check-conftest.js";
import { evaluateBundlePolicy, prepareBundlePolicy } from "../../src/policy/bundle/index.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

const CONFTEST = [
  "package main",
  "",
  "deny contains msg if {",
  '  input.kind == "Deployment"',
  "  not input.spec.template.spec.securityContext.runAsNonRoot",
  '  msg := sprintf("%s must not run as root", [input.metadata.name])',
  "}",
  "",
  "warn_labels contains msg if {",
  "  not input.metadata.labels.team",
  '  msg := sprintf("%s has no team label", [input.metadata.name])',
  "}",
  "",
  "exception contains rules if {",
  '  input.metadata.name == "legacy"',
  '  rules := ["labels"]',
  "}",
  "",
  "denials contains {\"msg\": \"no latest tags\", \"image\": c.image} if {",
  "  some c in input.spec.template.spec.containers",
  '  endswith(c.image, ":latest")',
  "}",
  "",
  "clash := 1 if input.clash",
  "clash := 2 if input.clash",
  "",
].join("\n");

const GATEKEEPER = [
  "package k8sdisallowedimagerepos",
  "",
  'violation contains {"msg": msg, "details": {"image": image}} if {',
  "  some c in input.review.object.spec.containers",
  "  image := c.image",
  "  not strings.any_prefix_match(image, input.parameters.repos)",
  "  msg := sprintf(\"Image '%v' comes from an unapproved repository. Only images from %v are allowed.\", [image, input.parameters.repos])",
  "}",
  "",
].join("\n");

function bundleOf(files: Array<{ file: string; text: string }>, entrypoints: string[]): Uint8Array {
  const r = buildBundle({ modules: files, dataFiles: [], entrypoints });
  if (r.bundle === undefined) throw new Error(JSON.stringify([r.diagnostics, r.errors.map((e) => e.message)]));
  return r.bundle;
}

const deployment = (name: string, opts: { root?: boolean; team?: string; image?: string } = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, ...(opts.team === undefined ? {} : { labels: { team: opts.team } }) },
  spec: { template: { spec: { ...(opts.root === false ? { securityContext: { runAsNonRoot: true } } : {}), containers: [{ image: opts.image ?? "registry.example.com/app:1" }] } } },
});

describe("evaluateBundlePolicy: Conftest-style entrypoints", () => {
  const bundle = bundleOf([{ file: "main.rego", text: CONFTEST }], ["main/deny", "main/warn_labels", "main/denials", "main", "main/clash"]);
  const files = [
    { path: "apps/web.yaml", documents: [deployment("web"), deployment("api", { root: false, team: "a" })] },
    { path: "apps/legacy.yaml", documents: [deployment("legacy", { root: false, image: "old:latest" })] },
  ];

  test("rule entrypoints become Conftest rules of their package; checkConftest turns them into failures and warnings", () => {
    const r = evaluateBundlePolicy({ bundle, files, entrypoints: [{ entrypoint: "main/deny", style: "conftest" }, { entrypoint: "data.main.warn_labels", style: "conftest" }, { entrypoint: "main/denials", style: "conftest", severity: "failure" }] });
    expect(r.errors).toEqual([]);
    expect(r.evalErrors).toEqual([]);
    expect(r.namespaces).toEqual(["main"]);
    expect(r.files[0]?.documents[0]?.namespaces[0]?.rules.map((x) => x.name)).toEqual(["deny", "warn_labels", "deny_denials"]);
    const outcome = checkConftest(r.files, r.namespaces);
    expect(outcome.errors).toEqual([]);
    expect(outcome.results).toEqual([
      {
        filename: "apps/web.yaml",
        namespace: "main",
        // 2 documents x 3 rules: web passes denials, api passes all three.
        successes: 4,
        failures: [{ msg: "web must not run as root", rule: "deny" }],
        warnings: [{ msg: "web has no team label", rule: "warn_labels" }],
        exceptions: [],
      },
      {
        filename: "apps/legacy.yaml",
        namespace: "main",
        successes: 1,
        failures: [{ msg: "no latest tags", rule: "deny_denials", metadata: { image: "old:latest" } }],
        warnings: [{ msg: "legacy has no team label", rule: "warn_labels" }],
        exceptions: [],
      },
    ]);
  });

  test("a package entrypoint is read like a Conftest namespace, exceptions included", () => {
    const r = evaluateBundlePolicy({ bundle, files: [files[1] as (typeof files)[number]], entrypoints: [{ entrypoint: "main", style: "conftest" }] });
    expect(r.errors).toEqual([]);
    const outcome = checkConftest(r.files, r.namespaces);
    expect(outcome.results[0]?.exceptions).toEqual([{ msg: 'data.main.exception[_][_] == "labels"', rule: "warn_labels" }]);
    expect(outcome.results[0]?.failures).toEqual([]);
  });

  test("a non-package value without a severity, and evaluation errors, are reported per file", () => {
    const r = evaluateBundlePolicy({
      bundle,
      files: [{ path: "x.yaml", documents: [{ ...deployment("x", { root: false, team: "t" }), clash: true }] }],
      entrypoints: [{ entrypoint: "main/denials", style: "conftest" }, { entrypoint: "main/clash", style: "conftest", severity: "warning" }],
    });
    expect(r.evalErrors.map((e) => [e.file, e.code])).toEqual([
      ["x.yaml", "bundle_result_invalid"],
      ["x.yaml", "eval_conflict_error"],
    ]);
  });

  test("a falsy document (null, 0, \"\", false) is no input, as in Conftest evaluation and the SDK's evaluate", () => {
    const empty = bundleOf([{ file: "m.rego", text: 'package main\n\nwarn contains "no input" if not input\n' }], ["main/warn"]);
    const prepared = prepareBundlePolicy({ bundle: empty, entrypoints: [{ entrypoint: "main/warn", style: "conftest" }] });
    const values = (doc: unknown): unknown => prepared.evaluateDocument(doc, "f.yaml").evaluation.namespaces[0]?.rules[0]?.values;
    for (const doc of [null, 0, "", false]) expect([doc, values(doc)]).toEqual([doc, ["no input"]]);
    expect(values({})).toEqual([]);
  });
});

describe("evaluateBundlePolicy: Gatekeeper-style entrypoints", () => {
  const bundle = bundleOf([{ file: "template.rego", text: GATEKEEPER }], ["k8sdisallowedimagerepos/violation"]);
  const pod = (image: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image }] } });

  test("the input is gator's {review, parameters}; violations are failures with their details", () => {
    const r = evaluateBundlePolicy({
      bundle,
      name: "policies/images.tar.gz",
      files: [{ path: "pods.yaml", documents: [pod("docker.io/nginx:1"), pod("your-approved-registry.com/nginx:1")] }],
      entrypoints: [{ entrypoint: "k8sdisallowedimagerepos/violation", style: "gatekeeper", parameters: { repos: ["your-approved-registry.com/"] } }],
    });
    expect(r.errors).toEqual([]);
    const outcome = checkConftest(r.files, r.namespaces);
    expect(outcome.results).toEqual([
      {
        filename: "pods.yaml",
        namespace: "k8sdisallowedimagerepos",
        successes: 1,
        failures: [
          {
            msg: 'Image \'docker.io/nginx:1\' comes from an unapproved repository. Only images from ["your-approved-registry.com/"] are allowed.',
            rule: "violation",
            metadata: { details: { image: "docker.io/nginx:1" } },
          },
        ],
        warnings: [],
        exceptions: [],
      },
    ]);
  });

  test("a document gator cannot review is an evaluation error, not a crash", () => {
    const r = evaluateBundlePolicy({
      bundle,
      files: [{ path: "odd.yaml", documents: ["just a string", { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" }] }],
      entrypoints: [{ entrypoint: "k8sdisallowedimagerepos/violation", style: "gatekeeper" }],
    });
    expect(r.evalErrors.map((e) => e.code)).toEqual(["bundle_input_invalid", "bundle_input_invalid"]);
  });
});

describe("evaluateBundlePolicy: bundle problems", () => {
  test("bytes that are not a bundle give one error with a stable code and no evaluations", () => {
    const r = evaluateBundlePolicy({ bundle: new TextEncoder().encode("nope"), name: "policies/b.tar.gz", files: [{ path: "a.yaml", documents: [{}] }], entrypoints: [{ entrypoint: "main/deny", style: "conftest" }] });
    expect(r).toEqual({ namespaces: [], files: [], errors: [{ code: "bundle_gzip_error", message: "not a gzip stream (a bundle is a .tar.gz)", file: "policies/b.tar.gz" }], evalErrors: [] });
  });

  test("an entrypoint the bundle does not serve is reported; the others still judge", () => {
    const bundle = bundleOf([{ file: "main.rego", text: CONFTEST }], ["main/deny"]);
    const prepared = prepareBundlePolicy({ bundle, entrypoints: [{ entrypoint: "main/warn", style: "conftest" }, { entrypoint: "main/deny", style: "conftest" }, { entrypoint: "data.main.deny", style: "conftest" }] });
    expect(prepared.errors.map((e) => e.code)).toEqual(["bundle_unknown_entrypoint", "bundle_duplicate_entrypoint"]);
    expect(prepared.namespaces).toEqual(["main"]);
    const { evaluation } = prepared.evaluateDocument(deployment("web"), "web.yaml");
    expect(evaluation.namespaces[0]?.rules).toEqual([{ name: "deny", definitions: 1, values: ["web must not run as root"] }]);
  });
});
