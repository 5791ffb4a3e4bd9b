/**
 * `generators:` and `transformers:` entries: Kustomize's builtin plugins configured by an object with
 * `apiVersion: builtin` (inline YAML, a file in the kustomization's tree, or a folder whose kustomization builds such
 * objects). Any other plugin (exec, container, KRM function, Go plugin) is error `render_unsupported_plugin`.
 */
import type { SourcePos } from "./api.js";
import { emptyAccumulator } from "./accumulator.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import { parseKYaml } from "./kyaml.js";
import { getStringList } from "./kustomization.js";
import type { Kustomization } from "./kustomization.js";
import { RenderError } from "./render-error.js";
import type { JsonObject } from "./resource.js";
import type { BuildContext } from "./target.js";
import { at, buildSubKustomization, resourcesFromFile } from "./target.js";

export interface PluginConfig {
  obj: JsonObject;
  source: SourcePos;
  /** The file that configured it (for origin annotations), repository path. */
  file: string;
  /** The kustomization line of the entry. */
  entryAt: SourcePos;
}

function checkBuiltin(cfg: PluginConfig, field: string): PluginConfig {
  const { obj } = cfg;
  if (obj["apiVersion"] !== "builtin") {
    throw new RenderError(
      "render_unsupported_plugin",
      `'${field}': plugin ${String(obj["apiVersion"])}/${String(obj["kind"])} is not supported (only Kustomize's builtin plugins, apiVersion: builtin; no exec, container or KRM function plugins)`,
      cfg.entryAt,
    );
  }
  return cfg;
}

/** The plugin configuration objects of a kustomization's `generators` or `transformers` list, in order. */
export function loadPluginConfigs(ctx: BuildContext, k: Kustomization, field: "generators" | "transformers"): PluginConfig[] {
  const out: PluginConfig[] = [];
  for (const entry of getStringList(k, field)) {
    const inline = entry.value.includes("\n") || /^\s*(apiVersion|kind):/m.test(entry.value) ? at(entry.at, () => parseKYaml(entry.value, k.file)) : undefined;
    if (inline && inline.length > 0 && inline.every((d) => isPlainObject(d.value) && typeof d.value["kind"] === "string")) {
      for (const d of inline) out.push(checkBuiltin({ obj: d.value as JsonObject, source: entry.at, file: k.file, entryAt: entry.at }, field));
      continue;
    }
    const target = ctx.loader.resolve(k.dir, entry.value, entry.at);
    const resources = target.kind === "file" ? resourcesFromFile(ctx, k, entry) : buildSubKustomization(ctx, target.path, entry.at, false, emptyAccumulator()).resources;
    for (const r of resources) out.push(checkBuiltin({ obj: r.obj, source: r.source, file: r.source.file, entryAt: entry.at }, field));
  }
  return out;
}
