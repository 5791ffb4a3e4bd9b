import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { evaluateConftest, type EvaluateConftestRequest, type EvaluateConftestResult } from "../../src/policy/conftest/evaluate-conftest.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

/**
 * `evaluateConftest` evaluates inputs pruned to what the policies read, parsed into the module once per document
 * (`inputPath: "pruned"`, the default); `inputPath: "sdk"` is the SDK's `evaluate` per rule with the whole document,
 * the path before. Every request here must give the same evaluation, byte for byte, both ways.
 */
beforeAll(() => ensureRuntimeBuilt());

function regoIn(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return regoIn(p);
    return n.endsWith(".rego") && !n.endsWith("_test.rego") ? [{ file: p, text: readFileSync(p, "utf8") }] : [];
  });
}

/** Both paths' evaluations as JSON text; fails the test when they differ. */
function bothWays(request: EvaluateConftestRequest): EvaluateConftestResult {
  const sdk = evaluateConftest({ ...request, inputPath: "sdk" });
  const pruned = evaluateConftest(request);
  expect(JSON.stringify(pruned)).toBe(JSON.stringify(sdk));
  return pruned;
}

function messages(result: EvaluateConftestResult): string[] {
  return result.files.flatMap((f) => f.documents.flatMap((d) => d.namespaces.flatMap((ns) => ns.rules.flatMap((r) => (Array.isArray(r.values) ? r.values.map(String) : [])))));
}

const suite = regoIn(join(process.cwd(), "policies", "conftest"));
const fixtures = join(process.cwd(), "test", "fixtures", "conftest-cli");

function container(name: string, image: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image, env: [{ name: "MODE", value: "fast" }], ...extra };
}

const resources = { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } };
const probes = { readinessProbe: { tcpSocket: { port: 80 } }, livenessProbe: { tcpSocket: { port: 80 } } };

/** Manifests that make every rule of policies/conftest fire somewhere, and documents that are not manifests. */
const manifests: unknown[] = [
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ok", annotations: { note: "x".repeat(200) } }, spec: { template: { spec: { containers: [container("app", "registry.example.com/app:1.0", { resources, ...probes })] } } } },
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "latest" }, spec: { template: { spec: { hostNetwork: true, hostPID: true, containers: [container("app", "nginx:latest"), container("side", "nginx", { securityContext: { privileged: true } })], volumes: [{ name: "h", hostPath: { path: "/etc" } }] } } } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "pod" }, spec: { initContainers: [container("init", "busybox@sha256:abc")], containers: [container("c", "registry.example.com:5000/c", { resources })] } },
  { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "cron" }, spec: { jobTemplate: { spec: { template: { spec: { containers: [container("job", "job:latest")] } } } } } },
  { apiVersion: "v1", kind: "Service", metadata: { name: "svc", labels: { team: "a" } }, spec: { ports: [{ port: 80 }] } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { big: "y".repeat(5000) } },
  { kind: "Deployment" },
  { kind: 7, metadata: "not an object", spec: [1, 2] },
  {},
  [],
  ["a", { kind: "Pod" }],
  "just a string",
  42,
  true,
  // Falsy documents: the SDK's evaluate takes them as no input at all.
  null,
  0,
  false,
  "",
];

describe("evaluateConftest: the pruned path gives the SDK path's evaluation", () => {
  it("policies/conftest over workloads, services, config maps and non-manifests, one file per document and all in one", () => {
    const files = manifests.map((doc, i) => ({ path: `m${i}.yaml`, documents: [doc] }));
    const each = bothWays({ modules: suite, files });
    expect(each.evalErrors).toEqual([]);
    expect(messages(each)).toEqual(expect.arrayContaining([
      "Deployment 'latest': container 'app' uses the latest tag (nginx:latest)",
      "Deployment 'latest': container 'side' runs privileged",
      "Deployment 'latest': hostPID is not allowed",
      "Deployment 'latest': volume 'h' mounts the host path /etc",
      "Pod 'pod': container 'c' has an image without a tag (registry.example.com:5000/c)",
      "CronJob 'cron': container 'job' uses the latest tag (job:latest)",
    ]));
    bothWays({ modules: suite, files: [{ path: "all.yaml", documents: manifests }] });
  });

  it("the Conftest CLI fixtures: exceptions, several namespaces, --combine, data files, object results", () => {
    const inputs = [
      { path: "deployment.yaml", documents: [{ kind: "Deployment", metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "c", image: "nginx:latest" }] } } } }] },
      { path: "legacy.yaml", documents: [{ kind: "Deployment", metadata: { name: "legacy" }, spec: { template: { spec: { containers: [{ name: "l", image: "old:latest" }] } } } }] },
      { path: "service.yaml", documents: [{ kind: "Service", metadata: { name: "svc" } }, { kind: "Service", metadata: { name: "svc2", labels: { team: "t" } } }] },
    ];
    const policy = regoIn(join(fixtures, "policy"));
    const main = bothWays({ modules: policy, files: inputs });
    expect(main.files[1]?.documents[0]?.namespaces[0]?.exceptions).toEqual([["latest"]]);
    const all = bothWays({ modules: policy, files: inputs, allNamespaces: true });
    expect(all.namespaces).toEqual(["combined", "main"]);
    const combined = bothWays({ modules: policy, files: inputs, namespaces: ["combined"], combine: true });
    expect(messages(combined)).toContain("service.yaml holds 2 documents");
    bothWays({ modules: policy, files: inputs, allNamespaces: true, combine: true });

    const replicas = [1, 5, 50, 2 ** 53 + 2].map((n, i) => ({ path: `r${i}.yaml`, documents: [{ spec: { replicas: n, other: { noise: true } } }] }));
    const withData = bothWays({ modules: regoIn(join(fixtures, "policy-data")), files: replicas, data: { limits: { maxReplicas: 10 }, unused: { x: 1 } } });
    expect(messages(withData)).toEqual(["replicas 50 exceed 10", "replicas 9007199254740994 exceed 10"]);
    bothWays({ modules: regoIn(join(fixtures, "policy-object")), files: [0, 3, 7, 12].map((n, i) => ({ path: `o${i}.yaml`, documents: [{ image: "x", replicas: n }] })) });
  });

  it("evaluation errors (a conflict in a complete rule) are the same, file by file", () => {
    const files = [{ low: true }, { high: true }, { low: true, high: true }, {}].map((doc, i) => ({ path: `c${i}.yaml`, documents: [doc] }));
    const result = bothWays({ modules: regoIn(join(fixtures, "policy-conflict")), files });
    expect(result.evalErrors.map((e) => [e.file, e.code])).toEqual([["c2.yaml", "eval_conflict_error"]]);
  });

  describe("hostile inputs", () => {
    const probe = {
      file: "probe.rego",
      text: [
        "package main",
        "deny_numbers contains msg if {",
        "\tsome k, v in input.numbers",
        "\tmsg := sprintf(\"%s=%v %s\", [k, v, json.marshal(v)])",
        "}",
        "deny_big contains k if {",
        "\tsome k, v in input.numbers",
        "\tv > 9007199254740992",
        "}",
        "deny_keys contains msg if {",
        "\tv := input.meta[\"🔑\"]",
        "\tmsg := sprintf(\"key %v\", [v])",
        "}",
        "deny_cyrillic contains input.meta[\"ключ\"]",
        "deny_quoted contains input.meta[\"a.\\\"b\\\"\"]",
        "warn_all_keys contains k if some k, _ in input.labels",
        "warn_type contains type_name(input)",
        "warn_depth contains count(path) if {",
        "\twalk(input.deep, [path, v])",
        "\tv == \"bottom\"",
        "}",
        "exception contains rules if {",
        "\tinput.meta.skip == true",
        "\trules := [\"keys\"]",
        "}",
      ].join("\n"),
    };

    function nest(depth: number, leaf: unknown, asArray: boolean): unknown {
      let v = leaf;
      for (let i = 0; i < depth; i++) v = asArray ? [v] : { [`k${i % 3}`]: v, pad: i };
      return v;
    }

    it("numbers beyond 2^53, tiny and huge doubles, negative zero", () => {
      const numbers = { over: 2 ** 53 + 2, max: Number.MAX_SAFE_INTEGER, huge: 1.7976931348623157e308, e21: 1e21, tiny: 5e-324, negZero: -0, frac: 0.1 + 0.2, neg: -(2 ** 60) };
      const result = bothWays({ modules: [probe], files: [{ path: "n.yaml", documents: [{ numbers, ignored: { numbers } }] }] });
      expect(result.evalErrors).toEqual([]);
      const rules = result.files[0]?.documents[0]?.namespaces[0]?.rules ?? [];
      expect(rules.find((r) => r.name === "deny_big")?.values).toEqual(["e21", "huge", "over"]);
    });

    it("unicode, empty, quoted and NUL keys; lone surrogates; the exception rule", () => {
      const meta = { "🔑": "é✓", ключ: "значение", 'a."b"': "quoted", "": "empty", "\u0000": "nul", "\ud800": "lone", skip: false, other: "x".repeat(100) };
      const labels = { "日本": "1", "\ud83d": "half", "k\"\\": "escapes", __proto__: "proto" };
      const docs = [{ meta, labels }, { meta: { ...meta, skip: true }, labels }, { meta: { "🔑": { nested: ["\u2028", "\u{10FFFF}"] } } }];
      const result = bothWays({ modules: [probe], files: [{ path: "u.yaml", documents: docs }] });
      expect(result.evalErrors).toEqual([]);
      expect(messages(result)).toEqual(expect.arrayContaining(["key é✓", "значение", "quoted", "日本"]));
      expect(result.files[0]?.documents[1]?.namespaces[0]?.exceptions).toEqual([["keys"]]);
    });

    it("deep nesting of objects and arrays, inside and outside what the policy reads, within and beyond the parser's limit", () => {
      const docs = [
        { deep: nest(200, "bottom", false), unread: nest(900, "x", true) },
        { deep: nest(200, "bottom", true) },
        // Beyond the module's 1,000 levels: the SDK path fails on these even where the policy never reads.
        { deep: nest(10, "bottom", true), unread: nest(1500, "x", false) },
        { deep: { a: nest(3000, "bottom", true) } },
        nest(3000, 1, false),
        { unread: nest(20_000, "x", true) },
      ];
      const result = bothWays({ modules: [probe], files: docs.map((d, i) => ({ path: `d${i}.yaml`, documents: [d] })) });
      const depth = (i: number): unknown => result.files[i]?.documents[0]?.namespaces[0]?.rules.find((r) => r.name === "warn_depth")?.values;
      expect([depth(0), depth(1)]).toEqual([[200], [200]]);
      expect(result.evalErrors.map((e) => [e.file, e.code])).toEqual(["d2.yaml", "d3.yaml", "d4.yaml", "d5.yaml"].map((f) => [f, "eval_internal_error"]));
    });

    it("falsy documents are no input, as the SDK's evaluate takes them; other scalars and arrays are input", () => {
      const docs = [null, 0, false, "", 1, "s", true, [], [null]];
      const result = bothWays({ modules: [probe], files: [{ path: "f.yaml", documents: docs }] });
      const types = result.files[0]?.documents.map((d) => d.namespaces[0]?.rules.find((r) => r.name === "warn_type")?.values);
      expect(types).toEqual([[], [], [], [], ["number"], ["string"], ["boolean"], ["array"], ["array"]]);
    });

    it("a value that is not JSON (BigInt) raises the same error both ways", () => {
      const result = bothWays({ modules: [probe], files: [{ path: "b.yaml", documents: [{ numbers: { n: 1n } }, { numbers: { n: 1 } }] }] });
      expect(result.evalErrors.map((e) => [e.file, e.code])).toEqual([["b.yaml", "eval_internal_error"]]);
    });
  });
});
