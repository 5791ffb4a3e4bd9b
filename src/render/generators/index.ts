/** ConfigMap and Secret generators: `generate.ts` (entries → objects), `merge.ts` (merge/replace), `hash.ts` (the name suffix), `kv.ts` (sources). */
export * from "./generate.js";
export * from "./merge.js";
export * from "./hash.js";
export * from "./kv.js";
