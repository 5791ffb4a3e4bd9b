/**
 * Decodes a data file of a bundle or of `fleetward build`'s paths: `.json` as JSON, `.yaml`/`.yml` as YAML (converted
 * to JSON values as OPA does; aliases capped so a small file cannot expand into a huge document).
 */
import { createRequire } from "node:module";
import { BundleError } from "./bundle-error.js";

const MAX_YAML_ALIASES = 100;

export function isDataFileName(name: string): boolean {
  return /\.(json|ya?ml)$/i.test(name);
}

/** The decoded value; an empty YAML file is `null`. Throws BundleError `bundle_data_invalid` naming `entry`. */
export function decodeDataFile(entry: string, text: string): unknown {
  try {
    if (/\.json$/i.test(entry)) return JSON.parse(text) as unknown;
    // yaml is loaded for the first YAML data file only.
    const { parse: parseYaml } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
    return parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES }) as unknown;
  } catch (e) {
    throw new BundleError("bundle_data_invalid", `cannot decode: ${(e as Error).message.split("\n")[0] ?? ""}`, entry);
  }
}
