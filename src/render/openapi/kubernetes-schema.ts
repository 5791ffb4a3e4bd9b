/**
 * The Kubernetes OpenAPI description Kustomize embeds (v1.21.2), committed under `data/kubernetes-openapi/` of the
 * package (see its README for source and license), as a merge schema.
 *
 *   kubernetesMergeSchema(): MergeSchema      read, gunzipped and indexed once per process (≈ 30 ms), then cached
 *   kubernetesOpenApiPath(): string           where the committed file is (from `src/` or `dist/src/`)
 *
 * The only file access of the patch layer; everything else takes the schema as an argument.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { RenderError } from "../render-error.js";
import { createMergeSchema, type MergeSchema, type OpenApiDocument } from "./merge-schema.js";

export const KUBERNETES_OPENAPI_FILE = "kubernetes-openapi-v1.21.2.json.gz";

/** The committed OpenAPI file of the package this module belongs to. */
export function kubernetesOpenApiPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "data", "kubernetes-openapi", KUBERNETES_OPENAPI_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new RenderError("render_openapi_missing", `cannot locate Fleetward's data/kubernetes-openapi/${KUBERNETES_OPENAPI_FILE}`);
    }
    dir = parent;
  }
}

let cached: MergeSchema | undefined;

/** Kubernetes' merge schema (cached for the process). */
export function kubernetesMergeSchema(): MergeSchema {
  cached ??= createMergeSchema(JSON.parse(gunzipSync(readFileSync(kubernetesOpenApiPath())).toString("utf8")) as OpenApiDocument);
  return cached;
}
