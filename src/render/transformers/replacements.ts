/**
 * `replacements:` as Kustomize applies them: copy one field of one resource into fields of others.
 *
 * - `loadReplacements(entries, readFile, yamlDocs) → Replacement[]`: the kustomization's entries, where an entry
 *   `{path: file}` stands for the replacement (or list of replacements) in that file; `readFile(path)` is the
 *   caller's reader (undefined: `render_missing_file`), `yamlDocs(text, path)` its YAML parser (Kustomize's
 *   dialect: `parseKYaml` values).
 * - `applyReplacements(resources, replacements, onSet?)`: in order, each replacement reads its source and writes
 *   every target, mutating `resources[i].object`. `onSet(resourceIndex, pointer, replacementIndex)` reports each
 *   field written.
 *   Source: exactly one resource whose current or previous id matches `group/version/kind/name/namespace` exactly;
 *   `fieldPath` (default `metadata.name`) must hold a non-empty value; `options.delimiter` + `options.index` pick
 *   one piece of it. Targets: `select` (RE2 patterns, label/annotation selectors; a resource is taken once when
 *   any of its ids is selected and that id is not rejected), `reject` (a list of selectors), `fieldPaths` (default
 *   `metadata.name`) with `*`, `[key=regex]` and indexes; a path reaching no field is an error unless
 *   `options.create` (see `matchPath`). The source field is read again for every field written, as Kustomize
 *   holds the source node itself: writing the source field changes what later targets get. A scalar field keeps its type (the text is decoded as that type); a map or list field is
 *   replaced by a copy of the source value. `options.delimiter` puts the value at piece `index` of the target's
 *   text (before the first when negative, after the last when beyond).
 * Errors: `RenderError` `render_replacement` (bad entry, no or several sources, missing field),
 * `render_replacement_type`, `render_replacement_path`, `render_selector_invalid`, `render_missing_file`.
 */
import { isPlainObject, type JsonObject } from "../fieldspec/fieldspec.js";
import { RenderError } from "../render-error.js";
import { lookupPath, matchPath, splitDotted } from "./field-path.js";
import { inAnnotations, resolvePlain, retype, scalarText } from "./scalar.js";
import { compileSelector, idsOf, type ResIdLike, type ResourceSelector, type TargetResource } from "./selector.js";

export interface FieldOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

export interface SourceSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  fieldPath?: string;
  options?: FieldOptions;
}

export interface TargetSelector {
  select?: ResourceSelector;
  reject?: ResourceSelector[];
  fieldPaths?: string[];
  options?: FieldOptions;
}

export interface Replacement {
  source?: SourceSelector;
  targets?: TargetSelector[];
}

const DEFAULT_FIELD_PATH = "metadata.name";
const fail = (message: string): RenderError => new RenderError("render_replacement", message);

export function loadReplacements(
  entries: readonly unknown[],
  readFile: (path: string) => string | undefined,
  yamlDocs: (text: string, path: string) => unknown[],
): Replacement[] {
  return entries.flatMap((entry) => {
    if (!isPlainObject(entry)) throw fail("a replacement must be a map");
    if (entry["path"] === undefined) return [entry as Replacement];
    if (typeof entry["path"] !== "string" || entry["source"] !== undefined || entry["targets"] !== undefined) {
      throw fail("a replacement is either a 'path' to a file or a 'source' with 'targets', not both");
    }
    const text = readFile(entry["path"]);
    if (text === undefined) throw new RenderError("render_missing_file", `replacement file '${entry["path"]}' not found`);
    return yamlDocs(text, entry["path"]).flatMap((doc) => (Array.isArray(doc) ? doc : [doc])) as Replacement[];
  });
}

export function applyReplacements(
  resources: readonly TargetResource[],
  replacements: readonly Replacement[],
  onSet?: (resourceIndex: number, pointer: string, replacementIndex: number) => void,
): void {
  replacements.forEach((r, ri) => {
    if (!isPlainObject(r.source) || !Array.isArray(r.targets)) throw fail("replacements must specify a source and at least one target");
    checkShape(r);
    const read = sourceReader(resources, r.source);
    read();
    for (const target of r.targets) {
      if (!isPlainObject(target) || !isPlainObject(target.select)) throw fail("target must specify resources to select");
      const selected = selectTargets(resources, target);
      for (const i of selected) {
        writeTarget(resources[i]!.object, read, target, (pointer) => onSet?.(i, pointer, ri));
      }
    }
  });
}

const SELECTOR_FIELDS = ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"];

/** Strings where Kustomize has strings, lists where it has lists: a wrong shape is an error, never a crash. */
function checkShape(r: Replacement): void {
  const strings = (o: unknown, fields: readonly string[], where: string): void => {
    if (o === undefined || o === null) return;
    if (!isPlainObject(o)) throw fail(`${where} must be a map`);
    for (const f of fields) if (o[f] !== undefined && o[f] !== null && typeof o[f] !== "string") throw fail(`${where}.${f} must be a string`);
  };
  const options = (o: unknown, where: string): void => {
    if (o === undefined || o === null) return;
    if (!isPlainObject(o)) throw fail(`${where} must be a map`);
    if (o["delimiter"] !== undefined && typeof o["delimiter"] !== "string") throw fail(`${where}.delimiter must be a string`);
    if (o["index"] !== undefined && !Number.isInteger(o["index"])) throw fail(`${where}.index must be an integer`);
    if (o["create"] !== undefined && typeof o["create"] !== "boolean") throw fail(`${where}.create must be true or false`);
  };
  strings(r.source, [...SELECTOR_FIELDS, "fieldPath"], "source");
  options(r.source?.options, "source.options");
  r.targets!.forEach((t, i) => {
    if (!isPlainObject(t)) throw fail(`targets[${i}] must be a map`);
    strings(t.select, SELECTOR_FIELDS, `targets[${i}].select`);
    if (t.reject !== undefined && !Array.isArray(t.reject)) throw fail(`targets[${i}].reject must be a list`);
    (t.reject ?? []).forEach((x, j) => strings(x, SELECTOR_FIELDS, `targets[${i}].reject[${j}]`));
    if (t.fieldPaths !== undefined && !(Array.isArray(t.fieldPaths) && t.fieldPaths.every((p) => typeof p === "string"))) {
      throw fail(`targets[${i}].fieldPaths must be a list of strings`);
    }
    options(t.options, `targets[${i}].options`);
  });
}

function idSelected(id: ResIdLike, s: SourceSelector): boolean {
  return (
    (!s.group || s.group === id.group) &&
    (!s.version || s.version === id.version) &&
    (!s.kind || s.kind === id.kind) &&
    (!s.name || s.name === id.name) &&
    (!s.namespace || s.namespace === (id.namespace || "default") || (s.namespace === "default" && id.namespace === ""))
  );
}

function describe(s: SourceSelector): string {
  return ["group", "version", "kind", "name", "namespace"]
    .filter((k) => s[k as keyof SourceSelector])
    .map((k) => `${k}=${String(s[k as keyof SourceSelector])}`)
    .join(" ");
}

/**
 * Reads the source field each time it is called: Kustomize holds the source node itself, so a target that is the
 * source field (or shares it) changes what later targets receive. A piece cut by `options.delimiter` is a copy.
 */
function sourceReader(resources: readonly TargetResource[], source: SourceSelector): () => unknown {
  const matches = resources.filter((r) => idsOf(r).some((id) => idSelected(id, source)));
  if (matches.length > 1) throw fail(`multiple matches for replacement source ${describe(source)}`);
  if (matches.length === 0) throw fail(`nothing selected by replacement source ${describe(source)}`);
  const fieldPath = source.fieldPath || DEFAULT_FIELD_PATH;
  const parts = splitDotted(fieldPath);
  const live = (): unknown => {
    const value = lookupPath(matches[0]!.object, parts);
    const empty = value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);
    if (empty) throw fail(`fieldPath \`${fieldPath}\` is missing for replacement source ${describe(source)}`);
    return value;
  };
  const options = source.options;
  if (!options?.delimiter) return live;
  const value = live();
  if (isPlainObject(value) || Array.isArray(value)) throw fail("delimiter option can only be used with scalar nodes");
  const pieces = scalarText(value).split(options.delimiter);
  const index = options.index ?? 0;
  if (index < 0 || index >= pieces.length) throw fail(`options.index ${index} is out of bounds for value ${scalarText(value)}`);
  return () => pieces[index];
}

function selectTargets(resources: readonly TargetResource[], target: TargetSelector): number[] {
  const select = compileSelector(target.select!);
  const rejects = (target.reject ?? []).map((r) => ({
    byLabels: Boolean(r.labelSelector || r.annotationSelector),
    byId: Boolean(r.group || r.version || r.kind || r.name || r.namespace),
    labels: compileSelector({ labelSelector: r.labelSelector, annotationSelector: r.annotationSelector }),
    id: compileSelector({ group: r.group, version: r.version, kind: r.kind, name: r.name, namespace: r.namespace }),
  }));
  const out: number[] = [];
  resources.forEach((r, i) => {
    const ids = idsOf(r);
    if (!ids.some((id) => select(id, r.object))) return;
    if (rejects.some((x) => x.byLabels && x.labels(ids[0]!, r.object))) return;
    if (!ids.some((id) => rejects.some((x) => x.byId && x.id(id, r.object)))) out.push(i);
  });
  return out;
}

function writeTarget(object: JsonObject, read: () => unknown, target: TargetSelector, onSet: (pointer: string) => void): void {
  const options = target.options ?? {};
  for (const fieldPath of target.fieldPaths?.length ? target.fieldPaths : [DEFAULT_FIELD_PATH]) {
    const parts = splitDotted(fieldPath);
    let found = false;
    const write = (current: unknown, set: (v: unknown) => void, pointer: string): void => {
      found = true;
      set(newValue(current, read(), options, fieldPath, pointer));
      onSet(pointer);
    };
    matchPath(object, parts, write, options.create === true);
    if (!found) throw fail(`unable to find field "${fieldPath}" in replacement target`);
  }
}

function newValue(current: unknown, value: unknown, options: FieldOptions, fieldPath: string, pointer: string): unknown {
  const isNode = (v: unknown): boolean => isPlainObject(v) || Array.isArray(v);
  // A created field is made of the source's kind (a map for a map), as Kustomize creates it.
  const scalarTarget = !isNode(current === undefined ? value : current);
  let text = scalarText(value);
  if (options.delimiter) {
    if (!scalarTarget) throw fail("delimiter option can only be used with scalar nodes");
    const pieces = scalarText(current).split(options.delimiter);
    const index = options.index ?? 0;
    if (index < 0) pieces.unshift(text);
    else if (index >= pieces.length) pieces.push(text);
    else pieces[index] = text;
    text = pieces.join(options.delimiter);
  } else if (!scalarTarget) {
    return structuredClone(value);
  }
  // An existing scalar takes the source's text (a map's or list's text is "", as in Kustomize), in its own type.
  if (current !== undefined) return retype(text, current, `replacement target ${fieldPath}`);
  // A created field: Kustomize writes the text as a plain scalar, read back by YAML's rules; annotations stay strings.
  if (inAnnotations(pointer)) return text;
  return text === "" ? "" : resolvePlain(text);
}
