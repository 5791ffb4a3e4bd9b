import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { loadManifestFile, type JsonObject, type ManifestDocument } from "../../src/policy/manifests/index.js";
import {
  evaluateGatekeeper,
  loadGatekeeperPolicies,
  type GatekeeperEvaluationRequest,
  type GatekeeperEvaluator,
} from "../../src/policy/gatekeeper/index.js";
import { formatGatorReport, parseGatorSuite, runGatorSuite } from "../../src/policy/gator/index.js";

/*
 * Stand-ins for compiled templates (the Rego compiler does not exist yet): TypeScript versions of what three
 * library templates specify, used to test the plumbing around evaluation and the library's gator suites.
 */
type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Obj)[k as string] : undefined), o);

const standIns: Record<string, (input: JsonObject) => Obj[]> = {
  k8sdisallowedimagerepos(input) {
    const repos = (get(input, "parameters", "repos") as string[]) ?? [];
    if (get(input, "review", "object", "kind") !== "Pod") return [];
    const containers = (get(input, "review", "object", "spec", "containers") as Obj[]) ?? [];
    return containers
      .filter((c) => !repos.some((r) => String(c.image).startsWith(r)))
      .map((c) => ({
        msg: `Image '${String(c.image)}' comes from an unapproved repository. Only images from ${repos.map((r) => `'${r}'`).join(", ")} are allowed.`,
      }));
  },
  k8srequiredlabels(input) {
    const obj = get(input, "review", "object");
    const labels = (get(obj, "metadata", "labels") as Record<string, string>) ?? {};
    const ref = `${String(get(obj, "kind"))} '${String(get(obj, "metadata", "name"))}'`;
    const wanted = (get(input, "parameters", "labels") as { key: string; allowedRegex?: string }[]) ?? [];
    const message = get(input, "parameters", "message");
    const suffix = typeof message === "string" ? ` ${message}` : "";
    const out: Obj[] = [];
    const missing = wanted.map((l) => l.key).filter((k) => !(k in labels)).sort();
    if (missing.length > 0) out.push({ msg: `${ref} is missing required labels: ${missing.join(", ")}.${suffix}`, details: { missing_labels: missing, path: "metadata.labels" } });
    for (const l of wanted) {
      const v = labels[l.key];
      if (v !== undefined && l.allowedRegex && !new RegExp(l.allowedRegex).test(v)) {
        out.push({ msg: `${ref} has label ${l.key}=${v}, which does not match ${l.allowedRegex}.${suffix}`, details: { path: `metadata.labels["${l.key}"]` } });
      }
    }
    return out;
  },
  k8sreplicabounds(input) {
    const obj = get(input, "review", "object");
    if (!["Deployment", "StatefulSet", "ReplicaSet"].includes(String(get(obj, "kind")))) return [];
    const replicas = (get(obj, "spec", "replicas") as number | undefined) ?? 1;
    const min = (get(input, "parameters", "minReplicas") as number | undefined) ?? 1;
    const max = (get(input, "parameters", "maxReplicas") as number | undefined) ?? 50;
    const ref = `${String(get(obj, "kind"))} '${String(get(obj, "metadata", "name"))}'`;
    if (replicas < min) return [{ msg: `${ref} asks for ${replicas} replicas, fewer than the minimum of ${min}`, details: { path: "spec.replicas" } }];
    if (replicas > max) return [{ msg: `${ref} asks for ${replicas} replicas, more than the maximum of ${max}`, details: { path: "spec.replicas" } }];
    return [];
  },
};

const requests: GatekeeperEvaluationRequest[] = [];
const evaluate: GatekeeperEvaluator = (request) => {
  requests.push(request);
  const f = standIns[request.template.name];
  if (f === undefined) throw new Error(`no stand-in for ${request.template.name}`);
  return f(request.input);
};

const doc = (path: string, content: string): ManifestDocument[] => {
  const r = loadManifestFile({ path, content });
  expect(r.diagnostics).toEqual([]);
  return r.documents;
};
const repoFile = (path: string) => readFileSync(join(process.cwd(), path), "utf8");

describe("evaluateGatekeeper", () => {
  beforeEach(() => requests.splice(0));

  it("evaluates matching constraint/object pairs and locates violations at details.path", async () => {
    const docs = [
      ...doc("policies/library/required-labels/template.yaml", repoFile("policies/library/required-labels/template.yaml")),
      ...doc("policies/library/replica-bounds/template.yaml", repoFile("policies/library/replica-bounds/template.yaml")),
      ...doc(
        "cluster/constraints.yaml",
        [
          "apiVersion: constraints.gatekeeper.sh/v1beta1",
          "kind: K8sReplicaBounds",
          "metadata: {name: prod-replicas}",
          "spec:",
          "  enforcementAction: warn",
          "  match:",
          "    kinds: [{apiGroups: [apps], kinds: [Deployment]}]",
          "    namespaceSelector: {matchLabels: {env: prod}}",
          "  parameters: {minReplicas: 2}",
          "---",
          "apiVersion: constraints.gatekeeper.sh/v1beta1",
          "kind: K8sRequiredLabels",
          "metadata: {name: ns-owner}",
          "spec:",
          "  match: {kinds: [{apiGroups: [''], kinds: [Namespace]}]}",
          "  parameters: {labels: [{key: owner}]}",
        ].join("\n"),
      ),
      ...doc(
        "apps/shop.yaml",
        [
          "apiVersion: v1",
          "kind: Namespace",
          "metadata:",
          "  name: shop",
          "  labels: {env: prod, owner: payments}",
          "---",
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata: {name: web, namespace: shop}",
          "spec:",
          "  replicas: 1",
          "---",
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata: {name: api, namespace: ghost}",
          "spec: {}",
          "---",
          "apiVersion: v1",
          "kind: Namespace",
          "metadata: {name: lab}",
        ].join("\n"),
      ),
    ];
    const set = loadGatekeeperPolicies(docs);
    expect(set.diagnostics).toEqual([]);
    const run = await evaluateGatekeeper(set, evaluate);

    expect(run.violations.map((v) => [v.constraintName, v.enforcementAction, v.message, v.location])).toEqual([
      ["prod-replicas", "warn", "Deployment 'web' asks for 1 replicas, fewer than the minimum of 2", { file: "apps/shop.yaml", line: 11, column: 3 }],
      ["ns-owner", "deny", "Namespace 'lab' is missing required labels: owner.", { file: "apps/shop.yaml", line: 18, column: 1 }],
    ]);
    // the Deployment in an unknown namespace cannot be matched by a namespaceSelector: an error, not a silent skip
    expect(run.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([["gatekeeper_match_error", "apps/shop.yaml", 13]]);
    // web (replica bounds) + shop and lab (labels) were evaluated
    expect(run.evaluations).toBe(3);
    const webRequest = requests.find((r) => get(r.input, "review", "name") === "web")!;
    expect(get(webRequest.input, "review", "kind")).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect(get(webRequest.input, "review", "_unstable", "namespace", "metadata", "name")).toBe("shop");
    expect(webRequest.input.parameters).toEqual({ minReplicas: 2 });
    expect(Object.keys(webRequest.data.inventory.namespace)).toEqual(["shop", "ghost"]);
    expect(Object.keys(webRequest.data.inventory.cluster.v1?.Namespace ?? {})).toEqual(["shop", "lab"]);
  });

  it("reports an evaluator failure as a diagnostic and goes on", async () => {
    const docs = [
      ...doc("t.yaml", repoFile("policies/library/replica-bounds/template.yaml")),
      ...doc("c.yaml", "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sReplicaBounds\nmetadata: {name: b}\n"),
      ...doc("d.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec: {replicas: 99}\n"),
    ];
    let calls = 0;
    const flaky: GatekeeperEvaluator = (r) => {
      calls++;
      if (calls === 1) throw new Error("wasm trap");
      return evaluate(r);
    };
    const run = await evaluateGatekeeper(loadGatekeeperPolicies(docs), flaky);
    expect(run.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([["gatekeeper_evaluation_failed", 1, "template k8sreplicabounds: wasm trap"]]);
    expect(run.violations.map((v) => v.message)).toEqual(["Deployment 'b' asks for 99 replicas, more than the maximum of 50"]);
  });
});

describe("runGatorSuite on the policy library", () => {
  const read = (path: string) => (existsSync(join(process.cwd(), path)) ? repoFile(path) : undefined);
  it.each([
    "policies/examples/disallowed-image-repos/suite.yaml",
    "policies/library/required-labels/suite.yaml",
    "policies/library/replica-bounds/suite.yaml",
  ])("%s passes with a stand-in of its template", async (suitePath) => {
    const suite = parseGatorSuite(doc(suitePath, repoFile(suitePath))[0]!).suite!;
    const runs = await runGatorSuite(suite, read, evaluate);
    const report = formatGatorReport([{ suite, runs }]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(suite.tests.flatMap((t) => t.cases).length);
    expect(report.lines.at(-1)).toBe(`${report.passed} passed, 0 failed`);
  });

  it("fails cases whose expectations the results contradict, and reports unreadable files", async () => {
    const suite = parseGatorSuite(doc("policies/library/replica-bounds/suite.yaml", repoFile("policies/library/replica-bounds/suite.yaml"))[0]!).suite!;
    const liar: GatekeeperEvaluator = () => [{ msg: "always" }];
    const report = formatGatorReport([{ suite, runs: await runGatorSuite(suite, read, liar) }]);
    expect(report.lines.at(-1)).toBe("0 passed, 2 failed");
    const missing = { ...suite, tests: suite.tests.map((t) => ({ ...t, template: "policies/none.yaml" })) };
    const runs = await runGatorSuite(missing, read, evaluate);
    expect(runs.map((r) => r.error)).toEqual(["template policies/none.yaml does not exist", "template policies/none.yaml does not exist"]);
  });
});
