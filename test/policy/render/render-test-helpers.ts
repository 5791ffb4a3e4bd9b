/**
 * Test helpers for the rendering side of the policy check: a fleet configuration and a stand-in renderer over the
 * resources lists of kustomizations (resources only, files and folders), enough to test roots, affected roots and
 * diffs without the Kustomize implementation. End-to-end tests use the real renderer.
 */
import { parse, parseAllDocuments } from "yaml";
import { loadConfig } from "../../../src/config/load-config.js";
import type { FleetwardConfig } from "../../../src/config/schema.js";
import type { RenderedObject, RenderResult } from "../../../src/render/api.js";
import type { Renderer } from "../../../src/policy/render/render-roots.js";

export function config(text: string): FleetwardConfig {
  const loaded = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] });
  if (loaded.config === undefined) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.config;
}

/** dev and staging environments, and prod with cluster prod-eu-1 (its own folder). */
export const FLEET = `environments:
  - name: dev
    paths: ["envs/dev/**", "apps/dev/**"]
    settings: { policy: { enforcement: warn } }
  - name: staging
    paths: ["envs/staging/**"]
  - name: prod
    paths: ["envs/prod-*/**"]
clusters:
  - name: prod-eu-1
    environment: prod
    paths: ["envs/prod-eu-1/**"]
`;

const join = (dir: string, ref: string) => {
  const out = dir === "" ? [] : dir.split("/");
  for (const s of ref.split("/")) {
    if (s === "..") out.pop();
    else if (s !== "." && s !== "") out.push(s);
  }
  return out.join("/");
};

/** Renders `resources` (files and folders with a kustomization.yaml); a `fail: <code>` key makes the render fail. */
export const standInRenderer: Renderer = (fs, dir) => {
  const files = { get: (p: string) => fs.readFile(p), has: (p: string) => fs.readFile(p) !== undefined };
  const read: string[] = [];
  const objects: RenderedObject[] = [];
  const visit = (d: string): string | undefined => {
    const file = `${d}/kustomization.yaml`;
    const text = files.get(file);
    if (text === undefined) return `no kustomization in ${d}`;
    read.push(file);
    const k = parse(text) as { resources?: string[]; fail?: string };
    if (k.fail !== undefined) return k.fail;
    for (const ref of k.resources ?? []) {
      const path = join(d, ref);
      if (files.has(`${path}/kustomization.yaml`)) {
        const error = visit(path);
        if (error !== undefined) return error;
        continue;
      }
      const resource = files.get(path);
      if (resource === undefined) return `missing ${path}`;
      read.push(path);
      for (const doc of parseAllDocuments(resource)) {
        const line = doc.range[0] === 0 ? 1 : resource.slice(0, doc.range[0]).split("\n").length;
        objects.push({ object: doc.toJS() as Record<string, unknown>, source: { file: path, line }, fieldOrigins: {} });
      }
    }
    return undefined;
  };
  const error = visit(dir);
  const result: RenderResult = { root: dir, ok: error === undefined, objects: error === undefined ? objects : [], diagnostics: [], files: [...new Set(read)].sort(), kustomizationDirs: [dir] };
  if (error !== undefined) result.diagnostics.push({ code: "render_stand_in", severity: "error", message: error, file: `${dir}/kustomization.yaml`, line: 1 });
  return result;
};

export const deployment = (image: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: main
          image: ${image}
`;

export const overlay = (...resources: string[]) => `resources:\n${resources.map((r) => `  - ${r}\n`).join("")}`;

/** base/ and three overlays over it (dev, staging, prod-eu-1), plus a plain manifest outside any kustomization. */
export function repo(image = "good.io/web:1"): Map<string, string> {
  return new Map([
    ["base/kustomization.yaml", overlay("deployment.yaml")],
    ["base/deployment.yaml", deployment(image)],
    ["envs/dev/kustomization.yaml", overlay("../../base")],
    ["envs/staging/kustomization.yaml", overlay("../../base")],
    ["envs/prod-eu-1/kustomization.yaml", overlay("../../base", "extra.yaml")],
    ["envs/prod-eu-1/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n"],
    ["envs/prod-eu-1/patch.yaml", "spec:\n  replicas: 3\n"],
    ["apps/dev/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"],
  ]);
}
