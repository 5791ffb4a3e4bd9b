import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load-config.js";
import type { FleetwardConfig } from "../../src/config/schema.js";
import { collectPolicySources } from "../../src/policy/check/collect-policy-sources.js";
import { planPolicyCheck, policyCheckRun, formatPolicyFinding } from "../../src/policy/check/plan-policy-check.js";
import { readPolicyLibrary } from "../../src/policy/check/read-policy-library.js";
import type { LibraryPolicy } from "../../src/policy/check/collect-policy-sources.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const root = process.cwd();
const example = (f: string) => readFileSync(join(root, "policies", "examples", "disallowed-image-repos", f), "utf8");
const TEMPLATE = example("template.yaml");
const CONSTRAINT = example("constraint.yaml");
const MESSAGE = "Image 'docker.io/nginx:1.27' comes from an unapproved repository. Only images from 'your-approved-registry.com/' are allowed.";

function config(text: string): FleetwardConfig {
  const loaded = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] });
  expect(loaded.diagnostics).toEqual([]);
  return loaded.config as FleetwardConfig;
}

const FLEET = `environments:
  - name: dev
    paths: ["envs/dev/**"]
    settings: { policy: { enforcement: warn } }
  - name: staging
    paths: ["envs/staging/**"]
    promotedFrom: dev
    settings: { policy: { enforcement: dryrun } }
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: staging
`;

const pod = (name: string, image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: main
      image: ${image}
`;

// The Pod is the second document: it starts at line 6.
const TWO_DOCS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
${pod("web", "docker.io/nginx:1.27")}`;

const POLICY_FILES = new Map([
  ["policies/images/template.yaml", TEMPLATE],
  ["policies/images/constraint.yaml", CONSTRAINT],
]);

let library: LibraryPolicy[];

beforeAll(async () => {
  ensureRuntimeBuilt();
  library = await readPolicyLibrary();
});

describe("planPolicyCheck", () => {
  test("a Pod from an unapproved registry in a deny environment fails, annotated at the document's first line", async () => {
    const { plan, report } = await planPolicyCheck({
      config: config(FLEET),
      headSha: "a".repeat(40),
      policyFiles: POLICY_FILES,
      library,
      changedFiles: [{ path: "envs/prod/web/pod.yaml", content: TWO_DOCS }],
    });
    expect(plan.name).toBe("fleetward/policy");
    expect(plan.conclusion).toBe("failure");
    expect(plan.annotations).toEqual([
      {
        path: "envs/prod/web/pod.yaml",
        startLine: 6,
        endLine: 6,
        level: "failure",
        title: "K8sDisallowedImageRepos/pod-image-registry-check (deny, prod)",
        message: MESSAGE,
      },
    ]);
    expect(report.findings.map(formatPolicyFinding)).toEqual([`envs/prod/web/pod.yaml:6: [prod] K8sDisallowedImageRepos/pod-image-registry-check: ${MESSAGE}`]);
    expect(plan.summary).toContain("| `envs/prod/web/pod.yaml` | prod | K8sDisallowedImageRepos/pod-image-registry-check | deny | 1 |");
    expect(plan.title).toBe("1 violation denied");
  });

  test("the brief's example written the Gatekeeper way (legacy Rego v0, the registry in the Rego, no parameters schema) works too", async () => {
    const legacy = `apiVersion: templates.gatekeeper.sh/v1beta1
kind: ConstraintTemplate
metadata:
  name: k8sdisallowedimagerepos
spec:
  crd:
    spec:
      names:
        kind: K8sDisallowedImageRepos
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sdisallowedimagerepos

        violation[{"msg": msg}] {
          input.review.object.kind == "Pod"
          container := input.review.object.spec.containers[_]
          not startswith(container.image, "your-approved-registry.com/")
          msg := sprintf("Image '%v' comes from an unapproved repository. Only images from 'your-approved-registry.com/' are allowed.", [container.image])
        }
`;
    const { plan, report } = await planPolicyCheck({
      config: config(FLEET),
      headSha: "5".repeat(40),
      policyFiles: new Map([
        ["policies/images/template.yaml", legacy],
        ["policies/images/constraint.yaml", CONSTRAINT],
      ]),
      library,
      changedFiles: [
        { path: "envs/prod/web/pod.yaml", content: TWO_DOCS },
        { path: "envs/prod/api/pod.yaml", content: pod("api", "your-approved-registry.com/api:2") },
      ],
    });
    expect(report.problems).toEqual([]);
    expect(report.findings.map((f) => [f.file, f.line, f.rule, f.action, f.message])).toEqual([
      ["envs/prod/web/pod.yaml", 6, "K8sDisallowedImageRepos/pod-image-registry-check", "deny", MESSAGE],
    ]);
    expect(plan.conclusion).toBe("failure");
  });

  test("an approved image passes", async () => {
    const { plan } = await planPolicyCheck({
      config: config(FLEET),
      headSha: "a".repeat(40),
      policyFiles: POLICY_FILES,
      library,
      changedFiles: [{ path: "envs/prod/web/pod.yaml", content: pod("web", "your-approved-registry.com/nginx:1.27") }],
    });
    expect(plan.conclusion).toBe("success");
    expect(plan.annotations).toEqual([]);
    expect(plan.title).toBe("No policy violations");
  });

  test("each file gets its environment's enforcement: warn passes with a warning, dryrun is only listed", async () => {
    const { plan, report } = await planPolicyCheck({
      config: config(FLEET),
      headSha: "b".repeat(40),
      policyFiles: POLICY_FILES,
      library,
      changedFiles: [
        { path: "envs/dev/web/pod.yaml", content: pod("web", "docker.io/nginx:1.27") },
        { path: "envs/staging/web/pod.yaml", content: pod("web", "docker.io/nginx:1.27") },
      ],
    });
    expect(plan.conclusion).toBe("success");
    expect(plan.title).toBe("Passed with 1 warning");
    expect(plan.annotations.map((a) => [a.path, a.level, a.startLine])).toEqual([["envs/dev/web/pod.yaml", "warning", 1]]);
    expect(report.findings.map((f) => [f.file, f.environment, f.action, f.ruleAction])).toEqual([
      ["envs/dev/web/pod.yaml", "dev", "warn", "deny"],
      ["envs/staging/web/pod.yaml", "staging", "dryrun", "deny"],
    ]);
    expect(plan.summary).toContain("| `envs/staging/web/pod.yaml` | staging | K8sDisallowedImageRepos/pod-image-registry-check | dryrun (policy: deny) | 1 |");
  });

  test("a library policy enabled by name annotates the offending field (details.path)", async () => {
    const { plan } = await planPolicyCheck({
      config: config(`${FLEET}policies:\n  library:\n    approved-image-repos: { repos: ["registry.example.com/"] }\n`),
      headSha: "c".repeat(40),
      policyFiles: new Map(),
      library,
      changedFiles: [
        {
          path: "envs/prod/api/deploy.yaml",
          content: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: ok
          image: registry.example.com/api:1
        - name: bad
          image: quay.io/api:1
`,
        },
      ],
    });
    expect(plan.conclusion).toBe("failure");
    expect(plan.annotations).toHaveLength(1);
    expect(plan.annotations[0]).toMatchObject({ path: "envs/prod/api/deploy.yaml", startLine: 12, level: "failure" });
    expect(plan.annotations[0]?.message).toContain("quay.io/api:1");
    expect(plan.summary).toContain("1 Gatekeeper constraint (1 from the bundled library)");
  });

  test("invalid library parameters fail the check and name the configuration entry", async () => {
    const { plan } = await planPolicyCheck({
      config: config(`policies:\n  library:\n    approved-image-repos: { repos: [] }\n`),
      headSha: "c".repeat(40),
      policyFiles: new Map(),
      library,
      changedFiles: [{ path: "apps/pod.yaml", content: pod("web", "x/y:1") }],
    });
    expect(plan.conclusion).toBe("failure");
    expect(plan.summary).toMatch(/\| `\.github\/fleetward\.yml:1` \| gatekeeper_constraint_invalid_parameters \| policies\.library\.approved-image-repos: /);
  });

  test("broken YAML in a changed manifest is an annotation at the error, not a crash", async () => {
    const { plan } = await planPolicyCheck({
      config: config(FLEET),
      headSha: "d".repeat(40),
      policyFiles: POLICY_FILES,
      library,
      changedFiles: [{ path: "envs/prod/web/broken.yaml", content: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n" }],
    });
    expect(plan.conclusion).toBe("failure");
    expect(plan.annotations).toHaveLength(1);
    expect(plan.annotations[0]).toMatchObject({ path: "envs/prod/web/broken.yaml", level: "failure", title: expect.stringContaining("manifest_yaml_syntax") });
    expect(plan.annotations[0]?.startLine).toBeGreaterThanOrEqual(4);
  });

  test("a template whose Rego does not compile fails the check, naming the policy file and line", async () => {
    const broken = TEMPLATE.replace("not approved(container.image)", "not approvedd(container.image)");
    const { plan } = await planPolicyCheck({
      config: config(FLEET),
      headSha: "e".repeat(40),
      policyFiles: new Map([
        ["policies/images/template.yaml", broken],
        ["policies/images/constraint.yaml", CONSTRAINT],
      ]),
      library,
      changedFiles: [{ path: "envs/prod/web/pod.yaml", content: pod("web", "docker.io/nginx:1.27") }],
    });
    const line = broken.split("\n").findIndex((l) => l.includes("approvedd(")) + 1;
    expect(plan.conclusion).toBe("failure");
    expect(plan.annotations).toEqual([]);
    expect(plan.summary).toContain(`| \`policies/images/template.yaml:${line}\` | policy_compile_error |`);
    expect(plan.title).toMatch(/^\d+ policy errors?$/);
  });

  test("Conftest modules under policy/ judge each document; policy files and excluded files are not judged", async () => {
    const rego = `package main

deny contains msg if {
  input.kind == "Deployment"
  not input.spec.replicas
  msg := sprintf("%s has no replicas", [input.metadata.name])
}

warn contains {"msg": "no team label", "path": "metadata.labels"} if {
  input.kind == "Deployment"
  not input.metadata.labels.team
}
`;
    const { plan, report } = await planPolicyCheck({
      config: config(`manifests:\n  exclude: [".github/**", "**/values.yaml"]\n`),
      headSha: "f".repeat(40),
      policyFiles: new Map([["policy/deploy.rego", rego]]),
      library,
      changedFiles: [
        { path: "apps/api.yaml", content: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels:\n    app: api\nspec: {}\n" },
        { path: "apps/values.yaml", content: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ignored\n" },
        { path: "policy/deploy.rego", content: rego },
        { path: "policies/images/template.yaml", content: TEMPLATE },
      ],
    });
    expect(report.files.map((f) => f.path)).toEqual(["apps/api.yaml"]);
    expect(report.findings.map((f) => [f.rule, f.line, f.action, f.environment])).toEqual([
      ["main.deny", 1, "deny", null],
      ["main.warn", 5, "warn", null],
    ]);
    expect(plan.conclusion).toBe("failure");
    expect(report.sources).toEqual(["conftest: 1 Conftest module under `policy/` (namespace main)"]);
  });

  test("a constraint's own enforcementAction is capped by, never raised by, the environment", async () => {
    const warnConstraint = CONSTRAINT.replace("spec:\n", "spec:\n  enforcementAction: warn\n");
    const sources = collectPolicySources({
      policies: config(FLEET).policies,
      files: new Map([
        ["policies/images/template.yaml", TEMPLATE],
        ["policies/images/constraint.yaml", warnConstraint],
      ]),
      library,
    });
    const { report } = await planPolicyCheck({
      config: config(FLEET),
      headSha: "1".repeat(40),
      policyFiles: new Map(),
      library,
      sources,
      changedFiles: [{ path: "envs/prod/web/pod.yaml", content: pod("web", "docker.io/nginx:1.27") }],
    });
    expect(report.findings.map((f) => f.action)).toEqual(["warn"]);
    expect(policyCheckRun(report, "1".repeat(40)).conclusion).toBe("success");
  });

  test("a constraint's enforcementAction dryrun in a deny environment is only listed: no annotation, the check passes", async () => {
    const dryrunConstraint = CONSTRAINT.replace("spec:\n", "spec:\n  enforcementAction: dryrun\n");
    expect(dryrunConstraint).not.toBe(CONSTRAINT);
    const { plan, report } = await planPolicyCheck({
      config: config(FLEET),
      headSha: "3".repeat(40),
      policyFiles: new Map([
        ["policies/images/template.yaml", TEMPLATE],
        ["policies/images/constraint.yaml", dryrunConstraint],
      ]),
      library,
      changedFiles: [{ path: "envs/prod/web/pod.yaml", content: pod("web", "docker.io/nginx:1.27") }],
    });
    expect(report.findings.map((f) => [f.environment, f.action, f.ruleAction, f.message])).toEqual([["prod", "dryrun", "dryrun", MESSAGE]]);
    expect(plan.conclusion).toBe("success");
    expect(plan.annotations).toEqual([]);
    expect(plan.summary).toContain("| `envs/prod/web/pod.yaml` | prod | K8sDisallowedImageRepos/pod-image-registry-check | dryrun | 1 |");
  });

  test("Conftest in the pull request flow: configured namespaces, data files, _suffix and violation rules, exceptions", async () => {
    // Two packages; only the configured ones are queried. The data file is a policy file (not judged) merged into data.
    const main = `package main

deny_registry contains msg if {
  some c in input.spec.containers
  not startswith(c.image, data.registries.allowed)
  msg := sprintf("%s: image %s is not from %s", [input.metadata.name, c.image, data.registries.allowed])
}

violation_privileged contains {"msg": "privileged container", "path": "spec.containers[0].securityContext.privileged"} if {
  input.spec.containers[0].securityContext.privileged
}

warn contains "pods should have an owner label" if not input.metadata.labels.owner

exception contains rules if {
  input.metadata.labels.legacy == "true"
  rules := ["registry"]
}
`;
    const extra = `package extra

deny contains "extra namespace" if true
`;
    const podWith = (name: string, image: string, extraLines = "") =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${extraLines}spec:\n  containers:\n    - name: main\n      image: ${image}\n      securityContext:\n        privileged: true\n`;
    const cfg = (namespaces: string) => config(`policies:\n  conftest:\n    namespaces: ${namespaces}\n    data: ["policy/data/**"]\n`);
    const policyFiles = new Map([
      ["policy/main.rego", main],
      ["policy/extra.rego", extra],
      ["policy/data/registries.yaml", "registries:\n  allowed: registry.example.com/\n"],
    ]);
    const changedFiles = [
      { path: "apps/web.yaml", content: podWith("web", "docker.io/nginx:1.27") },
      { path: "apps/old.yaml", content: podWith("old", "docker.io/nginx:1.27", "  labels:\n    owner: team\n    legacy: \"true\"\n") },
      { path: "policy/data/registries.yaml", content: "registries:\n  allowed: registry.example.com/\n" },
    ];
    const { plan, report } = await planPolicyCheck({ config: cfg("[main]"), headSha: "4".repeat(40), policyFiles, library, changedFiles });
    expect(report.files.map((f) => f.path)).toEqual(["apps/web.yaml", "apps/old.yaml"]);
    expect(report.findings.map((f) => [f.file, f.line, f.rule, f.action, f.message])).toEqual([
      ["apps/web.yaml", 1, "main.deny_registry", "deny", "web: image docker.io/nginx:1.27 is not from registry.example.com/"],
      ["apps/web.yaml", 1, "main.warn", "warn", "pods should have an owner label"],
      // a result object's path locates the field (line 10: `privileged: true`)
      ["apps/web.yaml", 10, "main.violation_privileged", "deny", "privileged container"],
      // the exception exempts deny_registry for the legacy Pod only; violation_privileged still applies there
      ["apps/old.yaml", 13, "main.violation_privileged", "deny", "privileged container"],
    ]);
    expect(plan.conclusion).toBe("failure");
    expect(report.sources).toEqual(["conftest: 2 Conftest modules under `policy/` (namespace main)"]);

    const both = await planPolicyCheck({ config: cfg("[main, extra]"), headSha: "4".repeat(40), policyFiles, library, changedFiles });
    expect(both.report.findings.filter((f) => f.rule === "extra.deny").map((f) => f.file)).toEqual(["apps/web.yaml", "apps/old.yaml"]);
  });

  test("a namespaceSelector whose Namespace is not among the changed files skips the object with a warning", async () => {
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: r/a:1\n";
    const cfg = config(`policies:\n  library:\n    required-probes: { probes: ["readinessProbe"] }\n`);
    const alone = await planPolicyCheck({ config: cfg, headSha: "2".repeat(40), policyFiles: new Map(), library, changedFiles: [{ path: "apps/api.yaml", content: deployment }] });
    expect(alone.plan.conclusion).toBe("success");
    expect(alone.report.findings).toEqual([]);
    expect(alone.plan.annotations).toEqual([expect.objectContaining({ path: "apps/api.yaml", level: "warning", title: "gatekeeper_match_error" })]);

    const withNamespace = await planPolicyCheck({
      config: cfg,
      headSha: "2".repeat(40),
      policyFiles: new Map(),
      library,
      changedFiles: [
        { path: "apps/ns.yaml", content: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n" },
        { path: "apps/api.yaml", content: deployment },
      ],
    });
    expect(withNamespace.report.findings.map((f) => [f.file, f.rule, f.action])).toEqual([["apps/api.yaml", "K8sRequiredProbes/services-need-probes", "warn"]]);
  });
});
