/**
 * A kustomization's transformers, in Kustomize's order: patchesStrategicMerge, patches, namespace, namePrefix and
 * nameSuffix, labels and commonLabels, commonAnnotations, patchesJson6902, replicas, images, replacements; then the
 * builtin transformer plugins of `transformers:`.
 */
import type { Accumulator } from "./accumulator.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import type { FieldSpec } from "./fieldspec/fieldspec.js";
import { getList, getString, getStringMap } from "./kustomization.js";
import type { Kustomization } from "./kustomization.js";
import { applyNameAffix, setMapEntries } from "./meta-transformers.js";
import type { MapEntry } from "./meta-transformers.js";
import { applyNamespace } from "./namespace-transformer.js";
import { applyJson6902Patches, applyPatches, applyStrategicMergePatches } from "./patches-step.js";
import { runPluginTransformers } from "./plugin-transformers.js";
import { RenderError } from "./render-error.js";
import type { BuildContext } from "./target.js";
import { parseFieldSpecs } from "./transformer-config.js";
import type { TransformerConfig } from "./transformer-config.js";
import { applyImages, applyReplacements, applyReplicas } from "./value-transformers.js";

const METADATA_LABELS: FieldSpec = { path: "metadata/labels", create: true };
const isClaimTemplate = (s: FieldSpec): boolean => s.path.startsWith("spec/volumeClaimTemplates");

/** The field specs of one `labels:` entry, as Kustomize builds them. */
export function labelSpecs(entry: Record<string, unknown>, config: TransformerConfig, at: { file: string; line: number }): FieldSpec[] {
  const specs = parseFieldSpecs(entry["fields"], at);
  if (entry["includeSelectors"] === true) return [...specs, ...config.commonLabels];
  if (entry["includeTemplates"] === true) {
    specs.push(...config.templateLabels.filter((s) => !isClaimTemplate(s)));
  }
  if (entry["includeVolumeClaimTemplates"] === true) specs.push(...config.templateLabels.filter(isClaimTemplate));
  specs.push(METADATA_LABELS);
  return specs;
}

function runLabels(k: Kustomization, acc: Accumulator): void {
  for (const e of getList(k, "labels")) {
    if (!isPlainObject(e.value)) throw new RenderError("render_invalid_kustomization", `${k.file}: a labels entry must be a map`, e.at);
    const pairs = e.value["pairs"];
    if (pairs === undefined || pairs === null) continue;
    if (!isPlainObject(pairs)) throw new RenderError("render_invalid_kustomization", `${k.file}: labels 'pairs' must be a map`, e.at);
    const entries: MapEntry[] = Object.entries(pairs).map(([key, value]) => ({ key, value: value === null ? "" : String(value), at: { file: k.file, line: k.doc?.lineOf(`${e.pointer}/pairs/${key}`) ?? e.at.line } }));
    setMapEntries(acc.resources, entries, labelSpecs(e.value, acc.config, e.at));
  }
  setMapEntries(acc.resources, getStringMap(k, "commonLabels"), acc.config.commonLabels);
}

export function runTransformers(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  const track = (kind: string, configured: boolean): void => {
    if (!configured || !ctx.buildMetadata.has("transformerAnnotations")) return;
    for (const r of acc.resources) (r.transformations ??= []).push({ configuredIn: k.file, kind });
  };
  const has = (field: string): boolean => getList(k, field).length > 0;
  applyStrategicMergePatches(ctx, k, acc);
  track("PatchStrategicMergeTransformer", has("patchesStrategicMerge"));
  applyPatches(ctx, k, acc);
  track("PatchTransformer", has("patches"));
  const ns = getString(k, "namespace");
  if (ns) applyNamespace(acc.resources, ns.value, acc.config.namespace, ns.at);
  track("NamespaceTransformer", !!ns?.value);
  const prefix = getString(k, "namePrefix");
  applyNameAffix(acc.resources, "prefix", prefix?.value ?? "", acc.config.namePrefix, prefix?.at);
  track("PrefixTransformer", !!prefix?.value);
  const suffix = getString(k, "nameSuffix");
  applyNameAffix(acc.resources, "suffix", suffix?.value ?? "", acc.config.nameSuffix, suffix?.at);
  track("SuffixTransformer", !!suffix?.value);
  runLabels(k, acc);
  track("LabelTransformer", has("labels") || getStringMap(k, "commonLabels").length > 0);
  const annotations = getStringMap(k, "commonAnnotations");
  setMapEntries(acc.resources, annotations, acc.config.commonAnnotations);
  track("AnnotationsTransformer", annotations.length > 0);
  applyJson6902Patches(ctx, k, acc);
  track("PatchJson6902Transformer", has("patchesJson6902"));
  applyReplicas(k, acc);
  track("ReplicaCountTransformer", has("replicas"));
  applyImages(k, acc);
  track("ImageTagTransformer", has("images"));
  applyReplacements(ctx, k, acc);
  track("ReplacementTransformer", has("replacements"));
  runPluginTransformers(ctx, k, acc);
}
