/**
 * `images:` as Kustomize applies one entry: `applyImage(object, image, fieldSpecs = IMAGES_SPECS, onSet?)`.
 *
 * The entry's `name` is an RE2 pattern for the image name (an invalid one matches nothing); an image matches when it
 * is that name, optionally followed by `:tag` and/or `@sha256:digest`. A matching image becomes `newName` (or its
 * own name) with: `newTag` and `digest` when both are given, else `newTag` alone, else `digest` alone, else its own
 * tag plus `tagSuffix` (digest dropped), else its own tag and digest.
 * Where: every `image` of an element of a list called `containers` or `initContainers` anywhere in the object,
 * then every field of `fieldSpecs` (Kustomize's images table plus custom configurations); a field is changed once
 * even when both reach it. CustomResourceDefinitions are left alone (as measured with Kustomize v5.5.0). An image that is not a scalar is a
 * `RenderError` `render_image_not_scalar`. `onSet(pointer)` reports each image field set.
 * `splitImage(image) → { name, tag, digest }` splits `[host[:port]/]path[:tag][@digest]`.
 */
import { RE2JS } from "re2js";
import { IMAGES_SPECS } from "../fieldspec/builtin-tables.js";
import { isPlainObject, pointerToken, visitFieldSpecs, type FieldSpec, type JsonObject } from "../fieldspec/fieldspec.js";
import { RenderError } from "../render-error.js";

export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf("/");
  const offset = slash > 0 ? slash : 0;
  const rest = image.slice(offset);
  const at = rest.indexOf("@");
  const colon = rest.indexOf(":");
  if (at < 0 && colon < 0) return { name: image, tag: "", digest: "" };
  if (at >= 0 && (colon < 0 || at < colon)) {
    return { name: image.slice(0, offset + at), tag: "", digest: image.slice(offset + at + 1) };
  }
  const tagEnd = at >= 0 ? offset + at : image.length;
  return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1, tagEnd), digest: at >= 0 ? image.slice(offset + at + 1) : "" };
}

const matchers = new Map<string, (image: string) => boolean>();

/** `compileMatcher`, memoized per name (one overlay's images: entries run over every object of every render). */
function matcher(name: string): (image: string) => boolean {
  let m = matchers.get(name);
  if (!m) {
    if (matchers.size >= 1024) matchers.clear();
    matchers.set(name, (m = compileMatcher(name)));
  }
  return m;
}

/** Characters that make a name a plain one: with them alone, JavaScript's RegExp matches as RE2 does, in linear time. */
const PLAIN_NAME = /^[A-Za-z0-9_\-/:.]*$/;

function compileMatcher(name: string): (image: string) => boolean {
  const pattern = `^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`;
  if (PLAIN_NAME.test(name)) {
    const re = new RegExp(pattern);
    return (image) => re.test(image);
  }
  try {
    const re = RE2JS.compile(pattern);
    return (image) => re.matcher(image).find(); // the anchors are in the pattern, as Go's MatchString: `a|b` is `^a` or `b…$`
  } catch {
    return () => false; // as current Kustomize: an invalid pattern selects nothing
  }
}

/** The field specs without `create` (images are never created), once per list. */
const lookupOnly = new WeakMap<readonly FieldSpec[], FieldSpec[]>();
function withoutCreate(specs: readonly FieldSpec[]): FieldSpec[] {
  let out = lookupOnly.get(specs);
  if (!out) lookupOnly.set(specs, (out = specs.map((s) => ({ ...s, create: false }))));
  return out;
}

function updated(image: string, entry: ImageEntry): string {
  let { name, tag, digest } = splitImage(image);
  if (entry.newName) name = entry.newName;
  if (entry.newTag && entry.digest) [tag, digest] = [entry.newTag, entry.digest];
  else if (entry.newTag) [tag, digest] = [entry.newTag, ""];
  else if (entry.digest) [tag, digest] = ["", entry.digest];
  else if (entry.tagSuffix) [tag, digest] = [tag + entry.tagSuffix, ""];
  return name + (tag ? `:${tag}` : "") + (digest ? `@${digest}` : "");
}

export function applyImage(
  object: JsonObject,
  entry: ImageEntry,
  fieldSpecs: readonly FieldSpec[] = IMAGES_SPECS,
  onSet?: (pointer: string) => void,
): void {
  const matches = matcher(String(entry.name ?? ""));
  const done = new Set<string>();
  const update = (value: unknown, pointerOf: string | (() => string)): unknown => {
    if (value === undefined || value === null) return undefined;
    const pointer = (): string => (typeof pointerOf === "string" ? pointerOf : pointerOf());
    if (isPlainObject(value) || Array.isArray(value)) {
      throw new RenderError("render_image_not_scalar", `the image at ${pointer()} is not a scalar`);
    }
    const text = String(value);
    if (!matches(text)) return undefined;
    const at = pointer();
    if (done.has(at)) return undefined;
    done.add(at);
    onSet?.(at);
    return updated(text, entry);
  };
  if (object["kind"] === "CustomResourceDefinition") return;
  walkContainers(object, [], update);
  visitFieldSpecs(object, withoutCreate(fieldSpecs), update);
}

/**
 * Every `image` in an element of a `containers` / `initContainers` list, anywhere. `path` is the walk's position
 * (keys and indexes), turned into a JSON pointer only where an image is found.
 */
function walkContainers(node: unknown, path: Array<string | number>, update: (value: unknown, pointer: () => string) => unknown): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      walkContainers(node[i], path, update);
      path.pop();
    }
    return;
  }
  if (!isPlainObject(node)) return;
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (typeof value !== "object" || value === null) continue;
    path.push(key);
    walkContainers(value, path, update);
    if ((key === "containers" || key === "initContainers") && Array.isArray(value)) {
      value.forEach((element, i) => {
        if (!isPlainObject(element) || !Object.hasOwn(element, "image")) return;
        const pointer = (): string => [...path, i, "image"].map((t) => `/${pointerToken(t)}`).join("");
        const next = update(element["image"], pointer);
        if (next !== undefined) element["image"] = next;
      });
    }
    path.pop();
  }
}
