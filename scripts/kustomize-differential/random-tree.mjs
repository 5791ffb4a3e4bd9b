/**
 * A random kustomization tree from a seed: a base (some apps in nested bases, ConfigMaps/Secrets as files or
 * generators), maybe components and a middle overlay, and a top overlay that is built. Each layer picks features
 * with the weights below. Deterministic: randomTree(seed) always returns the same files.
 *
 *   randomTree(7) → { files: { "base/kustomization.yaml": "...", ... }, run: "clusters/eu-1", features: [...] }
 */
import YAML from "yaml";
import * as F from "./features.mjs";
import { rng } from "./prng.mjs";
import { extraObjects, imagePool, makeApp } from "./resources.mjs";

const TOP = [
  ["namespace", 0.5], ["namePrefixSuffix", 0.5], ["commonLabels", 0.3], ["labels", 0.3], ["commonAnnotations", 0.3],
  ["images", 0.5], ["replicas", 0.35], ["patches", 0.55], ["legacyPatches", 0.12], ["overlayGenerators", 0.4],
  ["replacements", 0.2], ["vars", 0.15], ["sortOptions", 0.3],
];
const BASE = [["commonLabels", 0.2], ["labels", 0.15], ["commonAnnotations", 0.2], ["namePrefixSuffix", 0.12], ["images", 0.2], ["replicas", 0.1], ["patches", 0.2]];
const MIDDLE = [["namespace", 0.3], ["commonLabels", 0.2], ["images", 0.4], ["patches", 0.4], ["overlayGenerators", 0.25], ["namePrefixSuffix", 0.25], ["replicas", 0.2]];
/** One kustomization doing everything at once: how transformers of the same layer interact. */
const FLAT = [
  ["namespace", 0.5], ["namePrefixSuffix", 0.6], ["commonLabels", 0.35], ["labels", 0.35], ["commonAnnotations", 0.35],
  ["images", 0.6], ["replicas", 0.5], ["patches", 0.6], ["legacyPatches", 0.2], ["replacements", 0.4], ["vars", 0.3], ["sortOptions", 0.3],
];
const COMPONENT = [["images", 0.5], ["patches", 0.6], ["labels", 0.3], ["overlayGenerators", 0.3], ["commonAnnotations", 0.2]];

/** YAML text of an object as people write it: block style, and flow style (`{app: web}`) for leaf collections. */
function yamlText(value, minDepth = 2) {
  const doc = new YAML.Document(value);
  const scalar = (n) => YAML.isScalar(n) || (YAML.isPair(n) && YAML.isScalar(n.value));
  YAML.visit(doc, {
    Collection(_key, node, path) {
      if (path.filter((p) => YAML.isCollection(p)).length >= minDepth && node.items.every(scalar)) node.flow = true;
    },
  });
  return doc.toString({ indentSeq: false, flowCollectionPadding: false });
}

const docs = (objects) => objects.map((o) => yamlText(o)).join("---\n");

function kustomizationFile(r) {
  return r.pick(["kustomization.yaml", "kustomization.yaml", "kustomization.yaml", "kustomization.yml", "Kustomization"]);
}

function applyFeatures(r, table, ctx, used) {
  const k = {};
  for (const [name, p] of table) {
    if (!r.chance(p)) continue;
    const fields = F[name](ctx);
    if (Object.keys(fields).length === 0) continue;
    used.push(`${ctx.layer}:${name}`);
    for (const [key, value] of Object.entries(fields)) k[key] = Array.isArray(k[key]) ? [...k[key], ...value] : value;
  }
  return k;
}

function writeKustomization(r, files, dir, head, body, component = false) {
  const k = component ? { apiVersion: "kustomize.config.k8s.io/v1alpha1", kind: "Component", ...head, ...body } : { ...head, ...body };
  if (!component && r.chance(0.7)) Object.assign(k, { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", ...k });
  files[`${dir}/${kustomizationFile(r)}`] = yamlText(k, 1);
}

/** The base folder: every app as a file or a nested base, ConfigMaps/Secrets as resources or generators. */
function buildBase(r, files, world, used, table = BASE) {
  const resources = [];
  const generators = { configMapGenerator: [], secretGenerator: [] };
  for (const app of world.apps) {
    const nested = r.chance(0.25);
    const dir = nested ? `base/${app.name}` : "base";
    const objects = [...app.objects];
    const nestedGen = { configMapGenerator: [], secretGenerator: [] };
    for (const [source, secret] of [[app.configMap, false], [app.secret, true]]) {
      if (!source) continue;
      if (r.chance(0.5)) {
        const field = secret ? "secretGenerator" : "configMapGenerator";
        (nested ? nestedGen : generators)[field].push(F.generatorEntry(r, source, files, dir, secret));
        world.generated.push({ name: source.name, secret });
        world.objects.push({ apiVersion: "v1", kind: secret ? "Secret" : "ConfigMap", metadata: { name: source.name } });
      } else {
        const obj = secret
          ? { apiVersion: "v1", kind: "Secret", metadata: { name: source.name }, type: "Opaque", stringData: source.data }
          : { apiVersion: "v1", kind: "ConfigMap", metadata: { name: source.name }, data: source.data };
        objects.push(obj);
        world.objects.push(obj);
      }
    }
    world.objects.push(...app.objects);
    for (const o of objects) world.owner.set(o, app.name);
    if (nested) {
      const split = r.chance(0.5);
      const res = split ? objects.map((o) => `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`) : [`${app.name}.yaml`];
      if (split) objects.forEach((o, i) => (files[`${dir}/${res[i]}`] = yamlText(o)));
      else files[`${dir}/${res[0]}`] = docs(objects);
      const body = Object.fromEntries(Object.entries(nestedGen).filter(([, v]) => v.length > 0));
      writeKustomization(r, files, dir, { resources: res }, body);
      resources.push(app.name);
    } else {
      files[`base/${app.name}.yaml`] = docs(objects);
      resources.push(`${app.name}.yaml`);
    }
  }
  const extras = extraObjects(r);
  if (extras.length > 0) {
    files["base/cluster.yaml"] = docs(extras);
    resources.push("cluster.yaml");
    world.objects.push(...extras);
  }
  const body = applyFeatures(r, table, { r, world, files, dir: "base", layer: table === BASE ? "base" : "flat" }, used);
  for (const [field, list] of Object.entries(generators)) if (list.length > 0) body[field] = list;
  writeKustomization(r, files, "base", { resources: r.sample(resources, resources.length) }, body);
}

/** The apps of a tree, some with `$(VAR)` references in their first container's args, and the world over them. */
function newWorld(r, varsChance) {
  const pool = imagePool(r);
  const apps = r.sample(["web", "api", "worker", "db", "cache", "auth"], r.chance(0.05) ? 3 : r.chance(0.3) ? 2 : 1).map((n) => makeApp(r, n, pool));
  for (const app of apps) {
    const c = app.objects[0].spec.template?.spec.containers[0] ?? app.objects[0].spec.jobTemplate.spec.template.spec.containers[0];
    if (r.chance(varsChance)) c.args = [...(c.args ?? []), "--peer=$(PEER_HOST)", "--replicas=$(PEER_REPLICAS)"];
  }
  const world = { apps, objects: [], generated: [], owner: new Map() };
  world.appOf = (o) => world.owner.get(o) ?? o.metadata.name;
  return world;
}

/** A single folder `base` whose kustomization uses many features at once (`flatTree(seed)` → { files, run, features }). */
export function flatTree(seed) {
  const r = rng(seed);
  const files = {};
  const used = [];
  buildBase(r, files, newWorld(r, 0.4), used, FLAT);
  return { files, run: "base", features: used };
}

export function randomTree(seed) {
  const r = rng(seed);
  const files = {};
  const used = [];
  const world = newWorld(r, 0.25);
  buildBase(r, files, world, used);
  if (r.chance(0.08)) return { files, run: "base", features: used };

  let below = "../../base";
  if (r.chance(0.3)) {
    const dir = "overlays/region";
    const body = applyFeatures(r, MIDDLE, { r, world, files, dir, layer: "middle" }, used);
    writeKustomization(r, files, dir, r.chance(0.1) ? { bases: [below] } : { resources: [below] }, body);
    below = "../../overlays/region";
  }
  const components = [];
  for (const name of r.chance(0.3) ? r.sample(["monitoring", "hardening", "mirror"], r.int(1, 2)) : []) {
    const dir = `components/${name}`;
    const body = applyFeatures(r, COMPONENT, { r, world, files, dir, layer: "component" }, used);
    if (Object.keys(body).length === 0 || r.chance(0.3)) {
      files[`${dir}/extra.yaml`] = yamlText({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `${name}-extra` }, data: { component: name } });
      body.resources = ["extra.yaml"];
    }
    writeKustomization(r, files, dir, {}, body, true);
    components.push(`../../components/${name}`);
  }
  const run = `clusters/${r.pick(["eu-1", "us-2", "ap-3"])}`;
  const body = applyFeatures(r, TOP, { r, world, files, dir: run, layer: "top" }, used);
  const head = { resources: [below] };
  if (components.length > 0) head.components = components;
  writeKustomization(r, files, run, head, body);
  return { files, run, features: used };
}
