/**
 * A kustomization's generators, in Kustomize's order: `configMapGenerator` entries, `secretGenerator` entries, then
 * builtin generator plugins of `generators:`. Each generated object is absorbed by its behavior (create, merge,
 * replace); its source is the entry's line in the kustomization (or the plugin configuration's document).
 */
import type { SourcePos } from "./api.js";
import { absorbAll } from "./accumulator.js";
import type { Accumulator } from "./accumulator.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import { generateConfigMap, generateSecret } from "./generators/generate.js";
import type { GeneratorArgs, GeneratorOptions } from "./generators/generate.js";
import { getList, getObject } from "./kustomization.js";
import type { Kustomization } from "./kustomization.js";
import { loadPluginConfigs } from "./plugins.js";
import { RenderError } from "./render-error.js";
import { newResource } from "./resource.js";
import type { JsonObject } from "./resource.js";
import type { BuildContext } from "./target.js";
import { at } from "./target.js";

function generate(ctx: BuildContext, k: Kustomization, kind: "ConfigMap" | "Secret", args: JsonObject, global: GeneratorOptions | undefined, pos: SourcePos, acc: Accumulator, origin?: Record<string, unknown>): void {
  const read = (path: string): string => ctx.loader.readRestricted(k.dir, path, pos).text;
  const g = at(pos, () => (kind === "ConfigMap" ? generateConfigMap : generateSecret)(args as GeneratorArgs, global, read));
  const r = newResource(g.object, pos);
  r.generated = { behavior: g.behavior, hash: g.needsHash };
  if (origin) r.origin = origin;
  absorbAll(acc, [r], pos);
}

export function runGenerators(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  const opts = getObject(k, "generatorOptions")?.value as GeneratorOptions | undefined;
  const builtinOrigin = (kind: string): Record<string, unknown> => ({ configuredIn: k.file, configuredBy: { apiVersion: "builtin", kind } });
  for (const [field, kind] of [["configMapGenerator", "ConfigMap"], ["secretGenerator", "Secret"]] as const) {
    for (const e of getList(k, field)) {
      if (!isPlainObject(e.value)) throw new RenderError("render_invalid_kustomization", `${k.file}: a ${field} entry must be a map`, e.at);
      generate(ctx, k, kind, e.value, opts, e.at, acc, builtinOrigin(`${kind}Generator`));
    }
  }
  for (const cfg of loadPluginConfigs(ctx, k, "generators")) {
    const kind = cfg.obj["kind"];
    if (kind !== "ConfigMapGenerator" && kind !== "SecretGenerator") {
      throw new RenderError("render_unsupported_plugin", `'generators': builtin ${String(kind)} is not a generator Fleetward supports (ConfigMapGenerator, SecretGenerator)`, cfg.entryAt);
    }
    const meta = isPlainObject(cfg.obj["metadata"]) ? cfg.obj["metadata"] : {};
    const args: JsonObject = { ...cfg.obj };
    if (!args["name"]) args["name"] = meta["name"];
    if (!args["namespace"] && meta["namespace"]) args["namespace"] = meta["namespace"];
    const origin = { configuredIn: cfg.file, configuredBy: { apiVersion: "builtin", kind, name: meta["name"] } };
    generate(ctx, k, kind === "ConfigMapGenerator" ? "ConfigMap" : "Secret", args, undefined, cfg.source, acc, origin);
  }
}
