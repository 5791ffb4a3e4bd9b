/**
 * Builtin transformer plugins listed in `transformers:` (`apiVersion: builtin`), run after the kustomization's own
 * transformers, in order: PrefixSuffixTransformer, PrefixTransformer, SuffixTransformer, LabelTransformer,
 * AnnotationsTransformer, NamespaceTransformer, ImageTagTransformer, ReplicaCountTransformer, ReplacementTransformer. Other kinds are error `render_unsupported_plugin`.
 */
import type { Accumulator } from "./accumulator.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import type { Kustomization } from "./kustomization.js";
import { applyNameAffix, setMapEntries } from "./meta-transformers.js";
import { applyNamespace } from "./namespace-transformer.js";
import { loadPluginConfigs } from "./plugins.js";
import type { PluginConfig } from "./plugins.js";
import { RenderError } from "./render-error.js";
import type { BuildContext } from "./target.js";
import { at } from "./target.js";
import type { Replacement } from "./transformers/replacements.js";
import { applyReplicas } from "./transformers/replicas.js";
import { applyImageEntries, asTargets, imageEntry, runReplacements } from "./value-transformers.js";
import { parseFieldSpecs } from "./transformer-config.js";

const str = (v: unknown): string => (typeof v === "string" ? v : "");

function entries(cfg: PluginConfig, field: string): { key: string; value: string; at: PluginConfig["source"] }[] {
  const m = cfg.obj[field];
  return isPlainObject(m) ? Object.entries(m).map(([key, value]) => ({ key, value: value === null ? "" : String(value), at: cfg.source })) : [];
}

function runOne(cfg: PluginConfig, acc: Accumulator): void {
  const o = cfg.obj;
  const specs = (fallback: Parameters<typeof parseFieldSpecs>[0]) => (o["fieldSpecs"] !== undefined ? parseFieldSpecs(o["fieldSpecs"], cfg.source) : (fallback as never));
  switch (o["kind"]) {
    case "PrefixSuffixTransformer":
      applyNameAffix(acc.resources, "prefix", str(o["prefix"]), specs(acc.config.namePrefix), cfg.source);
      applyNameAffix(acc.resources, "suffix", str(o["suffix"]), specs(acc.config.nameSuffix), cfg.source);
      return;
    case "PrefixTransformer":
      applyNameAffix(acc.resources, "prefix", str(o["prefix"]), specs(acc.config.namePrefix), cfg.source);
      return;
    case "SuffixTransformer":
      applyNameAffix(acc.resources, "suffix", str(o["suffix"]), specs(acc.config.nameSuffix), cfg.source);
      return;
    case "LabelTransformer":
      setMapEntries(acc.resources, entries(cfg, "labels"), specs(acc.config.commonLabels));
      return;
    case "AnnotationsTransformer":
      setMapEntries(acc.resources, entries(cfg, "annotations"), specs(acc.config.commonAnnotations));
      return;
    case "NamespaceTransformer": {
      const meta = isPlainObject(o["metadata"]) ? o["metadata"] : {};
      applyNamespace(acc.resources, str(meta["namespace"]), specs(acc.config.namespace), cfg.source);
      return;
    }
    case "ImageTagTransformer": {
      const image = isPlainObject(o["imageTag"]) ? imageEntry(o["imageTag"]) : { name: "" };
      applyImageEntries(acc.resources, [{ entry: image, at: cfg.source }], specs(acc.config.images));
      return;
    }
    case "ReplicaCountTransformer": {
      const rep = isPlainObject(o["replica"]) ? o["replica"] : {};
      const entry = { name: String(rep["name"] ?? ""), count: rep["count"] as number };
      at(cfg.source, () => applyReplicas(asTargets(acc.resources), entry, specs(acc.config.replicas), (i, p) => (acc.resources[i]!.fieldOrigins[p] = cfg.source)));
      return;
    }
    case "ReplacementTransformer": {
      const list = Array.isArray(o["replacements"]) ? (o["replacements"] as Replacement[]) : [];
      runReplacements(acc.resources, list, [], cfg.source);
      return;
    }
    default:
      throw new RenderError("render_unsupported_plugin", `'transformers': builtin ${String(o["kind"])} is not supported`, cfg.entryAt);
  }
}

export function runPluginTransformers(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  for (const cfg of loadPluginConfigs(ctx, k, "transformers")) runOne(cfg, acc);
}
