/**
 * A kustomization file, read with positions: finding it in a folder (`kustomization.yaml`, `.yml`, `Kustomization`;
 * more than one is an error), checking `apiVersion`/`kind` and unknown fields as Kustomize does, and typed access to
 * its fields where every value keeps the line it is on, so every diagnostic can point at it.
 */
import { KUSTOMIZATION_FILE_NAMES } from "./api.js";
import type { RenderFs, SourcePos } from "./api.js";
import { parseKYamlCached, pointerOf } from "./kyaml.js";
import type { KDocument } from "./kyaml.js";
import { RenderError } from "./render-error.js";
import type { JsonObject } from "./resource.js";

const KNOWN_FIELDS = new Set([
  "apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace", "commonLabels", "labels",
  "commonAnnotations", "patchesStrategicMerge", "patchesJson6902", "patches", "images", "imageTags", "replacements",
  "replicas", "vars", "sortOptions", "resources", "components", "crds", "bases", "configMapGenerator", "secretGenerator",
  "helmGlobals", "helmCharts", "helmChartInflationGenerator", "generatorOptions", "configurations", "generators",
  "transformers", "validators", "buildMetadata",
]);

/** One value of a kustomization with where it is. */
export interface KEntry<T> {
  value: T;
  at: SourcePos;
  /** JSON pointer of the value in the kustomization. */
  pointer: string;
}

export interface Kustomization {
  /** Folder of the kustomization (repository path). */
  dir: string;
  /** The kustomization file (repository path). */
  file: string;
  kind: "Kustomization" | "Component";
  raw: JsonObject;
  doc: KDocument | undefined;
}

/** Where the field at `pointer` of the kustomization is. */
export function posOf(k: Kustomization, pointer: string): SourcePos {
  return { file: k.file, line: k.doc ? k.doc.lineOf(pointer) : 1 };
}

/** The kustomization file of a folder; error `render_missing_kustomization` or `render_multiple_kustomizations`. */
export function findKustomizationFile(fs: RenderFs, dir: string, at?: SourcePos): string {
  const found = KUSTOMIZATION_FILE_NAMES.map((n) => (dir === "" ? n : `${dir}/${n}`)).filter((p) => fs.readFile(p) !== undefined);
  if (found.length === 0) {
    throw new RenderError(
      "render_missing_kustomization",
      `no kustomization file (${KUSTOMIZATION_FILE_NAMES.join(", ")}) in '${dir || "."}'`,
      at ?? { file: dir || ".", line: 1 },
    );
  }
  if (found.length > 1) {
    throw new RenderError("render_multiple_kustomizations", `found multiple kustomization files in '${dir || "."}': ${found.join(", ")}`, { file: found[1]!, line: 1 });
  }
  return found[0]!;
}

/** Reads and checks the kustomization text of `file` (in folder `dir`). */
export function parseKustomization(text: string, file: string, dir: string): Kustomization {
  const docs = parseKYamlCached(text, file, { uniqueKeys: false });
  if (docs.length > 1) throw new RenderError("render_invalid_kustomization", `${file} must hold one YAML document, found ${docs.length}`, { file, line: docs[1]!.line });
  const doc = docs[0];
  const raw = doc?.value ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new RenderError("render_invalid_kustomization", `${file} must be a map of fields`, { file, line: doc?.line ?? 1 });
  }
  const obj = raw as JsonObject;
  const k: Kustomization = { dir, file, kind: "Kustomization", raw: obj, doc };
  for (const key of Object.keys(obj)) {
    if (!KNOWN_FIELDS.has(key)) throw new RenderError("render_unknown_field", `unknown field '${key}' in ${file}`, posOf(k, pointerOf([key])));
  }
  const kind = obj["kind"] ?? "Kustomization";
  const apiVersion = obj["apiVersion"];
  if (kind === "Component") {
    k.kind = "Component";
    if (apiVersion !== undefined && apiVersion !== "kustomize.config.k8s.io/v1alpha1") {
      throw new RenderError("render_invalid_kustomization", `apiVersion for Component should be kustomize.config.k8s.io/v1alpha1, not '${String(apiVersion)}'`, posOf(k, "/apiVersion"));
    }
  } else if (kind === "Kustomization" || kind === "") {
    if (apiVersion !== undefined && apiVersion !== "" && apiVersion !== "kustomize.config.k8s.io/v1beta1") {
      throw new RenderError("render_invalid_kustomization", `apiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1, not '${String(apiVersion)}'`, posOf(k, "/apiVersion"));
    }
  } else {
    throw new RenderError("render_invalid_kustomization", `kind should be Kustomization or Component, not '${String(kind)}'`, posOf(k, "/kind"));
  }
  return k;
}

function typeError(k: Kustomization, pointer: string, what: string): RenderError {
  return new RenderError("render_invalid_kustomization", `${k.file}: '${pointer.slice(1)}' must be ${what}`, posOf(k, pointer));
}

/** A string field (`namePrefix`, `namespace`, …), or undefined. Numbers and booleans read as their text, as Kustomize's YAML→string does. */
export function getString(k: Kustomization, field: string): KEntry<string> | undefined {
  const v = k.raw[field];
  if (v === undefined || v === null) return undefined;
  const pointer = pointerOf([field]);
  if (typeof v === "object") throw typeError(k, pointer, "a string");
  return { value: String(v), at: posOf(k, pointer), pointer };
}

/** A list field, each element with its position; `check` validates an element (throw with its position). */
export function getList(k: Kustomization, field: string): KEntry<unknown>[] {
  const v = k.raw[field];
  if (v === undefined || v === null) return [];
  const pointer = pointerOf([field]);
  if (!Array.isArray(v)) throw typeError(k, pointer, "a list");
  return v.map((value, i) => ({ value, pointer: `${pointer}/${i}`, at: posOf(k, `${pointer}/${i}`) }));
}

/** A list of strings (`resources`, `components`, `crds`, …). */
export function getStringList(k: Kustomization, field: string): KEntry<string>[] {
  return getList(k, field).map((e) => {
    if (typeof e.value !== "string") throw typeError(k, e.pointer, "a string");
    return e as KEntry<string>;
  });
}

/** A map of strings (`commonLabels`, `commonAnnotations`), each value's position by key. */
export function getStringMap(k: Kustomization, field: string): (KEntry<string> & { key: string })[] {
  const v = k.raw[field];
  if (v === undefined || v === null) return [];
  const pointer = pointerOf([field]);
  if (typeof v !== "object" || Array.isArray(v)) throw typeError(k, pointer, "a map of strings");
  return Object.entries(v as JsonObject).map(([key, value]) => {
    const p = `${pointer}/${pointerOf([key]).slice(1)}`;
    if (value !== null && typeof value !== "string") throw typeError(k, p, "a string (quote it: Kustomize reads this map as strings only)");
    return { key, value: value === null ? "" : String(value), pointer: p, at: posOf(k, p) };
  });
}

/** A map field as a plain object, or undefined. */
export function getObject(k: Kustomization, field: string): KEntry<JsonObject> | undefined {
  const v = k.raw[field];
  if (v === undefined || v === null) return undefined;
  const pointer = pointerOf([field]);
  if (typeof v !== "object" || Array.isArray(v)) throw typeError(k, pointer, "a map");
  return { value: v as JsonObject, pointer, at: posOf(k, pointer) };
}
