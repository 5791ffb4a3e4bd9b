/**
 * The field specs a kustomization's transformers use (Kustomize's TransformerConfig): the builtin tables, plus what
 * `configurations:` files add (`namePrefix`, `nameSuffix`, `namespace`, `commonLabels`, `templateLabels`,
 * `commonAnnotations`, `nameReference`, `varReference`, `images`, `replicas`), plus what `crds:` add.
 */
import type { SourcePos } from "./api.js";
import * as T from "./fieldspec/builtin-tables.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import type { FieldSpec, NameBackReference } from "./fieldspec/fieldspec.js";
import { RenderError } from "./render-error.js";

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameBackReference[];
  varReference: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}

const LIST_KEYS = ["namePrefix", "nameSuffix", "namespace", "commonLabels", "templateLabels", "commonAnnotations", "varReference", "images", "replicas"] as const;

let builtin: TransformerConfig | undefined;

/** Kustomize's builtin field specs (one shared value: configs are never changed in place, merges make new ones). */
export function defaultTransformerConfig(): TransformerConfig {
  builtin ??= {
    namePrefix: [...T.NAME_PREFIX_SPECS],
    nameSuffix: [...T.NAME_SUFFIX_SPECS],
    namespace: [...T.NAMESPACE_SPECS],
    commonLabels: [...T.COMMON_LABELS_SPECS],
    templateLabels: [...T.METADATA_LABELS_SPECS],
    commonAnnotations: [...T.COMMON_ANNOTATIONS_SPECS],
    nameReference: T.NAME_REFERENCE_SPECS.map((b) => ({ ...b, fieldSpecs: [...b.fieldSpecs] })),
    varReference: [...T.VAR_REFERENCE_SPECS],
    images: [...T.IMAGES_SPECS],
    replicas: [...T.REPLICAS_SPECS],
  };
  return builtin;
}

function isEmpty(c: TransformerConfig): boolean {
  return LIST_KEYS.every((k) => c[k].length === 0) && c.nameReference.length === 0;
}

export function emptyTransformerConfig(): TransformerConfig {
  return { namePrefix: [], nameSuffix: [], namespace: [], commonLabels: [], templateLabels: [], commonAnnotations: [], nameReference: [], varReference: [], images: [], replicas: [] };
}

/** Kustomize's "effectively equal": same path, and `x`'s group/version/kind are selected by `y`'s non-empty ones. */
function effectivelyEquals(x: FieldSpec, y: FieldSpec): boolean {
  if (x.path !== y.path) return false;
  return (!y.group || y.group === x.group) && (!y.version || y.version === x.version) && (!y.kind || y.kind === x.kind);
}

/**
 * `a` then the specs of `b` that `a` does not already cover, as Kustomize's FsSlice.MergeAll: a spec for all kinds
 * is dropped when `a` has one for some kind with the same path (which is how a `configurations:` file's specs take
 * the place of the builtin ones).
 */
function mergeSpecs(a: readonly FieldSpec[], b: readonly FieldSpec[]): FieldSpec[] {
  const out = [...a];
  for (const s of b) if (!out.some((x) => effectivelyEquals(x, s))) out.push(s);
  return out;
}

/** `a` with `b`'s specs added (duplicates dropped; name references merged per referred kind). */
export function mergeTransformerConfig(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  if (a === b || isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  const out = { ...a };
  for (const key of LIST_KEYS) out[key] = mergeSpecs(a[key], b[key]);
  const refs = a.nameReference.map((r) => ({ ...r, fieldSpecs: [...r.fieldSpecs] }));
  for (const r of b.nameReference) {
    const same = refs.find((x) => (x.group ?? "") === (r.group ?? "") && (x.version ?? "") === (r.version ?? "") && x.kind === r.kind);
    if (same) same.fieldSpecs = mergeSpecs(same.fieldSpecs, r.fieldSpecs);
    else refs.push({ ...r, fieldSpecs: [...r.fieldSpecs] });
  }
  out.nameReference = refs;
  return out;
}

/** A field spec as written in YAML (`path`, `group`, `version`, `kind`, `create`). */
export function parseFieldSpec(raw: unknown, at: SourcePos): FieldSpec {
  if (!isPlainObject(raw) || typeof raw["path"] !== "string") throw new RenderError("render_invalid_fieldspec", "a field spec must be a map with a string 'path'", at);
  const spec: FieldSpec = { path: raw["path"] };
  for (const k of ["group", "version", "kind"] as const) if (typeof raw[k] === "string" && raw[k] !== "") spec[k] = raw[k];
  if (raw["create"] === true) spec.create = true;
  return spec;
}

export function parseFieldSpecs(raw: unknown, at: SourcePos): FieldSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new RenderError("render_invalid_fieldspec", "field specs must be a list", at);
  return raw.map((r) => parseFieldSpec(r, at));
}

/** A `configurations:` file's content as a TransformerConfig. */
export function parseTransformerConfig(raw: unknown, at: SourcePos): TransformerConfig {
  const cfg = emptyTransformerConfig();
  if (raw === null || raw === undefined) return cfg;
  if (!isPlainObject(raw)) throw new RenderError("render_invalid_configuration", "a transformer configuration must be a map", at);
  for (const key of LIST_KEYS) cfg[key] = parseFieldSpecs(raw[key], at);
  const refs = raw["nameReference"];
  if (Array.isArray(refs)) {
    cfg.nameReference = refs.map((r) => {
      if (!isPlainObject(r) || typeof r["kind"] !== "string") throw new RenderError("render_invalid_configuration", "a nameReference entry needs a 'kind'", at);
      const ref: NameBackReference = { kind: r["kind"], fieldSpecs: parseFieldSpecs(r["fieldSpecs"], at) };
      if (typeof r["group"] === "string") ref.group = r["group"];
      if (typeof r["version"] === "string") ref.version = r["version"];
      return ref;
    });
  }
  return cfg;
}
