/**
 * The value transformers of the renderer: `images.ts` (`applyImage`), `replicas.ts` (`applyReplicas`),
 * `replacements.ts` (`loadReplacements`, `applyReplacements`), `vars.ts` (`substituteVars`), and `selector.ts`
 * (resource selection by id patterns and label/annotation selectors, shared with whoever needs it).
 */
export * from "./images.js";
export * from "./replicas.js";
export * from "./replacements.js";
export * from "./vars.js";
export * from "./selector.js";
export { splitDotted, lookupPath } from "./field-path.js";
