/**
 * Kustomization features for generated trees. Each builder takes a layer context and returns the fields it adds to
 * that layer's kustomization (and may add files beside it, e.g. a patch file or a generator's source):
 *
 *   ctx = { r, dir, files, world: { apps, objects }, top }   →   { images: [...] } | { patches: [...] } | …
 *
 * `world` lists what the layers below hold (by the names written in the resource files), so that most patches,
 * replicas and replacements find their target; some deliberately miss.
 */
import YAML from "yaml";
import { imageName } from "./resources.mjs";

const workloads = (w) => w.objects.filter((o) => ["Deployment", "StatefulSet", "CronJob"].includes(o.kind));
const scalable = (w) => w.objects.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind));
const podPath = (o) => (o.kind === "CronJob" ? "/spec/jobTemplate/spec/template/spec" : "/spec/template/spec");

function nest(pointer, leaf) {
  return pointer
    .split("/")
    .filter(Boolean)
    .reduceRight((acc, key) => ({ [key]: acc }), leaf);
}

export function namespace({ r }) {
  return { namespace: r.pick(["prod", "staging", "dev", "team-a", "kube-system"]) };
}

export function namePrefixSuffix({ r }) {
  const out = {};
  if (r.chance(0.7)) out.namePrefix = r.pick(["prod-", "eu1-", "x-", "acme-"]);
  if (!out.namePrefix || r.chance(0.4)) out.nameSuffix = r.pick(["-v2", "-eu", "-blue", "-01"]);
  return out;
}

export function commonLabels({ r }) {
  const labels = { env: r.pick(["prod", "dev"]) };
  if (r.chance(0.4)) labels["app.kubernetes.io/part-of"] = "shop";
  return { commonLabels: labels };
}

export function labels({ r }) {
  const entry = { pairs: { team: r.pick(["payments", "search"]) } };
  if (r.chance(0.5)) entry.includeSelectors = r.chance(0.5);
  if (r.chance(0.5)) entry.includeTemplates = true;
  const out = [entry];
  if (r.chance(0.3)) out.push({ pairs: { tier: "backend" }, includeSelectors: true });
  return { labels: out };
}

export function commonAnnotations({ r }) {
  const a = { "owner.example.com/team": r.pick(["payments", "platform"]) };
  if (r.chance(0.3)) a["note"] = r.pick(["multi\nline", "a: b", "#hash"]);
  return { commonAnnotations: a };
}

export function images({ r, world }) {
  const used = [...new Set(world.apps.flatMap((a) => a.images).map(imageName))];
  const entries = r.sample(used, r.int(1, Math.min(3, used.length))).map((name) => {
    const e = { name };
    const shape = r.int(0, 5);
    if (shape === 0 || shape === 3) e.newName = r.pick(["registry.internal:8443/mirror/" + name.split("/").pop(), "docker.io/evil/app", "ecr.example.com/app"]);
    if (shape === 1 || shape === 3 || shape === 5) e.newTag = r.pick(["v9.9.9", "latest", "2024-01-01", "1.0"]);
    if (shape === 2 || shape === 4 || (shape === 5 && r.chance(0.3))) e.digest = `sha256:${r.hex(64)}`;
    if (shape === 4) e.newName = "mirror.example.com/" + name.split("/").pop();
    return e;
  });
  if (r.chance(0.15)) entries.push({ name: "not-used-anywhere", newTag: "x" });
  return { images: entries };
}

export function replicas({ r, world }) {
  const targets = scalable(world);
  if (targets.length === 0) return {};
  return { replicas: r.sample(targets, r.int(1, 2)).map((o) => ({ name: o.metadata.name, count: r.int(0, 7) })) };
}

/** A strategic-merge patch body for a workload, exercising lists with merge keys and `$patch` directives. */
function smpBody(r, o, withName) {
  const pod = podPath(o).split("/").filter(Boolean);
  const podSpec = pod.reduce((acc, k) => acc?.[k], o);
  const first = podSpec.containers[0];
  const variant = r.int(0, 8);
  let spec;
  if (variant === 0) spec = { containers: [{ name: first.name, env: [{ name: "LOG_LEVEL", value: "trace" }, { name: "NEW_VAR", value: "1" }] }] };
  else if (variant === 1) spec = { containers: [{ name: first.name, image: "patched/image:1.2.3", ports: [{ containerPort: 9090, name: "metrics" }] }] };
  else if (variant === 2) spec = { containers: [{ name: "added-sidecar", image: "envoyproxy/envoy:v1.30" }] };
  else if (variant === 3) spec = { volumes: [{ name: "scratch", emptyDir: {} }], containers: [{ name: first.name, volumeMounts: [{ name: "scratch", mountPath: "/tmp" }] }] };
  else if (variant === 4 && podSpec.containers.length > 1) spec = { containers: [{ name: podSpec.containers[1].name, $patch: "delete" }] };
  else if (variant === 5) spec = { containers: [{ $patch: "replace" }, { name: "only", image: "replaced:1" }] };
  else if (variant === 6) spec = { containers: [{ name: first.name, env: [{ name: "LOG_LEVEL", $patch: "delete" }] }] };
  else if (variant === 7) spec = { securityContext: { runAsNonRoot: true }, nodeSelector: { "kubernetes.io/os": "linux" } };
  else spec = { containers: [{ name: first.name, resources: { limits: { memory: "512Mi" } }, args: null }] };
  const body = { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: withName ? o.metadata.name : "ignored" } };
  if (r.chance(0.3)) body.metadata.annotations = { "patched-by": "smp" };
  if (r.chance(0.2)) body.metadata.labels = { app: null, patched: "true" };
  Object.assign(body, nest(pod.join("/"), spec));
  if (o.kind !== "CronJob" && r.chance(0.3)) body.spec.replicas = r.int(2, 5);
  return body;
}

function jsonOps(r, o) {
  const pod = podPath(o);
  const ops = [];
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) {
    const op = r.int(0, 6);
    if (op === 0) ops.push({ op: "add", path: "/metadata/annotations", value: { "json-patched": "yes" } });
    else if (op === 1) ops.push({ op: "replace", path: `${pod}/containers/0/image`, value: "json/patched:2" });
    else if (op === 2) ops.push({ op: "add", path: `${pod}/containers/0/env/-`, value: { name: "FROM_JSON", value: "1" } });
    else if (op === 3) ops.push({ op: "remove", path: `${pod}/containers/0/env/0` });
    else if (op === 4 && o.kind !== "CronJob") ops.push({ op: "replace", path: "/spec/replicas", value: r.int(1, 9) });
    else if (op === 5) ops.push({ op: "add", path: `${pod}/containers/0/args`, value: ["--json"] });
    else ops.push({ op: "copy", from: `${pod}/containers/0/image`, path: "/metadata/labels/copied" });
  }
  if (r.chance(0.15)) ops.unshift({ op: "test", path: "/kind", value: o.kind });
  return ops;
}

/** A patch target that selects `o` (JSON patches always name the kind: their paths fit one kind only). */
function target(r, o, world, json) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  const app = world.appOf(o);
  const t = r.pick([
    { kind: o.kind, name: o.metadata.name },
    { group, version, kind: o.kind },
    { labelSelector: `app=${app}` },
    { kind: o.kind, name: `${o.metadata.name.slice(0, 2)}.*` },
    { name: `(${o.metadata.name}|nothing-else)` },
    { kind: o.kind, labelSelector: `app in (${app},other)` },
    { kind: o.kind, annotationSelector: "missing-annotation=1" },
  ]);
  return json && !t.kind ? { kind: o.kind, ...t } : t;
}

/** `patches:` entries: strategic merge or JSON 6902, inline or from a file, with or without a target. */
export function patches({ r, world, files, dir }) {
  const ws = workloads(world);
  if (ws.length === 0) return {};
  const out = [];
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) {
    const o = r.pick(ws);
    const json = r.chance(0.35);
    const withTarget = json || r.chance(0.4);
    const body = json ? jsonOps(r, o) : smpBody(r, o, !withTarget);
    const text = YAML.stringify(body);
    const entry = {};
    if (r.chance(0.5)) {
      const file = `patch-${i}-${o.metadata.name}.yaml`;
      files[`${dir}/${file}`] = text;
      entry.path = file;
    } else entry.patch = json && r.chance(0.3) ? JSON.stringify(body) : text;
    if (withTarget) entry.target = target(r, o, world, json);
    if (r.chance(0.1)) entry.options = { allowNameChange: true };
    out.push(entry);
  }
  return { patches: out };
}

/** The deprecated fields `patchesStrategicMerge` (files, or inline) and `patchesJson6902`. */
export function legacyPatches({ r, world, files, dir }) {
  const ws = workloads(world);
  if (ws.length === 0) return {};
  const o = r.pick(ws);
  if (r.chance(0.5)) {
    const file = `smp-${o.metadata.name}.yaml`;
    files[`${dir}/${file}`] = YAML.stringify(smpBody(r, o, true));
    return { patchesStrategicMerge: [r.chance(0.7) ? file : YAML.stringify(smpBody(r, o, true))] };
  }
  const file = `json-${o.metadata.name}.yaml`;
  files[`${dir}/${file}`] = YAML.stringify(jsonOps(r, o));
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  return { patchesJson6902: [{ target: { group, version, kind: o.kind, name: o.metadata.name }, path: file }] };
}

function generatorOptions(r) {
  const o = {};
  if (r.chance(0.3)) o.disableNameSuffixHash = true;
  if (r.chance(0.3)) o.labels = { generated: "true" };
  if (r.chance(0.2)) o.annotations = { "generated-by": "kustomize" };
  if (r.chance(0.15)) o.immutable = true;
  return o;
}

/** A ConfigMap or Secret generator entry made from an app's data: literals, files (`key=path` too) or env files. */
export function generatorEntry(r, source, files, dir, secret) {
  const entry = { name: source.name };
  const keys = Object.keys(source.data);
  const how = r.int(0, 2);
  if (how === 0) entry.literals = keys.map((k) => `${k}=${source.data[k]}`).filter((l) => !l.includes("\n"));
  if (how === 1 || entry.literals?.length === 0) {
    entry.files = keys.map((k, i) => {
      const file = `${source.name}-${i}.txt`;
      files[`${dir}/${file}`] = source.data[k];
      return k === file ? file : `${k}=${file}`;
    });
  }
  if (how === 2) {
    const file = `${source.name}.env`;
    files[`${dir}/${file}`] = keys.filter((k) => !source.data[k].includes("\n")).map((k) => `${k.replace(/\W/g, "_")}=${source.data[k]}`).join("\n") + "\n# comment\n";
    entry.envs = [file];
  }
  if (secret && r.chance(0.3)) entry.type = r.pick(["Opaque", "kubernetes.io/basic-auth"]);
  if (r.chance(0.3)) entry.options = generatorOptions(r);
  return entry;
}

/** Overlay generators on what a base generated: behavior merge/replace, or a new generator (create). */
export function overlayGenerators({ r, world, files, dir }) {
  const out = {};
  const gens = world.generated ?? [];
  const entries = [];
  const g = gens.length > 0 && r.chance(0.75) ? r.pick(gens) : undefined;
  if (g) {
    const behavior = r.pick(["merge", "merge", "replace"]);
    const e = { name: g.name, behavior, literals: [`mode=${r.pick(["merged", "overlay"])}`, `extra=${r.int(1, 99)}`] };
    if (r.chance(0.3)) e.options = { labels: { overlay: "true" } };
    entries.push([g.secret ? "secretGenerator" : "configMapGenerator", e]);
  } else {
    const name = r.pick(["overlay-settings", "feature-flags"]);
    entries.push([r.chance(0.7) ? "configMapGenerator" : "secretGenerator", generatorEntry(r, { name, data: { flag: "on", level: "3" } }, files, dir, false)]);
  }
  for (const [field, e] of entries) (out[field] ??= []).push(e);
  if (r.chance(0.25)) out.generatorOptions = generatorOptions(r);
  return out;
}

/** `replacements:` from a ConfigMap/Service/Deployment field into other objects' fields. */
export function replacements({ r, world }) {
  const cms = world.objects.filter((o) => o.kind === "ConfigMap");
  const ws = workloads(world);
  const svcs = world.objects.filter((o) => o.kind === "Service");
  const out = [];
  if (cms.length > 0 && ws.length > 0) {
    const cm = r.pick(cms);
    const w = r.pick(ws);
    const pod = podPath(w).slice(1).replaceAll("/", ".");
    out.push({
      source: { kind: "ConfigMap", name: cm.metadata.name, fieldPath: "data.mode" },
      targets: [{ select: { kind: w.kind }, fieldPaths: [`${pod.replace(/\.spec$/, "")}.metadata.annotations.mode`], options: { create: true } }],
    });
  }
  if (ws.length > 0 && r.chance(0.6)) {
    const w = r.pick(ws);
    const pod = podPath(w).slice(1).replaceAll("/", ".");
    const c = pod.split(".").reduce((acc, k) => acc[k], w).containers[0];
    const t = { select: { kind: "ConfigMap" }, fieldPaths: ["data.image-tag"], options: { delimiter: ":", index: 1, create: true } };
    if (r.chance(0.3)) t.reject = [{ name: "nothing" }];
    out.push({ source: { kind: w.kind, name: w.metadata.name, fieldPath: `${pod}.containers.[name=${c.name}].image` }, targets: [t] });
  }
  if (svcs.length > 0 && r.chance(0.5)) {
    const s = r.pick(svcs);
    out.push({ source: { kind: "Service", name: s.metadata.name }, targets: [{ select: { kind: "Ingress" }, fieldPaths: ["spec.rules.0.host"], options: { delimiter: ".", index: 0 } }] });
  }
  return out.length > 0 ? { replacements: out } : {};
}

/** `vars:` for the `$(NAME)` references the generated containers' args carry. */
export function vars({ r, world }) {
  const svcs = world.objects.filter((o) => o.kind === "Service");
  const out = [];
  if (svcs.length > 0) out.push({ name: "PEER_HOST", objref: { kind: "Service", name: r.pick(svcs).metadata.name, apiVersion: "v1" }, fieldref: { fieldpath: "metadata.name" } });
  const ws = scalable(world);
  if (ws.length > 0 && r.chance(0.5)) out.push({ name: "PEER_REPLICAS", objref: { kind: ws[0].kind, name: ws[0].metadata.name, apiVersion: "apps/v1" }, fieldref: { fieldpath: "spec.replicas" } });
  return out.length > 0 ? { vars: out } : {};
}

export function sortOptions({ r, world }) {
  if (r.chance(0.5)) return { sortOptions: { order: "fifo" } };
  const kinds = [...new Set(world.objects.map((o) => o.kind))];
  return { sortOptions: { order: "legacy", legacySortOptions: { orderFirst: r.sample(kinds, 2), orderLast: r.sample(kinds, 1) } } };
}

export function buildMetadata({ r }) {
  return { buildMetadata: r.sample(["originAnnotations", "transformerAnnotations"], r.int(1, 2)) };
}
