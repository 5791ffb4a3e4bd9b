/**
 * Kubernetes objects for generated kustomization trees: one "app" is a workload (Deployment, StatefulSet or CronJob)
 * with the objects it references by name (ConfigMap, Secret, ServiceAccount, Service, PersistentVolumeClaim) and
 * some that reference it (Ingress, RoleBinding, HorizontalPodAutoscaler, PodDisruptionBudget), so that namePrefix,
 * nameSuffix and generator hash suffixes have name references to update.
 *
 *   makeApp(r, "web") → { name, kind, images, configMap: {name, data}, secret: {name, data}, objects: [...] }
 */

/** Image references as they appear in pod specs: plain, tagged, registries with ports, digests. */
export function imagePool(r) {
  return [
    "nginx",
    "nginx:1.25.3",
    "busybox:1.36",
    "registry.example.com:5000/team/api:v2.1.0",
    `gcr.io/acme-prod/worker@sha256:${r.hex(64)}`,
    "quay.io/acme/cache:7.2-alpine",
    "localhost:5000/db:15",
    "docker.io/library/redis:7",
    "ghcr.io/acme/tools/migrate:0.9",
    `registry.example.com/sidecar:1.0@sha256:${r.hex(64)}`,
  ];
}

/** The name an `images:` entry matches: the reference without tag and digest. */
export function imageName(ref) {
  const noDigest = ref.split("@")[0];
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

function container(r, app, idx, image, refs) {
  const c = { name: idx === 0 ? app : `${app}-side${idx}`, image };
  if (idx === 0 && r.chance(0.7)) c.ports = [{ name: "http", containerPort: 8080 + r.int(0, 9) }];
  const env = [{ name: "LOG_LEVEL", value: r.pick(["info", "debug", "warn"]) }];
  if (refs.configMap && r.chance(0.7)) env.push({ name: "MODE", valueFrom: { configMapKeyRef: { name: refs.configMap, key: "mode" } } });
  if (refs.secret && r.chance(0.6)) env.push({ name: "PASSWORD", valueFrom: { secretKeyRef: { name: refs.secret, key: "password" } } });
  c.env = env;
  if (refs.configMap && r.chance(0.25)) c.envFrom = [{ configMapRef: { name: refs.configMap } }];
  if (r.chance(0.3)) c.args = ["--listen", `0.0.0.0:${8080 + idx}`];
  if (r.chance(0.2)) c.resources = { requests: { cpu: `${r.int(1, 5) * 50}m`, memory: `${r.int(1, 4) * 64}Mi` } };
  return c;
}

function podSpec(r, app, images, refs) {
  const spec = { containers: images.map((image, i) => container(r, app, i, image, refs)) };
  if (refs.serviceAccount) spec.serviceAccountName = refs.serviceAccount;
  const volumes = [];
  if (refs.configMap && r.chance(0.6)) volumes.push({ name: "config", configMap: { name: refs.configMap } });
  if (refs.secret && r.chance(0.5)) volumes.push({ name: "creds", secret: { secretName: refs.secret } });
  if (refs.pvc) volumes.push({ name: "data", persistentVolumeClaim: { claimName: refs.pvc } });
  if (volumes.length > 0) {
    spec.volumes = volumes;
    spec.containers[0].volumeMounts = volumes.map((v) => ({ name: v.name, mountPath: `/etc/${v.name}` }));
  }
  if (r.chance(0.1)) spec.initContainers = [{ name: "init", image: "busybox:1.36", command: ["sh", "-c", "true"] }];
  return spec;
}

const meta = (name, labels) => (labels ? { name, labels } : { name });

export function makeApp(r, name, pool = imagePool(r)) {
  const kind = r.pick(["Deployment", "Deployment", "Deployment", "StatefulSet", "CronJob"]);
  const images = r.sample(pool, r.chance(0.25) ? 2 : 1);
  const labels = { app: name };
  const refs = {
    configMap: r.chance(0.8) ? `${name}-config` : undefined,
    secret: r.chance(0.6) ? `${name}-secret` : undefined,
    serviceAccount: r.chance(0.4) ? name : undefined,
    pvc: kind === "Deployment" && r.chance(0.25) ? `${name}-data` : undefined,
  };
  const objects = [];
  const template = { metadata: { labels: { ...labels } }, spec: podSpec(r, name, images, refs) };
  if (kind === "Deployment") {
    objects.push({ apiVersion: "apps/v1", kind, metadata: meta(name, { ...labels }), spec: { replicas: r.int(1, 3), selector: { matchLabels: { ...labels } }, template } });
  } else if (kind === "StatefulSet") {
    const spec = { serviceName: name, replicas: r.int(1, 3), selector: { matchLabels: { ...labels } }, template };
    if (r.chance(0.5)) spec.volumeClaimTemplates = [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }];
    objects.push({ apiVersion: "apps/v1", kind, metadata: meta(name, { ...labels }), spec });
  } else {
    template.spec.restartPolicy = "OnFailure";
    objects.push({ apiVersion: "batch/v1", kind, metadata: meta(name), spec: { schedule: `${r.int(0, 59)} * * * *`, jobTemplate: { spec: { template } } } });
  }
  if (kind !== "CronJob" && (kind === "StatefulSet" || r.chance(0.7))) {
    const port = template.spec.containers[0].ports ? "http" : 8080;
    objects.push({ apiVersion: "v1", kind: "Service", metadata: meta(name, { ...labels }), spec: { selector: { ...labels }, ports: [{ name: "http", port: 80, targetPort: port }] } });
    if (r.chance(0.25)) {
      const rule = { host: `${name}.example.com`, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { number: 80 } } } }] } };
      const spec = { rules: [rule] };
      if (refs.secret && r.chance(0.5)) spec.tls = [{ hosts: [rule.host], secretName: refs.secret }];
      objects.push({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: meta(name), spec });
    }
  }
  if (kind === "Deployment" && r.chance(0.15)) {
    objects.push({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: meta(name), spec: { scaleTargetRef: { apiVersion: "apps/v1", kind, name }, minReplicas: 1, maxReplicas: r.int(3, 9) } });
  }
  if (kind !== "CronJob" && r.chance(0.1)) {
    objects.push({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta(name), spec: { minAvailable: 1, selector: { matchLabels: { ...labels } } } });
  }
  if (refs.serviceAccount) {
    objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(name) });
    if (r.chance(0.35)) {
      objects.push({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta(`${name}-reader`), rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }] });
      objects.push({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: meta(`${name}-reader`),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${name}-reader` },
        subjects: [{ kind: "ServiceAccount", name }],
      });
    }
  }
  if (refs.pvc) objects.push({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta(refs.pvc), spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } } });
  const configMap = refs.configMap ? { name: refs.configMap, data: { mode: r.pick(["fast", "safe"]), "app.properties": `name=${name}\nport=8080\n` } } : undefined;
  const secret = refs.secret ? { name: refs.secret, data: { password: `pw-${r.hex(8)}`, user: name } } : undefined;
  return { name, kind, images, configMap, secret, objects };
}

/** Objects outside any app: cluster-scoped ones (the namespace transformer skips them) and a custom resource. */
export function extraObjects(r) {
  const out = [];
  if (r.chance(0.15)) out.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: `team-${r.int(1, 9)}` } });
  if (r.chance(0.15)) out.push({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "viewer" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] });
  if (r.chance(0.15)) out.push({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "gadget" }, spec: { size: r.int(1, 5), color: r.pick(["red", "blue"]) } });
  return out;
}

/** A hand-written Deployment manifest (text) for the templates; `extra` is appended to its first container. */
export const DEPLOYMENT = (name, image, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${name}
        image: ${image}
        ports:
        - {name: http, containerPort: 8080}
        env:
        - {name: LOG_LEVEL, value: info}
${extra}`;
