import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { runVerifyCommand } from "../../src/cli/commands/verify-command.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";

const repo = useTempRepo("fleetward-verify-");
const { writeFiles } = repo;

const LIBRARY = "policies/library";


/** A suite over short.yaml (no violation) and long.yaml (one: the name is longer than 8) beside it. */
const nameLengthSuite = (name: string) => `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
  - name: ${name}
    template: template.yaml
    constraint: constraint.yaml
    cases:
      - name: short
        object: short.yaml
        assertions: [{violations: no}]
      - name: long
        object: long.yaml
        assertions: [{violations: 1, message: "^name much-too-long is longer than 8$"}]
`;
test("the bundled policies/library suites all pass on Fleetward's engine", async () => {
  // The expected count comes from the suite files themselves: every case of every library suite must pass.
  let cases = 0;
  const suiteFiles: string[] = [];
  for (const name of (await readdir(LIBRARY)).sort()) {
    const file = `${LIBRARY}/${name}/suite.yaml`;
    const suite = parse(await readFile(file, "utf8")) as { tests: { cases: unknown[] }[] };
    for (const t of suite.tests) cases += t.cases.length;
    suiteFiles.push(file);
  }
  expect(cases).toBeGreaterThan(0);
  const io = captureIO();
  const code = await runVerifyCommand([LIBRARY], io);
  expect(io.err).toBe("");
  expect(code).toBe(0);
  const lines = io.out.trimEnd().split("\n");
  expect(lines[lines.length - 1]).toBe(`${cases} passed, 0 failed`);
  for (const f of suiteFiles) expect(lines).toContain(`ok\t${f}`);
  expect(io.out).not.toContain("FAIL");
});

const REQUIRED_LABELS_SUITE = `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
metadata:
  name: wrong-assertion
tests:
  - name: labels
    template: template.yaml
    constraint: constraint.yaml
    cases:
      - name: right
        object: disallowed.yaml
        assertions:
          - violations: 1
            message: "missing required labels: owner"
      - name: wrong
        object: disallowed.yaml
        assertions:
          - violations: no
`;

test("a suite whose assertion is wrong fails that case and exits 1", async () => {
  await writeFiles({
    "labels/template.yaml": await readFile(`${LIBRARY}/required-labels/template.yaml`, "utf8"),
    "labels/constraint.yaml": await readFile(`${LIBRARY}/required-labels/constraint.yaml`, "utf8"),
    "labels/disallowed.yaml": await readFile(`${LIBRARY}/required-labels/samples/disallowed.yaml`, "utf8"),
    "labels/suite.yaml": REQUIRED_LABELS_SUITE,
  });
  const io = captureIO();
  expect(await runVerifyCommand(["labels"], io, { root: repo.dir })).toBe(1);
  expect(io.err).toBe("");
  const lines = io.out.trimEnd().split("\n");
  expect(lines).toContain("    --- PASS: right");
  const failAt = lines.indexOf("    --- FAIL: wrong");
  expect(failAt).toBeGreaterThan(0);
  // The reason names the violation that was found although none was expected.
  expect(lines[failAt + 1]).toMatch(/^ {8}.*missing required labels: owner/);
  expect(lines).toContain("--- FAIL: labels");
  expect(lines).toContain("FAIL\tlabels/suite.yaml");
  expect(lines[lines.length - 1]).toBe("1 passed, 1 failed");
});

/** A ConstraintTemplate with legacy `rego` (Rego v0, Gatekeeper's default) for the kind K8s<Name>. */
function legacyTemplate(name: string, rego: string): string {
  const body = rego
    .split("\n")
    .map((l) => `        ${l}`)
    .join("\n");
  return `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: ${name.toLowerCase()}
spec:
  crd:
    spec:
      names:
        kind: ${name}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
${body}
`;
}

function constraintFor(kind: string, objectKind: string): string {
  return `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: ${kind}
metadata:
  name: probe
spec:
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["${objectKind}"]
`;
}

/**
 * A Suite with one test `name` (template `template`, constraint `constraint.yaml`) of one case `any` on
 * `settings.yaml`; `assertions` is the case's YAML flow list, or none (an invalid Suite).
 */
function oneCaseSuite(name: string, template: string, assertions?: string): string {
  return `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
  - name: ${name}
    template: ${template}
    constraint: constraint.yaml
    cases:
      - name: any
        object: settings.yaml
${assertions === undefined ? "" : `        assertions: ${assertions}\n`}`;
}

const REVIEW_REGO = `package k8sreviewprobe

violation[{"msg": msg}] {
  input.review.operation == "DELETE"
  msg := sprintf("%v of %v by %v", [input.review.operation, input.review.object.metadata.name, input.review.userInfo.username])
}

violation[{"msg": msg}] {
  data.inventory.namespace[ns][_].ConfigMap[name]
  name == input.review.object.metadata.name
  ns != input.review.object.metadata.namespace
  msg := sprintf("name %v is also used in namespace %v", [name, ns])
}`;

function configMap(name: string, namespace: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${namespace}
data:
  key: value
`;
}

function admissionReview(operation: string, field: "object" | "oldObject"): string {
  return `apiVersion: admission.k8s.io/v1
kind: AdmissionReview
request:
  uid: "1"
  kind: {group: "", version: v1, kind: ConfigMap}
  operation: ${operation}
  userInfo: {username: alice}
  ${field}:
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings, namespace: team-a}
`;
}

const REVIEW_SUITE = `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
metadata:
  name: review
tests:
  - name: review-probe
    template: template.yaml
    constraint: constraint.yaml
    cases:
      - name: admission-delete
        object: delete-review.yaml
        assertions:
          - violations: 1
            message: "^DELETE of settings by alice$"
      - name: admission-create
        object: create-review.yaml
        assertions:
          - violations: no
      - name: name-used-elsewhere
        object: settings.yaml
        inventory: [other.yaml, settings.yaml]
        assertions:
          - violations: 1
            message: "^name settings is also used in namespace team-b$"
      - name: no-inventory
        object: settings.yaml
        assertions:
          - violations: no
`;

test("AdmissionReview objects are reviewed as their request, and data.inventory comes from the case's inventory", async () => {
  await writeFiles({
    "review/template.yaml": legacyTemplate("K8sReviewProbe", REVIEW_REGO),
    "review/constraint.yaml": constraintFor("K8sReviewProbe", "ConfigMap"),
    "review/delete-review.yaml": admissionReview("DELETE", "oldObject"),
    "review/create-review.yaml": admissionReview("CREATE", "object"),
    "review/settings.yaml": configMap("settings", "team-a"),
    "review/other.yaml": configMap("settings", "team-b"),
    "review/suite.yaml": REVIEW_SUITE,
  });
  const io = captureIO();
  const code = await runVerifyCommand(["review/suite.yaml"], io, { root: repo.dir });
  expect(io.err).toBe("");
  expect(io.out).toContain("    --- PASS: admission-delete");
  expect(io.out).toContain("    --- PASS: admission-create");
  expect(io.out).toContain("    --- PASS: name-used-elsewhere");
  expect(io.out).toContain("    --- PASS: no-inventory");
  expect(io.out.trimEnd().split("\n").pop()).toBe("4 passed, 0 failed");
  expect(code).toBe(0);
});

const BROKEN_REGO = `package k8sbroken

violation[{"msg": msg}] {
  input.review.object.kind == "ConfigMap"
  msg := not_defined_anywhere
}`;

test("a template whose Rego does not compile fails its cases with the compiler's diagnostic, located in the template", async () => {
  await writeFiles({
    "broken/template.yaml": legacyTemplate("K8sBroken", BROKEN_REGO),
    "broken/constraint.yaml": constraintFor("K8sBroken", "ConfigMap"),
    "broken/settings.yaml": configMap("settings", "team-a"),
    "broken/suite.yaml": oneCaseSuite("broken", "template.yaml", "[{violations: yes}]"),
  });
  const io = captureIO();
  expect(await runVerifyCommand([repo.dir], io, { root: repo.dir })).toBe(1);
  const lines = io.out.trimEnd().split("\n");
  const failAt = lines.indexOf("    --- FAIL: any");
  expect(failAt).toBeGreaterThan(0);
  // Lines and columns count inside the template's Rego text (file#rego), the code is the compiler's.
  expect(lines[failAt + 1]).toContain("template k8sbroken does not compile: ");
  expect(lines[failAt + 1]).toContain("broken/template.yaml#rego:5:10: rego_unsafe_var_error: var not_defined_anywhere is unsafe");
  expect(lines).toContain("FAIL\tbroken/suite.yaml");
  expect(lines[lines.length - 1]).toBe("0 passed, 1 failed");
});

test("a template in v1 Rego with libs: the libs are compiled with it and the v0 default does not apply", async () => {
  const template = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sliberal
spec:
  crd:
    spec:
      names:
        kind: K8sLiberal
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            version: v1
            rego: |
              package k8sliberal
              import data.lib.names

              violation contains {"msg": msg} if {
                names.too_long(input.review.object.metadata.name)
                msg := sprintf("name %v is longer than %v", [input.review.object.metadata.name, names.limit])
              }
            libs:
              - |
                package lib.names

                limit := 8

                too_long(n) if count(n) > limit
`;
  await writeFiles({
    "lib/template.yaml": template,
    "lib/constraint.yaml": constraintFor("K8sLiberal", "ConfigMap"),
    "lib/short.yaml": configMap("short", "team-a"),
    "lib/long.yaml": configMap("much-too-long", "team-a"),
    "lib/suite.yaml": nameLengthSuite("lib"),
  });
  const io = captureIO();
  expect(await runVerifyCommand(["lib"], io, { root: repo.dir })).toBe(0);
  expect(io.out).toContain("    --- PASS: short");
  expect(io.out).toContain("    --- PASS: long");
  expect(io.out.trimEnd().split("\n").pop()).toBe("2 passed, 0 failed");

  // Outside the root (here: the working directory), a suite's own directory is its root.
  const outside = captureIO();
  expect(await runVerifyCommand([join(repo.dir, "lib")], outside)).toBe(0);
  expect(outside.out).toContain("ok\tsuite.yaml\n2 passed, 0 failed");
});

test("a legacy template (targets[].rego + libs, no code[]): both are Rego v0 and the libs are compiled with it", async () => {
  const template = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8slegacylib
spec:
  crd:
    spec:
      names:
        kind: K8sLegacyLib
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8slegacylib
        import data.lib.legacy.names

        violation[{"msg": msg}] {
          names.too_long(input.review.object.metadata.name)
          msg := sprintf("name %v is longer than %v", [input.review.object.metadata.name, names.limit])
        }
      libs:
        - |
          package lib.legacy.names

          limit = 8

          too_long(n) {
            count(n) > limit
          }
`;
  await writeFiles({
    "legacy/template.yaml": template,
    "legacy/constraint.yaml": constraintFor("K8sLegacyLib", "ConfigMap"),
    "legacy/short.yaml": configMap("short", "team-a"),
    "legacy/long.yaml": configMap("much-too-long", "team-a"),
    "legacy/suite.yaml": nameLengthSuite("legacy"),
  });
  const io = captureIO();
  expect(await runVerifyCommand(["legacy"], io, { root: repo.dir })).toBe(0);
  expect(io.err).toBe("");
  expect(io.out).toContain("    --- PASS: short");
  expect(io.out).toContain("    --- PASS: long");
  expect(io.out.trimEnd().split("\n").pop()).toBe("2 passed, 0 failed");
});

test("v1 syntax in a template without version: v1 is a parse error (templates default to Rego v0)", async () => {
  await writeFiles({
    "v0/template.yaml": legacyTemplate("K8sOld", `package k8sold

violation contains {"msg": "x"} if {
  true
}`),
    "v0/constraint.yaml": constraintFor("K8sOld", "ConfigMap"),
    "v0/settings.yaml": configMap("settings", "team-a"),
    "v0/suite.yaml": oneCaseSuite("v0", "template.yaml", "[{violations: yes}]"),
  });
  const io = captureIO();
  expect(await runVerifyCommand(["v0"], io, { root: repo.dir })).toBe(1);
  expect(io.out).toMatch(/template k8sold does not compile: v0\/template.yaml#rego:3:\d+: rego_parse_error: /);
  expect(io.out.trimEnd().split("\n").pop()).toBe("0 passed, 1 failed");
});

test("a missing template file fails the test's cases with the path named", async () => {
  await writeFiles({
    "missing/settings.yaml": configMap("settings", "team-a"),
    "missing/suite.yaml": oneCaseSuite("missing", "nowhere.yaml", "[{violations: no}]"),
  });
  const io = captureIO();
  expect(await runVerifyCommand(["missing/suite.yaml"], io, { root: repo.dir })).toBe(1);
  expect(io.out).toContain("        template missing/nowhere.yaml does not exist");
  expect(io.out.trimEnd().split("\n").pop()).toBe("0 passed, 1 failed");
});

test.each([
  { name: "no arguments is a usage error (exit 2)", args: [], withRoot: false, code: 2, err: "usage: fleetward verify" },
  { name: "an unknown option is a usage error (exit 2)", args: ["--fast", "plain"], withRoot: true, code: 2, err: "unknown option --fast" },
  {
    name: "a file holding no Suite exits 1",
    args: ["plain/settings.yaml"],
    withRoot: true,
    code: 1,
    err: "plain/settings.yaml: holds no test.gatekeeper.sh Suite",
  },
  {
    name: "a directory without suites exits 1",
    args: ["plain"],
    withRoot: true,
    code: 1,
    err: "no Suite (kind: Suite, apiVersion test.gatekeeper.sh/*) found in plain",
  },
  { name: "a missing path exits 1", args: ["nowhere"], withRoot: true, code: 1, err: "fleetward verify: cannot read nowhere:" },
  {
    name: "an invalid Suite exits 1 with the diagnostic at its line",
    args: ["bad"],
    withRoot: true,
    code: 1,
    err: /^bad\/suite.yaml:8:\d+: gator_invalid_assertion: assertions must be non-empty$/m,
  },
])("$name", async ({ args, withRoot, code, err }) => {
  await writeFiles({
    "plain/settings.yaml": configMap("settings", "team-a"),
    "bad/suite.yaml": oneCaseSuite("bad", "template.yaml"),
  });
  const io = captureIO();
  expect(await runVerifyCommand(args, io, withRoot ? { root: repo.dir } : undefined)).toBe(code);
  if (typeof err === "string") expect(io.err).toContain(err);
  else expect(io.err).toMatch(err);
});
