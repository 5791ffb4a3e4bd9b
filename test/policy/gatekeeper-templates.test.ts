import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadManifestFile, type ManifestDocument } from "../../src/policy/manifests/index.js";
import {
  loadGatekeeperPolicies,
  parseConstraintTemplate,
  validateParameters,
} from "../../src/policy/gatekeeper/index.js";

const load = (name: string): ManifestDocument[] => {
  const path = `policy/${name}`;
  const r = loadManifestFile({ path, content: readFileSync(join(process.cwd(), "test/fixtures/gatekeeper", name), "utf8") });
  expect(r.diagnostics).toEqual([]);
  return r.documents;
};

describe("parseConstraintTemplate", () => {
  const docs = load("templates.yaml");

  it("reads kind, schema and the Rego of a code[] engine Rego entry (v1 when source.version is v1)", () => {
    const r = parseConstraintTemplate(docs[0]!);
    expect(r.template).toMatchObject({
      name: "k8srequiredlabels",
      kind: "K8sRequiredLabels",
      target: "admission.k8s.gatekeeper.sh",
      regoVersion: "v1",
      regoSource: "code",
      file: "policy/templates.yaml",
      line: 1,
    });
    expect(r.template?.rego).toContain("package k8srequiredlabels");
    expect(r.template?.libs).toEqual(["package lib.helpers\nx := 1\n"]);
    expect(r.template?.parametersSchema).toMatchObject({ type: "object" });
    // the CEL entry is reported as not evaluated, pointing at its engine line
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: "gatekeeper_template_unsupported_engine", severity: "warning", line: 29 }),
    ]);
  });

  it("reads legacy targets[].rego as Rego v0", () => {
    const r = parseConstraintTemplate(docs[1]!);
    expect(r.diagnostics).toEqual([]);
    expect(r.template).toMatchObject({ kind: "K8sLegacy", regoVersion: "v0", regoSource: "targets", libs: [], line: 43 });
  });

  it("reports a template without Rego and a name that is not the lowercase kind, with lines", () => {
    const r = parseConstraintTemplate(docs[2]!);
    expect(r.template).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["gatekeeper_template_name_mismatch", 61],
      ["gatekeeper_template_no_rego", 68],
    ]);
  });

  it("reports a missing CRD kind at the closest existing field", () => {
    const r = parseConstraintTemplate(docs[3]!);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: "gatekeeper_template_invalid", file: "policy/templates.yaml", line: 77 }),
    ]);
  });
});

describe("constraints", () => {
  const set = loadGatekeeperPolicies([...load("templates.yaml"), ...load("constraints.yaml")]);
  const byName = new Map(set.constraints.map((c) => [c.name, c]));

  it("parses a valid constraint with its template, match, parameters and action", () => {
    const c = byName.get("must-have-owner");
    expect(c).toMatchObject({
      kind: "K8sRequiredLabels",
      enforcementAction: "warn",
      match: { kinds: [{ apiGroups: ["apps"], kinds: ["Deployment"] }], excludedNamespaces: ["kube-*"] },
      parameters: { labels: [{ key: "owner", allowedRegex: "^[a-z]+$" }] },
      file: "policy/constraints.yaml",
      line: 1,
    });
    expect(c?.template.name).toBe("k8srequiredlabels");
  });

  it("reports invalid parameters at the parameter's line", () => {
    expect(byName.has("bad-params")).toBe(false);
    const diags = set.diagnostics.filter((d) => d.code === "gatekeeper_constraint_invalid_parameters");
    expect(diags.map((d) => [d.file, d.line, d.message]).sort()).toEqual([
      ["policy/constraints.yaml", 24, "spec.parameters.labels.0.allowedRegex: must be string"],
      ["policy/constraints.yaml", 24, "spec.parameters.labels.0: missing required field \"key\""],
    ]);
  });

  it("reports a constraint whose kind no template defines", () => {
    expect(set.diagnostics).toContainEqual(
      expect.objectContaining({ code: "gatekeeper_constraint_unknown_kind", line: 27, file: "policy/constraints.yaml" }),
    );
  });

  it("reports an unknown enforcementAction and a malformed match", () => {
    const codes = set.diagnostics.filter((d) => d.file === "policy/constraints.yaml" && d.line >= 32).map((d) => [d.code, d.line]);
    expect(codes).toEqual([
      ["gatekeeper_constraint_invalid_match", 39],
      ["gatekeeper_constraint_invalid_enforcement_action", 37],
    ]);
    expect(byName.has("bad-action")).toBe(false);
  });

  it("defaults enforcementAction to deny", () => {
    const doc = loadManifestFile({
      path: "c.yaml",
      content: "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sLegacy\nmetadata:\n  name: d\n",
    }).documents;
    const s = loadGatekeeperPolicies([...load("templates.yaml"), ...doc]);
    expect(s.constraints[0]?.enforcementAction).toBe("deny");
    expect(s.constraints[0]?.parameters).toBeUndefined();
  });

  it("applies scoped enforcement actions for Fleetward's enforcement point (gator's by default)", () => {
    const scoped = (points: string) =>
      loadManifestFile({
        path: "s.yaml",
        content: [
          "apiVersion: constraints.gatekeeper.sh/v1beta1",
          "kind: K8sLegacy",
          "metadata: {name: s}",
          "spec:",
          "  enforcementAction: scoped",
          "  scopedEnforcementActions:",
          `${points}`,
        ].join("\n"),
      }).documents;
    const both = scoped(
      "    - {action: warn, enforcementPoints: [{name: gator.gatekeeper.sh}]}\n" +
        "    - {action: deny, enforcementPoints: [{name: validation.gatekeeper.sh}]}\n" +
        "    - {action: dryrun, enforcementPoints: [{name: '*'}]}",
    );
    const s1 = loadGatekeeperPolicies([...load("templates.yaml"), ...both]);
    expect(s1.constraints[0]).toMatchObject({ enforcementAction: "warn", scopedActions: ["warn", "dryrun"] });
    const s2 = loadGatekeeperPolicies([...load("templates.yaml"), ...both], { enforcementPoint: "Validation.Gatekeeper.sh" });
    expect(s2.constraints[0]).toMatchObject({ enforcementAction: "deny", scopedActions: ["deny", "dryrun"] });
    const none = scoped("    - {action: deny, enforcementPoints: [{name: audit.gatekeeper.sh}]}");
    const s3 = loadGatekeeperPolicies([...load("templates.yaml"), ...none]);
    expect(s3.constraints).toEqual([]);
    expect(s3.diagnostics.filter((d) => d.file === "s.yaml").map((d) => [d.code, d.severity, d.line])).toEqual([
      ["gatekeeper_constraint_not_enforced", "warning", 6],
    ]);
    const bad = scoped("    - {action: block, enforcementPoints: [{name: '*'}]}");
    const s4 = loadGatekeeperPolicies([...load("templates.yaml"), ...bad]);
    expect(s4.diagnostics.filter((d) => d.file === "s.yaml").map((d) => [d.code, d.line])).toEqual([
      ["gatekeeper_constraint_invalid_enforcement_action", 7],
    ]);
  });

  it("sorts Namespaces and other objects apart and rejects a second template for a kind", () => {
    const objs = loadManifestFile({
      path: "o.yaml",
      content:
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" +
        "---\napiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests: []\n",
    }).documents;
    const s = loadGatekeeperPolicies([...load("templates.yaml"), ...load("templates.yaml"), ...objs]);
    expect([...s.namespaces.keys()]).toEqual(["shop"]);
    expect(s.objects.map((o) => o.value.kind)).toEqual(["Namespace", "Pod"]);
    expect(s.diagnostics.filter((d) => d.code === "gatekeeper_template_duplicate_kind")).toHaveLength(2);
  });
});

describe("validateParameters", () => {
  const schema = {
    type: "object",
    properties: {
      repos: { type: "array", items: { type: "string" } },
      min: { type: "integer", minimum: 0, nullable: true },
      extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
    additionalProperties: false,
  };

  it("accepts valid parameters (Kubernetes extension keywords are ignored)", () => {
    expect(validateParameters(schema, { repos: ["a/"], min: 1, extra: { any: 1 } })).toEqual({ ok: true });
    expect(validateParameters(schema, { min: null })).toEqual({ ok: true });
  });

  it("reports every error with its path", () => {
    const r = validateParameters(schema, { repos: ["a/", 3], min: -1, bogus: true });
    expect(r.ok).toBe(false);
    if (r.ok || !("errors" in r)) throw new Error("expected errors");
    expect(r.errors.map((e) => [e.path, e.message]).sort()).toEqual([
      [["bogus"], 'unknown field "bogus"'],
      [["min"], "must be >= 0"],
      [["repos", 1], "must be string"],
    ]);
  });

  it("reports an unusable schema instead of throwing", () => {
    const r = validateParameters({ type: "no-such-type" }, {});
    expect(r.ok).toBe(false);
    expect("schemaError" in r).toBe(true);
  });
});
