/**
 * `crds:`: OpenAPI definition files (JSON or YAML, `{ "<type name>": { "Schema": … } }`) whose properties carry
 * Kustomize's extensions: `x-kubernetes-object-ref-api-version`/`-kind` (`-name-key`, default `name`) make a name
 * reference, `x-kubernetes-annotation` an annotations field, `x-kubernetes-label-selector` a labels field,
 * `x-kubernetes-identity` a name-prefix field. The kind is the type name's last `.` segment; `$ref`s are followed.
 */
import type { FieldSpec } from "./fieldspec/fieldspec.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import type { KEntry, Kustomization } from "./kustomization.js";
import type { BuildContext } from "./target.js";
import { at } from "./target.js";
import { emptyTransformerConfig } from "./transformer-config.js";
import type { TransformerConfig } from "./transformer-config.js";

type Defs = Record<string, unknown>;

function propertiesOf(defs: Defs, typeName: string): Record<string, unknown> | undefined {
  const api = defs[typeName];
  if (!isPlainObject(api) || !isPlainObject(api["Schema"])) return undefined;
  const props = api["Schema"]["properties"];
  return isPlainObject(props) ? props : undefined;
}

function load(cfg: TransformerConfig, kind: string, defs: Defs, typeName: string, path: string[], visiting: Set<string>): void {
  const props = propertiesOf(defs, typeName);
  if (!props || visiting.has(typeName)) return;
  visiting.add(typeName);
  for (const [name, prop] of Object.entries(props)) {
    if (!isPlainObject(prop)) continue;
    const spec = (extra: string[] = []): FieldSpec => ({ kind, path: [...path, name, ...extra].join("/") });
    if (typeof prop["x-kubernetes-annotation"] === "string") cfg.commonAnnotations.push(spec());
    if (typeof prop["x-kubernetes-label-selector"] === "string") cfg.commonLabels.push(spec());
    if (typeof prop["x-kubernetes-identity"] === "string") cfg.namePrefix.push(spec());
    const version = prop["x-kubernetes-object-ref-api-version"];
    const refKind = prop["x-kubernetes-object-ref-kind"];
    if (typeof version === "string" && typeof refKind === "string") {
      const nameKey = typeof prop["x-kubernetes-object-ref-name-key"] === "string" ? prop["x-kubernetes-object-ref-name-key"] : "name";
      cfg.nameReference.push({ kind: refKind, version, fieldSpecs: [spec([nameKey])] });
    }
    if (typeof prop["$ref"] === "string") load(cfg, kind, defs, prop["$ref"], [...path, name], visiting);
  }
  visiting.delete(typeName);
}

export function loadCrdConfig(ctx: BuildContext, k: Kustomization, entry: KEntry<string>): TransformerConfig {
  const { docs } = at(entry.at, () => ctx.loader.readYaml(k.dir, entry.value, entry.at));
  const cfg = emptyTransformerConfig();
  for (const d of docs) {
    if (!isPlainObject(d.value)) continue;
    const defs = d.value;
    for (const typeName of Object.keys(defs)) {
      const props = propertiesOf(defs, typeName);
      if (!props || !("kind" in props) || !("apiVersion" in props) || !("metadata" in props)) continue;
      load(cfg, typeName.slice(typeName.lastIndexOf(".") + 1), defs, typeName, [], new Set());
    }
  }
  return cfg;
}
