import { loadConfig } from "../../../src/config/load-config.js";
import type { FleetwardConfig } from "../../../src/config/schema.js";
import { collectPolicySources } from "../../../src/policy/check/collect-policy-sources.js";
import { effectsPolicyFromEnv, findRefusedEffects, REFUSE_EFFECTS, ALLOW_ALL_EFFECTS } from "../../../src/policy/check/effectful-builtins.js";
import { planPolicyTests } from "../../../src/policy/check/plan-policy-tests.js";
import { loadManifestFile } from "../../../src/policy/manifests/load-manifest-file.js";
import { ensureRuntimeBuilt } from "../../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

const policies = (loadConfig({ layers: [] }).config as FleetwardConfig).policies;

const MODULE = [
  "package main",
  "",
  "deny contains msg if {",
  '  resp := http.send({"method": "GET", "url": "https://registry.example.com/v2/allowed"})',
  "  resp.status_code != 200",
  '  msg := "image not allowed"',
  "}",
  "",
  "deny contains msg if {",
  '  ips := net.lookup_ip_addr("db.internal")',
  "  count(ips) == 0",
  '  msg := sprintf("no address for db (%s)", [opa.runtime().env.HOME])',
  "}",
  "",
].join("\n");

describe("findRefusedEffects", () => {
  it("names each effectful call at its line and column, with why", () => {
    const found = findRefusedEffects({ file: "policy/main.rego", text: MODULE }, REFUSE_EFFECTS);
    expect(found.map((f) => [f.builtin, f.line, f.column])).toEqual([
      ["http.send", 4, 11],
      ["net.lookup_ip_addr", 10, 10],
      ["opa.runtime", 12, 45],
    ]);
    expect(found[0]?.message).toBe("http.send is refused: the server does not allow builtins with effects in pull-request policies (FLEETWARD_POLICY_ALLOW_EFFECTS)");
    expect(found.every((f) => f.code === "policy_effect_refused" && f.file === "policy/main.rego")).toBe(true);
  });

  it("allows everything with FLEETWARD_POLICY_ALLOW_EFFECTS, and http.send to a literal allowed host with FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS", () => {
    expect(findRefusedEffects({ file: "m.rego", text: MODULE }, effectsPolicyFromEnv({ FLEETWARD_POLICY_ALLOW_EFFECTS: "true" }))).toEqual([]);
    const hosts = effectsPolicyFromEnv({ FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS: " Registry.example.com , other.example.com" });
    expect(hosts).toEqual({ allowEffects: false, httpAllowedHosts: ["registry.example.com", "other.example.com"] });
    expect(findRefusedEffects({ file: "m.rego", text: MODULE }, hosts).map((f) => f.builtin)).toEqual(["net.lookup_ip_addr", "opa.runtime"]);
    const elsewhere = 'package p\n\nx := http.send({"method": "GET", "url": "https://evil.example.net/"})\ny := http.send(input.request)\n';
    expect(findRefusedEffects({ file: "m.rego", text: elsewhere }, hosts).map((f) => f.message)).toEqual([
      "http.send to evil.example.net is refused: the host is not in FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS",
      "http.send is refused: only a request object with a literal url on an allowed host (FLEETWARD_POLICY_HTTP_ALLOWED_HOSTS) may run",
    ]);
  });

  it("does not count a `with http.send as …` mock, other packages' functions, or v0 modules' pure calls", () => {
    const mocked = 'package p_test\n\nmock(_) := {"status_code": 200}\n\ntest_ok if data.p.allow with http.send as mock\n\nz := data.lib.http.send(1)\n';
    expect(findRefusedEffects({ file: "t.rego", text: mocked }, REFUSE_EFFECTS)).toEqual([]);
    expect(findRefusedEffects({ file: "v0.rego", text: 'package v0\n\np[x] { x := http.send({"url": "https://a/"}) }\n' }, REFUSE_EFFECTS, "v0")).toHaveLength(1);
  });
});

describe("the app's policy check refuses effectful policies (and the CLI's does not)", () => {
  const template = [
    "apiVersion: templates.gatekeeper.sh/v1",
    "kind: ConstraintTemplate",
    "metadata:",
    "  name: k8sremotecheck",
    "spec:",
    "  crd:",
    "    spec:",
    "      names:",
    "        kind: K8sRemoteCheck",
    "  targets:",
    "    - target: admission.k8s.gatekeeper.sh",
    "      rego: |",
    "        package k8sremotecheck",
    "",
    "        violation[{\"msg\": msg}] {",
    '          resp := http.send({"method": "GET", "url": "https://scanner.example.com/"})',
    "          resp.status_code != 200",
    '          msg := "scanner says no"',
    "        }",
    "---",
    "apiVersion: constraints.gatekeeper.sh/v1beta1",
    "kind: K8sRemoteCheck",
    "metadata:",
    "  name: remote",
    "",
  ].join("\n");
  const files = new Map([
    ["policy/main.rego", MODULE],
    ["policies/remote.yaml", template],
  ]);

  it("reports policy_effect_refused at the call's file:line and evaluates nothing from those policies", async () => {
    const sources = collectPolicySources({ policies, files, library: [], effects: REFUSE_EFFECTS });
    const problems = sources.flatMap((s) => s.problems).filter((p) => p.code === "policy_effect_refused");
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual(["policy/main.rego:4", "policy/main.rego:10", "policy/main.rego:12", "policies/remote.yaml:16"]);
    expect(problems[3]?.message).toContain("template k8sremotecheck (rego line 4): http.send is refused");
    const docs = loadManifestFile({ path: "deploy.yaml", content: "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n" }).documents;
    expect(docs).toHaveLength(1);
    for (const s of sources) expect((await s.evaluate(docs, {})).findings).toEqual([]);
  });

  it("with effects allowed, no such problem", () => {
    const sources = collectPolicySources({ policies, files, library: [], effects: ALLOW_ALL_EFFECTS });
    expect(sources.flatMap((s) => s.problems).filter((p) => p.code === "policy_effect_refused")).toEqual([]);
  });

  it("the default is the server's environment", () => {
    const saved = process.env.FLEETWARD_POLICY_ALLOW_EFFECTS;
    try {
      delete process.env.FLEETWARD_POLICY_ALLOW_EFFECTS;
      expect(collectPolicySources({ policies, files, library: [] }).flatMap((s) => s.problems).some((p) => p.code === "policy_effect_refused")).toBe(true);
      process.env.FLEETWARD_POLICY_ALLOW_EFFECTS = "true";
      expect(collectPolicySources({ policies, files, library: [] }).flatMap((s) => s.problems).some((p) => p.code === "policy_effect_refused")).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.FLEETWARD_POLICY_ALLOW_EFFECTS;
      else process.env.FLEETWARD_POLICY_ALLOW_EFFECTS = saved;
    }
  });

  it("fleetward/policy-tests does not run a test group that calls one, and annotates the call", async () => {
    const testFiles = new Map([
      ["policy/main.rego", 'package main\n\nallow if http.send({"method": "GET", "url": "https://x.example.com/"}).status_code == 200\n'],
      ["policy/main_test.rego", "package main_test\n\ntest_allow if data.main.allow\n"],
    ]);
    const plan = await planPolicyTests({ policies, headSha: "a".repeat(40), files: testFiles, effects: REFUSE_EFFECTS });
    expect(plan.conclusion).toBe("failure");
    expect(plan.annotations?.map((a) => `${a.path}:${a.startLine}`)).toContain("policy/main.rego:3");
    expect(JSON.stringify(plan)).toContain("policy_effect_refused");
  });

  it("fleetward/policy-tests runs no gator suite when a template of the commit calls one", async () => {
    const suite = [
      "kind: Suite",
      "apiVersion: test.gatekeeper.sh/v1alpha1",
      "tests:",
      "  - name: remote",
      "    template: remote.yaml",
      "    constraint: constraint.yaml",
      "    cases:",
      "      - name: any",
      "        object: pod.yaml",
      "        assertions: [{violations: no}]",
      "",
    ].join("\n");
    const [tmpl, constraint] = template.split("---\n");
    const gatorFiles = new Map([
      ["policies/remote.yaml", tmpl ?? ""],
      ["policies/constraint.yaml", constraint ?? ""],
      ["policies/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"],
      ["policies/suite.yaml", suite],
    ]);
    const refused = await planPolicyTests({ policies, headSha: "a".repeat(40), files: gatorFiles, effects: REFUSE_EFFECTS });
    expect(refused.conclusion).toBe("failure");
    expect(refused.summary).toContain("gator 0 passed, 0 failed (0 suites)");
    expect(refused.annotations?.map((a) => `${a.path}:${a.startLine}`)).toEqual(["policies/remote.yaml:1"]);
    const allowed = await planPolicyTests({ policies, headSha: "a".repeat(40), files: gatorFiles, effects: ALLOW_ALL_EFFECTS });
    expect(allowed.summary).toContain("(1 suite)");
  });
});
