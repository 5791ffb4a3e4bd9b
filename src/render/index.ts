/**
 * Fleetward's Kustomize renderer: `renderKustomization(fs, root, options)` builds a kustomization folder as
 * `kustomize build` does, in process, with every object's source and field origins. See docs/rendering.md.
 */
export * from "./api.js";
export { renderKustomization, DEFAULT_MAX_RESOURCES } from "./render.js";
export { MemoryFs } from "./memory-fs.js";
export { DiskFs } from "./disk-fs.js";
export { RenderError } from "./render-error.js";
export { parseKYaml, stringifyKYaml, stringifyKYamlStream } from "./kyaml.js";
export type { KDocument, KYamlLimits } from "./kyaml.js";
