/**
 * `behavior: merge | replace` of a generator entry whose object already exists (same id) in a base.
 *
 * `mergeGenerated(existing, generated, behavior, existingNeedsHash) → { object, needsHash }`, as Kustomize does it:
 * - both behaviors: the generated object is kept, with the existing object's name and namespace (so a base's
 *   prefix stays) and the existing labels and annotations under its own (its values win);
 * - `merge` also keeps the existing `data` and `binaryData` keys under the generated ones;
 * - the name gets the hash suffix only when both want it (`existingNeedsHash`: the existing object was generated
 *   without `disableNameSuffixHash`; false for an object from a resource file).
 * `create` for an id that exists is a `RenderError` `render_generator_exists`. Pure: the inputs are not changed.
 */
import { RenderError } from "../render-error.js";
import { isPlainObject, type JsonObject } from "../fieldspec/fieldspec.js";
import type { Generated, GenerationBehavior } from "./generate.js";

const mapAt = (object: JsonObject, key: string): JsonObject => (isPlainObject(object[key]) ? object[key] : {});

function setMap(object: JsonObject, key: string, value: JsonObject): void {
  if (Object.keys(value).length > 0) object[key] = value;
  else delete object[key];
}

export function mergeGenerated(
  existing: JsonObject,
  generated: Generated,
  behavior: GenerationBehavior,
  existingNeedsHash: boolean,
): { object: JsonObject; needsHash: boolean } {
  const oldMeta = mapAt(existing, "metadata");
  const object = structuredClone(generated.object);
  const meta = mapAt(object, "metadata");
  if (behavior === "create") {
    throw new RenderError("render_generator_exists", `${String(object["kind"])} ${String(oldMeta["name"])} exists; behavior must be merge or replace`);
  }
  setMap(meta, "labels", { ...mapAt(oldMeta, "labels"), ...mapAt(meta, "labels") });
  setMap(meta, "annotations", { ...mapAt(oldMeta, "annotations"), ...mapAt(meta, "annotations") });
  meta["name"] = oldMeta["name"];
  if (oldMeta["namespace"] === undefined) delete meta["namespace"];
  else meta["namespace"] = oldMeta["namespace"];
  object["metadata"] = meta;
  if (behavior === "merge") {
    for (const key of ["data", "binaryData"]) setMap(object, key, { ...mapAt(existing, key), ...mapAt(object, key) });
  }
  return { object, needsHash: existingNeedsHash && generated.needsHash };
}
