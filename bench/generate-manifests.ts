/**
 * Varied Kubernetes manifests from a seed, for evaluating the bundled policy library: Pods, Deployments,
 * StatefulSets, DaemonSets, Jobs, CronJobs, Services, Ingresses and Namespaces, with and without what the library's
 * templates flag (unapproved or `latest` images, missing resources or probes, privileged containers, host namespaces
 * and paths, replicas out of bounds, missing owner labels), and fields no template reads (env, ports, volumes,
 * annotations), as real manifests carry. The same seed gives the same manifests; `manifestsYaml` gives their text.
 */
import { dump } from "js-yaml";
import type { JsonObject } from "../src/policy/manifests/manifest-types.js";
import { seededRandom } from "./seeded-random.js";

const WORKLOADS = ["Pod", "Deployment", "Deployment", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];
const OTHERS = ["Service", "Ingress", "Namespace"];
const API: Record<string, string> = { Pod: "v1", Service: "v1", Namespace: "v1", Deployment: "apps/v1", StatefulSet: "apps/v1", DaemonSet: "apps/v1", Job: "batch/v1", CronJob: "batch/v1", Ingress: "networking.k8s.io/v1" };
const NAMESPACES = ["prod-web", "prod-api", "staging", "dev", "kube-system", "team-data"];
const REGISTRIES = ["registry.example.com/", "registry.example.com/", "registry.example.com/", "docker.io/library/", "ghcr.io/acme/"];

function container(r: () => number, i: number): JsonObject {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const tag = r() < 0.1 ? "latest" : r() < 0.05 ? "" : `1.${Math.floor(r() * 30)}.${i}`;
  const c: JsonObject = {
    name: `c${i}`,
    image: `${pick(REGISTRIES)}${pick(["web", "api", "worker", "envoy", "redis"])}${tag === "" ? "" : `:${tag}`}`,
    ports: [{ containerPort: 8000 + Math.floor(r() * 100), protocol: "TCP" }],
    env: Array.from({ length: Math.floor(r() * 4) }, (_, k) => ({ name: `VAR_${k}`, value: `value-${Math.floor(r() * 1000)}` })),
  };
  if (r() < 0.8) {
    const requests: JsonObject = { cpu: `${Math.ceil(r() * 500)}m` };
    if (r() < 0.9) requests.memory = `${Math.ceil(r() * 512)}Mi`;
    c.resources = r() < 0.85 ? { requests, limits: { memory: "1Gi", cpu: "1" } } : { requests };
  }
  if (r() < 0.75) c.readinessProbe = { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 10 };
  if (r() < 0.7) c.livenessProbe = { httpGet: { path: "/live", port: 8080 } };
  if (r() < 0.1) c.securityContext = { privileged: true };
  else if (r() < 0.5) c.securityContext = { runAsNonRoot: true, allowPrivilegeEscalation: r() < 0.1 };
  c.volumeMounts = [{ name: "data", mountPath: "/data" }];
  return c;
}

function podSpec(r: () => number): JsonObject {
  const spec: JsonObject = {
    containers: Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => container(r, i)),
    volumes: [r() < 0.1 ? { name: "data", hostPath: { path: r() < 0.5 ? "/var/log/app" : "/etc" } } : { name: "data", emptyDir: {} }],
  };
  if (r() < 0.3) spec.initContainers = [container(r, 9)];
  if (r() < 0.05) spec.hostNetwork = true;
  if (r() < 0.05) spec.hostPID = true;
  if (r() < 0.5) spec.serviceAccountName = "app";
  return spec;
}

function manifest(r: () => number, i: number): JsonObject {
  const kind = r() < 0.85 ? (WORKLOADS[Math.floor(r() * WORKLOADS.length)] as string) : (OTHERS[Math.floor(r() * OTHERS.length)] as string);
  const namespace = NAMESPACES[Math.floor(r() * NAMESPACES.length)] as string;
  const labels: JsonObject = { app: `app-${i}`, "app.kubernetes.io/part-of": "shop" };
  const metadata: JsonObject = kind === "Namespace" ? { name: `ns-${i}`, labels: {} } : { name: `obj-${i}`, namespace, labels, annotations: { "example.com/revision": String(i) } };
  if (kind === "Namespace" && r() < 0.7) (metadata.labels as JsonObject).owner = r() < 0.9 ? `team-${i % 7}` : "Bad_Owner";
  const object: JsonObject = { apiVersion: API[kind] as string, kind, metadata };
  const template = (): JsonObject => ({ metadata: { labels }, spec: podSpec(r) });
  switch (kind) {
    case "Pod":
      object.spec = podSpec(r);
      break;
    case "Deployment":
    case "StatefulSet":
      object.spec = { replicas: Math.floor(r() * 25), selector: { matchLabels: labels }, template: template() };
      break;
    case "DaemonSet":
    case "Job":
      object.spec = { selector: { matchLabels: labels }, template: template() };
      break;
    case "CronJob":
      object.spec = { schedule: "*/5 * * * *", jobTemplate: { spec: { template: template() } } };
      break;
    case "Service":
      object.spec = { selector: labels, ports: [{ port: 80, targetPort: 8080 }] };
      break;
    case "Ingress":
      object.spec = { rules: [{ host: `app-${i}.example.com`, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: `obj-${i}`, port: { number: 80 } } } }] } }] };
      break;
  }
  return object;
}

/** `n` varied manifests from `seed`, the Namespaces of the others first (one of them labelled experimental). */
export function generateManifests(n: number, seed: number): JsonObject[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const ns = NAMESPACES[i];
    if (ns === undefined) return manifest(r, i);
    return { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { owner: "platform", tier: i === 3 ? "experimental" : "standard" } } };
  });
}

/** The manifests as multi-document YAML files (block style, as people write them) of `perFile` documents. */
export function manifestFiles(objects: readonly JsonObject[], perFile = 500): { path: string; content: string }[] {
  const files: { path: string; content: string }[] = [];
  for (let i = 0; i < objects.length; i += perFile) {
    files.push({ path: `manifests-${files.length}.yaml`, content: objects.slice(i, i + perFile).map((o) => `---\n${dump(o)}`).join("") });
  }
  return files;
}
