/**
 * Field specs: which fields of which resources Kustomize's transformers touch (see `fieldspec.ts` for the walking
 * API and `builtin-tables.ts` for Kustomize's builtin tables).
 */
export * from "./fieldspec.js";
export * from "./builtin-tables.js";
