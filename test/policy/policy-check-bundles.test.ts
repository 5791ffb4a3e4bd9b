/**
 * The pull request check's planner with OPA bundles (`policies.bundles`) and with Gatekeeper's `data.inventory` built
 * from the repository's other manifests (`repositoryFiles`, picked by `pickRepositoryManifests`).
 */
import { loadConfig } from "../../src/config/load-config.js";
import type { FleetwardConfig } from "../../src/config/schema.js";
import { collectPolicySources, type LibraryPolicy } from "../../src/policy/check/collect-policy-sources.js";
import { readPolicyLibrary } from "../../src/policy/check/read-policy-library.js";
import { pickRepositoryManifests } from "../../src/policy/check/pick-repository-manifests.js";
import { formatPolicyFinding, planPolicyCheck } from "../../src/policy/check/plan-policy-check.js";
import { parseConstraintTemplate } from "../../src/policy/gatekeeper/parse-constraint-template.js";
import { templateReadsInventory } from "../../src/policy/gatekeeper/template-reads-inventory.js";
import { loadManifestFile } from "../../src/policy/manifests/load-manifest-file.js";
import { bundlesConfig, deployment, ingress, policyBundle, UNIQUE_HOST_CONSTRAINT, UNIQUE_HOST_TEMPLATE } from "../helpers/policy-bundle-fixtures.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { DEV_WARN_PROD_FLEET } from "../helpers/policy-fleet-fixture.js";

const FLEET = DEV_WARN_PROD_FLEET;
const BUNDLE_PATH = "policy/bundle.tar.gz";
const SHA = "c".repeat(40);

function config(text: string): FleetwardConfig {
  const loaded = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] });
  expect(loaded.diagnostics).toEqual([]);
  return loaded.config as FleetwardConfig;
}

let bundle: Uint8Array;
let library: LibraryPolicy[];
beforeAll(async () => {
  ensureRuntimeBuilt();
  bundle = policyBundle();
  library = await readPolicyLibrary();
});

const withBundle = () => config(`${FLEET}policies:\n${bundlesConfig(BUNDLE_PATH)}`);
/** The check of `changedFiles` with the bundle as the only policy source. */
const planWithBundle = (changedFiles: Array<{ path: string; content: string }>) =>
  planPolicyCheck({ config: withBundle(), headSha: SHA, policyFiles: new Map(), library: [], bundleFiles: new Map([[BUNDLE_PATH, bundle]]), changedFiles });

describe("OPA bundles as a policy source", () => {
  test("Conftest-style and Gatekeeper-style entrypoints judge the changed manifests, with severity and located annotations", async () => {
    const bad = deployment("api", "docker.io/api:1", "").replace("  labels: { team: web }\n", "");
    const { plan, report } = await planWithBundle([
      { path: "envs/prod/api/deploy.yaml", content: bad },
      { path: "envs/prod/ok/deploy.yaml", content: deployment("ok", "registry.example.com/ok:1", "\n      securityContext: { runAsNonRoot: true }") },
    ]);
    expect(report.sources).toEqual([
      `bundle: \`${BUNDLE_PATH}\`: main/deny (conftest), main/labels (conftest), k8s/images/violation (gatekeeper)`,
    ]);
    expect(report.problems).toEqual([]);
    expect(report.findings.map((f) => [f.source, formatPolicyFinding(f), f.action])).toEqual([
      ["bundle", "envs/prod/api/deploy.yaml:1: [prod] main.warn_labels: api has no team label", "warn"],
      ["bundle", "envs/prod/api/deploy.yaml:7: [prod] main.deny: api must run as non-root", "deny"],
      ["bundle", "envs/prod/api/deploy.yaml:10: [prod] k8s.images.violation: image docker.io/api:1 is not from an approved registry", "deny"],
    ]);
    expect(plan.conclusion).toBe("failure");
    expect(plan.title).toBe("2 violations denied, 1 warning");
    expect(plan.annotations.map((a) => [a.startLine, a.level, a.title])).toEqual([
      [1, "warning", "main.warn_labels (warn, prod)"],
      [7, "failure", "main.deny (deny, prod)"],
      [10, "failure", "k8s.images.violation (deny, prod)"],
    ]);
  });

  test("the environment's enforcement caps a bundle's denials as it does for other sources", async () => {
    const { plan, report } = await planWithBundle([{ path: "envs/dev/api/deploy.yaml", content: deployment("api", "docker.io/api:1") }]);
    expect(report.findings.map((f) => [f.rule, f.action, f.ruleAction])).toEqual([
      ["main.deny", "warn", "deny"],
      ["k8s.images.violation", "warn", "deny"],
    ]);
    expect(plan.conclusion).toBe("success");
  });

  test("a corrupt bundle is a policy error naming the file; it judges nothing", async () => {
    const { plan, report } = await planPolicyCheck({
      config: withBundle(),
      headSha: SHA,
      policyFiles: new Map(),
      library: [],
      bundleFiles: new Map([[BUNDLE_PATH, new TextEncoder().encode("this is not a tarball")]]),
      changedFiles: [{ path: "envs/prod/api/deploy.yaml", content: deployment("api", "docker.io/api:1") }],
    });
    expect(report.problems).toEqual([expect.objectContaining({ code: "bundle_gzip_error", severity: "error", file: BUNDLE_PATH })]);
    expect(report.findings).toEqual([]);
    expect(plan.conclusion).toBe("failure");
    expect(plan.title).toBe("1 policy error");
    expect(plan.summary).toContain(`| \`${BUNDLE_PATH}:1\` | bundle_gzip_error |`);
  });

  test("a truncated bundle and a missing one are errors with stable codes", async () => {
    const truncated = collectPolicySources({
      policies: withBundle().policies,
      files: new Map(),
      library: [],
      bundleFiles: new Map([[BUNDLE_PATH, bundle.subarray(0, Math.floor(bundle.length / 2))]]),
    });
    expect(truncated.flatMap((s) => s.problems.map((p) => [p.code, p.file]))).toEqual([["bundle_gzip_error", BUNDLE_PATH]]);
    const missing = collectPolicySources({ policies: withBundle().policies, files: new Map(), library: [], configFile: ".github/fleetward.yml" });
    expect(missing.flatMap((s) => s.problems)).toEqual([
      expect.objectContaining({ code: "policy_bundle_missing", file: ".github/fleetward.yml", message: expect.stringContaining(`policies.bundles[0].path: the bundle ${BUNDLE_PATH}`) }),
    ]);
  });

  test("an entrypoint the bundle does not serve is bundle_unknown_entrypoint", () => {
    const cfg = config(`${FLEET}policies:\n  bundles:\n    - path: ${BUNDLE_PATH}\n      entrypoints: [{ entrypoint: main/warn, style: conftest }]\n`);
    const sources = collectPolicySources({ policies: cfg.policies, files: new Map(), library: [], bundleFiles: new Map([[BUNDLE_PATH, bundle]]) });
    expect(sources.flatMap((s) => s.problems.map((p) => p.code))).toEqual(["bundle_unknown_entrypoint"]);
  });

  test("the bundle path is a policy path, never judged as a manifest", async () => {
    const cfg = config(`${FLEET}manifests: { include: ["**"] }\npolicies:\n${bundlesConfig(BUNDLE_PATH)}`);
    const { report } = await planPolicyCheck({
      config: cfg,
      headSha: SHA,
      policyFiles: new Map(),
      library: [],
      bundleFiles: new Map([[BUNDLE_PATH, bundle]]),
      changedFiles: [{ path: BUNDLE_PATH, content: "\u001f\u008b binary" }],
    });
    expect(report.files).toEqual([]);
  });
});

describe("policies.bundles configuration", () => {
  const diagnostics = (text: string) => loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] }).diagnostics.map((d) => [d.code, d.message]);

  test("severity belongs to Conftest style, parameters to Gatekeeper style; a path is not a glob; entrypoints are required", () => {
    expect(diagnostics("policies:\n  bundles:\n    - path: b.tar.gz\n      entrypoints: [{ entrypoint: a/violation, style: gatekeeper, severity: warning }]\n")).toEqual([
      ["config_schema", expect.stringContaining("severity applies to conftest-style entrypoints only")],
    ]);
    expect(diagnostics("policies:\n  bundles:\n    - path: b.tar.gz\n      entrypoints: [{ entrypoint: main/deny, style: conftest, parameters: {} }]\n")).toEqual([
      ["config_schema", expect.stringContaining("parameters apply to gatekeeper-style entrypoints only")],
    ]);
    expect(diagnostics("policies:\n  bundles:\n    - path: \"bundles/*.tar.gz\"\n      entrypoints: [{ entrypoint: main/deny, style: conftest }]\n")).toEqual([
      ["config_schema", expect.stringContaining("is a file path, not a glob")],
    ]);
    expect(diagnostics("policies:\n  bundles:\n    - path: /abs/b.tar.gz\n      entrypoints: [{ entrypoint: main/deny, style: conftest }]\n").map(([c]) => c)).toEqual(["config_invalid_glob"]);
    expect(diagnostics("policies:\n  bundles:\n    - path: b.tar.gz\n      entrypoints: []\n").map(([c]) => c)).toEqual(["config_schema"]);
    expect(diagnostics("policies:\n  bundles:\n    - path: b.tar.gz\n      entrypoints: [{ entrypoint: main/deny, style: rego }]\n").map(([c]) => c)).toEqual(["config_schema"]);
  });
});

const INVENTORY_POLICIES = new Map([
  ["policies/unique/template.yaml", UNIQUE_HOST_TEMPLATE],
  ["policies/unique/constraint.yaml", UNIQUE_HOST_CONSTRAINT],
]);

describe("data.inventory from the repository's manifests", () => {
  test("templateReadsInventory: a data.inventory reference, a computed data key or data as a whole count; other data does not", () => {
    const template = (rego: string, libs: string[] = []) => {
      const doc = loadManifestFile({ path: "t.yaml", content: UNIQUE_HOST_TEMPLATE }).documents[0]!;
      const parsed = parseConstraintTemplate(doc).template!;
      return { ...parsed, rego, libs, regoVersion: "v1" as const };
    };
    expect(templateReadsInventory(parseConstraintTemplate(loadManifestFile({ path: "t.yaml", content: UNIQUE_HOST_TEMPLATE }).documents[0]!).template!)).toBe(true);
    const head = "package p\n";
    expect(templateReadsInventory(template(`${head}violation contains {"msg": "x"} if input.review.object.kind == "Pod"\n`))).toBe(false);
    expect(templateReadsInventory(template(`${head}violation contains {"msg": "x"} if data.lib.helpers.bad(input)\n`, ["package lib.helpers\nbad(x) if x.a\n"]))).toBe(false);
    expect(templateReadsInventory(template(`${head}violation contains {"msg": "x"} if data.lib.helpers.taken(input)\n`, ["package lib.helpers\ntaken(x) if data.inventory.cluster[_]\n"]))).toBe(true);
    expect(templateReadsInventory(template(`${head}import data.inventory\nviolation contains {"msg": "x"} if inventory.cluster\n`))).toBe(true);
    expect(templateReadsInventory(template(`${head}violation contains {"msg": "x"} if { k := "inventory"; data[k] }\n`))).toBe(true);
    expect(templateReadsInventory(template(`${head}violation contains {"msg": "x"} if { d := data; d.inventory }\n`))).toBe(true);
  });

  test("a uniqueness template catches a conflict with an unchanged file only when the repository's manifests are given", async () => {
    const cfg = config(FLEET);
    const sources = collectPolicySources({ policies: cfg.policies, files: INVENTORY_POLICIES, library: [] });
    expect(sources.map((s) => [s.kind, s.readsRepository])).toEqual([["gatekeeper", true]]);
    const changedFiles = [{ path: "envs/prod/shop/ingress.yaml", content: ingress("shop", "shop.example.com") }];
    const picked = pickRepositoryManifests({
      config: cfg,
      sources,
      paths: ["envs/prod/shop/ingress.yaml", "envs/prod/blog/ingress.yaml", "policies/unique/template.yaml", "README.md"],
      changed: new Set(["envs/prod/shop/ingress.yaml"]),
    });
    expect(picked).toEqual({ paths: ["envs/prod/blog/ingress.yaml"], problems: [] });

    const cheap = await planPolicyCheck({ config: cfg, headSha: SHA, policyFiles: new Map(), library: [], sources, changedFiles });
    expect(cheap.plan.conclusion).toBe("success");

    const { plan, report } = await planPolicyCheck({
      config: cfg,
      headSha: SHA,
      policyFiles: new Map(),
      library: [],
      sources,
      changedFiles,
      repositoryFiles: [{ path: "envs/prod/blog/ingress.yaml", content: ingress("blog", "shop.example.com", "blog") }],
    });
    expect(report.findings.map(formatPolicyFinding)).toEqual([
      "envs/prod/shop/ingress.yaml:1: [prod] K8sUniqueIngressHost/unique-ingress-host: host shop.example.com is already used by ingress blog/blog",
    ]);
    expect(plan.conclusion).toBe("failure");
    // The unchanged file is not judged itself.
    expect(report.files.map((f) => f.path)).toEqual(["envs/prod/shop/ingress.yaml"]);
  });

  test("no template reads the inventory and no namespaceSelector: nothing to read", () => {
    const cfg = config(`${FLEET}policies:\n  library:\n    disallow-latest-tag: {}\n`);
    const sources = collectPolicySources({ policies: cfg.policies, files: new Map(), library });
    expect(sources.map((s) => [s.kind, s.problems, s.readsRepository])).toEqual([["gatekeeper", [], false]]);
    expect(pickRepositoryManifests({ config: cfg, sources, paths: ["envs/prod/a.yaml"], changed: new Set() })).toEqual({ paths: [], problems: [] });
  });

  test("more manifest files than policies.gatekeeper.inventory.maxFiles: none are read, with a warning", async () => {
    const cfg = config(`${FLEET}policies:\n  gatekeeper:\n    inventory: { maxFiles: 2 }\n`);
    const sources = collectPolicySources({ policies: cfg.policies, files: INVENTORY_POLICIES, library: [] });
    const picked = pickRepositoryManifests({ config: cfg, sources, paths: ["envs/prod/a.yaml", "envs/prod/b.yaml", "envs/prod/c.yaml"], changed: new Set() });
    expect(picked.paths).toEqual([]);
    expect(picked.problems).toEqual([
      expect.objectContaining({ code: "policy_inventory_too_large", severity: "warning", message: expect.stringContaining("the commit has 3 manifest files, more than policies.gatekeeper.inventory.maxFiles (2)") }),
    ]);
    const { plan } = await planPolicyCheck({
      config: cfg,
      headSha: SHA,
      policyFiles: new Map(),
      library: [],
      sources,
      changedFiles: [{ path: "envs/prod/a.yaml", content: ingress("a", "a.example.com") }],
      repositoryProblems: picked.problems,
    });
    const off = config(`${FLEET}policies:\n  gatekeeper:\n    inventory: { maxFiles: 0 }\n`);
    expect(pickRepositoryManifests({ config: off, sources, paths: ["envs/prod/a.yaml", "envs/prod/b.yaml"], changed: new Set() })).toEqual({ paths: [], problems: [] });
    expect(plan.conclusion).toBe("success");
    expect(plan.summary).toContain("policy_inventory_too_large");
  });

  test("a namespaceSelector finds its Namespace among the unchanged manifests", async () => {
    const cfg = config(FLEET);
    const constraint = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDisallowLatestTag
metadata:
  name: no-latest-in-prod-namespaces
spec:
  match:
    kinds: [{ apiGroups: [""], kinds: ["Pod"] }]
    namespaceSelector:
      matchLabels: { tier: prod }
`;
    // The repository's Constraint uses the bundled library's template (the repository does not define the kind).
    const sources = collectPolicySources({ policies: cfg.policies, files: new Map([["policies/latest.yaml", constraint]]), library });
    expect(sources.map((s) => [s.kind, s.problems, s.readsRepository])).toEqual([["gatekeeper", [], true]]);
    const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: main\n      image: nginx:latest\n";
    const changedFiles = [{ path: "envs/prod/shop/pod.yaml", content: pod }];
    const without = await planPolicyCheck({ config: cfg, headSha: SHA, policyFiles: new Map(), library: [], sources, changedFiles });
    expect(without.report.findings.filter((f) => f.rule.includes("no-latest-in-prod-namespaces"))).toEqual([]);
    expect(without.report.problems.map((p) => [p.code, p.severity])).toContainEqual(["gatekeeper_match_error", "warning"]);
    const withRepo = await planPolicyCheck({
      config: cfg,
      headSha: SHA,
      policyFiles: new Map(),
      library: [],
      sources,
      changedFiles,
      repositoryFiles: [{ path: "envs/prod/shop/namespace.yaml", content: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { tier: prod }\n" }],
    });
    expect(withRepo.report.findings.map((f) => f.rule)).toContain("K8sDisallowLatestTag/no-latest-in-prod-namespaces");
    expect(withRepo.report.problems.filter((p) => p.code === "gatekeeper_match_error")).toEqual([]);
  });
});

