/**
 * The Conftest evaluator (`evaluateConftest`, what `fleetward test` and the pull request check run) on the bundled
 * `policies/conftest` suite over 10,000 manifests, by the two ways inputs can reach the module: `pruned` (each
 * document written as JSON once, pruned to what the policies read, parsed into the module once, every rule evaluated
 * on it) against `sdk` (the SDK's `evaluate` per rule with the whole document, the path before). Both must give the same evaluation, byte for byte,
 * before anything is timed. CPU time of this process, the two paths alternating.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { evaluateConftest, type EvaluateConftestRequest } from "../src/policy/conftest/evaluate-conftest.js";
import type { JsonObject } from "../src/policy/manifests/manifest-types.js";
import { alternatingCpuMs, median, medianCpuMs, type BenchSuite } from "./bench-suite.js";

const N = 10_000;
const PER_FILE = 4;
const ROOT = join(import.meta.dirname, "..", "..");
const POLICIES = join(ROOT, "policies", "conftest");

function regoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return regoFiles(path);
    return e.name.endsWith(".rego") && !e.name.endsWith("_test.rego") ? [path] : [];
  });
}

function container(i: number, name: string): JsonObject {
  const c: JsonObject = {
    name,
    image: i % 17 === 0 ? "nginx:latest" : i % 23 === 0 ? "nginx" : `registry.example.com/${name}:1.${i % 40}`,
    ports: [{ containerPort: 8080, protocol: "TCP" }],
    env: Array.from({ length: 6 }, (_, k) => ({ name: `VAR_${k}`, value: `value-${i}-${k}` })),
  };
  if (i % 11 !== 0) c.resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } };
  if (i % 7 !== 0) {
    c.readinessProbe = { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 };
    c.livenessProbe = { httpGet: { path: "/live", port: 8080 }, periodSeconds: 10 };
  }
  if (i % 29 === 0) c.securityContext = { privileged: true };
  return c;
}

function metadata(i: number, name: string): JsonObject {
  return {
    name,
    namespace: `team-${i % 20}`,
    labels: { app: name, team: `team-${i % 20}`, tier: "backend" },
    annotations: { "example.com/owner": `owner-${i % 50}@example.com`, "example.com/revision": `${i}` },
  };
}

/** One workload in four kinds (Deployment, Service, CronJob, ConfigMap), about 1 in 6 with a failure or warning. */
function manifest(i: number): JsonObject {
  const name = `app-${i}`;
  switch (i % PER_FILE) {
    case 0:
      return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: metadata(i, name),
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              hostNetwork: i % 31 === 0,
              containers: [container(i, "app"), container(i + 1, "sidecar")],
              volumes: i % 37 === 0 ? [{ name: "host", hostPath: { path: "/var/run" } }] : [{ name: "tmp", emptyDir: {} }],
            },
          },
        },
      };
    case 1:
      return { apiVersion: "v1", kind: "Service", metadata: metadata(i, name), spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } };
    case 2:
      return {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: metadata(i, name),
        spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [container(i, "job")] } } } } },
      };
    default:
      return { apiVersion: "v1", kind: "ConfigMap", metadata: metadata(i, name), data: { "config.yaml": `replicas: ${i}\nmode: fast\n`.repeat(4) } };
  }
}

export const conftestEvaluateSuite: BenchSuite = {
  name: "conftest evaluate",
  async run() {
    const modules = regoFiles(POLICIES).map((file) => ({ file: relative(ROOT, file), text: readFileSync(file, "utf8") }));
    const files = Array.from({ length: N / PER_FILE }, (_, f) => ({
      path: `envs/prod/app-${f}.yaml`,
      documents: Array.from({ length: PER_FILE }, (_, d) => manifest(f * PER_FILE + d)),
    }));
    const request: EvaluateConftestRequest = { modules, files, namespaces: ["main"] };
    const viaPruned = (): ReturnType<typeof evaluateConftest> => evaluateConftest({ ...request, inputPath: "pruned" });
    const viaSdk = (): ReturnType<typeof evaluateConftest> => evaluateConftest({ ...request, inputPath: "sdk" });

    const c0 = performance.now();
    const probe = evaluateConftest({ ...request, files: [] }); // compiles (cached by content afterwards) and loads
    const compileMs = performance.now() - c0;
    if (probe.diagnostics.length > 0) throw new Error(`policies: ${JSON.stringify(probe.diagnostics)}`);

    // Same evaluation both ways, byte for byte, and something to find.
    const pruned = JSON.stringify(viaPruned());
    const sdk = JSON.stringify(viaSdk());
    if (pruned !== sdk) throw new Error("the pruned and SDK paths give different evaluations");
    const evaluation = viaPruned();
    if (evaluation.evalErrors.length > 0) throw new Error(`eval errors: ${JSON.stringify(evaluation.evalErrors.slice(0, 3))}`);
    let messages = 0;
    for (const f of evaluation.files) {
      for (const d of f.documents) for (const ns of d.namespaces) for (const r of ns.rules) messages += Array.isArray(r.values) ? r.values.length : 0;
    }
    const rules = evaluation.files[0]?.documents[0]?.namespaces.reduce((n, ns) => n + ns.rules.length, 0) ?? 0;

    const [prunedRuns, sdkRuns] = await alternatingCpuMs(viaPruned, viaSdk, 5, 3, 1);
    const prunedMs = median(prunedRuns);
    const sdkMs = median(sdkRuns);
    const ratios = prunedRuns.map((p, i) => (sdkRuns[i] ?? Number.NaN) / p).sort((a, b) => a - b);
    const loadMs = await medianCpuMs(() => evaluateConftest({ ...request, files: [] }), 5, 1);
    const fmt = (x: number | undefined): string => (x ?? Number.NaN).toFixed(2);
    return [
      {
        name: `${N.toLocaleString("en")} manifests × ${rules} rules, pruned input parsed once per document`,
        value: prunedMs,
        unit: "ms",
        ratio: prunedMs / sdkMs,
        baseline: "SDK evaluate per rule",
        note: `speed-up per round ${fmt(ratios[0])}–${fmt(ratios[ratios.length - 1])}×; ${messages} failure/warning messages, same evaluation both ways`,
      },
      { name: "SDK evaluate per rule, whole document (the path before)", value: sdkMs, unit: "ms" },
      { name: "compile + load, no input (compile cached by content after the first call)", value: loadMs, unit: "ms" },
      { name: "first compile + load (wall)", value: compileMs, unit: "ms" },
    ];
  },
};
