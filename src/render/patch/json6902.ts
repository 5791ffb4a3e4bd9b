/**
 * JSON patch (RFC 6902) as Kustomize applies it (evanphx/json-patch v4), verified against kustomize v5.5.0:
 *
 *   parseJson6902(text, file): Json6902Patch
 *       the operations of a patch text (a YAML or JSON list of maps, read as YAML 1.1 as Kustomize does); error
 *       `render_json6902_invalid` with the file and line
 *   applyJson6902(target, patch, options?): Record<string, unknown>
 *       a new object (the target is not changed); `patch` is a parsed Json6902Patch or a plain list of operations;
 *       error `render_json6902_failed` naming the operation's index, op and path (and file:line when parsed)
 *
 * RFC 6901 pointers with `~0`/`~1`; `-` appends (add, move and copy targets); as in json-patch v4: a negative index
 * counts from the end, a leading `0` is allowed (`01` is 1), a path without its leading `/` loses its first segment,
 * `replace` of a missing object key adds it, `copy` of a missing key and `add` without a value write null, `test` of
 * a missing key against null passes, `test` compares types strictly (`"1"` is not `1`), `replace` and `test` of ""
 * apply to the whole object.
 *
 * `options.onSet(pointer)` is called with the final pointer of every value add/replace/move/copy wrote.
 */
import { RenderError } from "../render-error.js";
import { LineCounter, isSeq, parseAllDocuments } from "yaml";
import { pointerOf } from "../kyaml.js";
import { cloneJson, isMap, type Json, type JsonMap } from "./kyaml-lists.js";

export interface Json6902Operation {
  op?: unknown;
  path?: unknown;
  from?: unknown;
  value?: unknown;
}

export interface Json6902Patch {
  operations: Json6902Operation[];
  /** The file the operations came from, and each operation's line, for errors. */
  file?: string;
  lines?: number[];
}

export interface Json6902Options {
  onSet?: (pointer: string) => void;
}

const MAX_PATCH_BYTES = 1024 * 1024;

/**
 * Kustomize reads a JSON patch with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1: `yes` is true, `0777` octal), not with
 * the go-yaml v3 dialect of resources, so the operations are parsed as YAML 1.1 here.
 */
export function parseJson6902(text: string, file: string): Json6902Patch {
  const invalid = (message: string, line: number): never => {
    throw new RenderError("render_json6902_invalid", `${file}: ${message}`, { file, line });
  };
  if (Buffer.byteLength(text, "utf8") > MAX_PATCH_BYTES) invalid(`a JSON patch may have at most ${MAX_PATCH_BYTES} bytes`, 1);
  if (text.trimStart().startsWith("[")) {
    // Kustomize decodes a patch that starts with '[' as JSON, not YAML (`[{op: add}]` is not a JSON patch there)
    try {
      JSON.parse(text);
    } catch (e) {
      invalid(`a patch starting with '[' must be JSON: ${(e as Error).message}`, 1);
    }
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { version: "1.1", lineCounter, uniqueKeys: false });
  if (!Array.isArray(docs) || docs.length !== 1) return invalid("a JSON patch must be one YAML or JSON document", 1);
  const doc = docs[0]!;
  const error = doc.errors[0];
  if (error) invalid(error.message.split("\n")[0] ?? "invalid YAML", lineCounter.linePos(error.pos[0]).line);
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    invalid((e as Error).message, 1);
  }
  if (!Array.isArray(value) || !isSeq(doc.contents)) return invalid("a JSON patch must be a list of operations", lineAt(doc.contents?.range?.[0]));
  const items = doc.contents.items as { range?: [number, number, number] }[];
  const lines = value.map((_, i) => lineAt(items[i]?.range?.[0]));
  value.forEach((op, i) => {
    if (!isMap(op) || typeof op["op"] !== "string") invalid(`JSON patch operation ${i} must be a map with an "op"`, lines[i] ?? 1);
  });
  return { operations: value as Json6902Operation[], file, lines };
}

class OpError extends Error {}

export function applyJson6902(
  target: Record<string, unknown>,
  patch: Json6902Patch | readonly Json6902Operation[],
  options: Json6902Options = {},
): Record<string, unknown> {
  const parsed: Json6902Patch = Array.isArray(patch) ? { operations: [...patch] } : (patch as Json6902Patch);
  const doc = new Doc(cloneJson(target));
  parsed.operations.forEach((operation, index) => {
    try {
      const written = doc.apply(operation);
      if (written !== undefined) options.onSet?.(written);
    } catch (e) {
      if (!(e instanceof OpError) && !(e instanceof RenderError)) throw e;
      const line = parsed.lines?.[index];
      const at = parsed.file !== undefined && line !== undefined ? { file: parsed.file, line } : undefined;
      const what = `${String(operation.op)} ${typeof operation.path === "string" ? operation.path : ""}`.trim();
      const code = e instanceof RenderError ? e.code : "render_json6902_failed";
      throw new RenderError(code, `JSON patch operation ${index} (${what}): ${e.message}`, at);
    }
  });
  if (!isMap(doc.root)) throw new RenderError("render_json6902_failed", "JSON patch: the result is not an object");
  return doc.root;
}

interface Location {
  container: JsonMap | Json[];
  key: string;
  segments: string[];
}

/** A document under patch; every method throws OpError with json-patch's message. */
class Doc {
  constructor(public root: Json) {}

  apply(operation: Json6902Operation): string | undefined {
    const op = String(operation.op);
    if (!["add", "remove", "replace", "move", "copy", "test"].includes(op)) throw new OpError(`Unexpected kind: ${op}`);
    const path = operation.path;
    if (typeof path !== "string") throw new OpError(`${op} operation failed to decode path: missing value`);
    const value = operation.value === undefined ? null : operation.value;
    switch (op) {
      case "add":
        if (path === "") return this.setRoot(value);
        return this.add(this.locate(path, `add operation does not apply: doc is missing path: "${path}": missing value`), cloneJson(value), path);
      case "remove":
        this.remove(this.locate(path, `remove operation does not apply: doc is missing path: "${path}": missing value`), path);
        return undefined;
      case "replace":
        if (path === "") return this.setRoot(value);
        return this.replace(this.locate(path, `replace operation does not apply: doc is missing path: ${path}: missing value`), cloneJson(value), path);
      case "test":
        return this.test(path, value);
      default:
        return this.moveOrCopy(op, operation.from, path);
    }
  }

  private setRoot(value: Json): string {
    this.root = cloneJson(value);
    return "";
  }

  /** The container of the path's last segment (json-patch's findObject). */
  private locate(path: string, missing: string): Location {
    const split = path.split("/");
    if (split.length < 2) throw new OpError(missing);
    const segments = split.slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const key = segments[segments.length - 1] ?? "";
    let container: Json = this.root;
    const resolved: string[] = [];
    for (const part of segments.slice(0, -1)) {
      const next = this.child(container, part);
      if (next === undefined || next.value === null || typeof next.value !== "object") throw new OpError(missing);
      resolved.push(next.key);
      container = next.value;
    }
    if (container === null || typeof container !== "object") throw new OpError(missing);
    return { container: container as JsonMap | Json[], key, segments: resolved };
  }

  private child(container: Json, part: string): { key: string; value: Json } | undefined {
    if (Array.isArray(container)) {
      const i = arrayIndex(part, container.length);
      return i === undefined || i >= container.length ? undefined : { key: String(i), value: container[i] };
    }
    if (isMap(container) && Object.hasOwn(container, part)) return { key: part, value: container[part] };
    return undefined;
  }

  private add(loc: Location, value: Json, path: string): string {
    const { container, key } = loc;
    if (!Array.isArray(container)) {
      container[key] = value;
      return pointerOf([...loc.segments, key]);
    }
    if (key === "-") {
      container.push(value);
      return pointerOf([...loc.segments, container.length - 1]);
    }
    const parsed = goAtoi(key);
    if (parsed === undefined) throw new OpError(`error in add for path: '${path}': strconv.Atoi: parsing "${key}": invalid syntax`);
    let i = parsed;
    const size = container.length + 1;
    if (i >= size || i < -size) throw new OpError(`error in add for path: '${path}': Unable to access invalid index: ${parsed}: invalid index referenced`);
    if (i < 0) i += size;
    container.splice(i, 0, value);
    return pointerOf([...loc.segments, i]);
  }

  /** `path` is what errors name: the op's path (remove) or, as json-patch does for move, the source's last segment. */
  private remove(loc: Location, path: string): Json {
    const verb = path === loc.key ? "move" : "remove";
    const { container, key } = loc;
    if (!Array.isArray(container)) {
      if (!Object.hasOwn(container, key)) throw new OpError(`error in ${verb} for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
      const removed = container[key];
      delete container[key];
      return removed;
    }
    if (goAtoi(key) === undefined) throw new OpError(`error in ${verb} for path: '${path}': strconv.Atoi: parsing "${key}": invalid syntax`);
    const i = arrayIndex(key, container.length);
    if (i === undefined || i >= container.length) throw new OpError(`error in ${verb} for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`);
    return container.splice(i, 1)[0];
  }

  private replace(loc: Location, value: Json, path: string): string {
    const { container, key } = loc;
    if (!Array.isArray(container)) {
      container[key] = value;
      return pointerOf([...loc.segments, key]);
    }
    const i = arrayIndex(key, container.length);
    if (i === undefined || i >= container.length) throw new OpError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    container[i] = value;
    return pointerOf([...loc.segments, i]);
  }

  /** The value at a location: null for a missing object key (as json-patch v4), an error for a bad list index. */
  private get(loc: Location, verb: string, path: string, role = "path"): Json {
    const found = this.child(loc.container, loc.key);
    if (found !== undefined) return found.value;
    if (!Array.isArray(loc.container)) return null;
    if (goAtoi(loc.key) === undefined) throw new OpError(`error in ${verb} for ${role}: '${path}': strconv.Atoi: parsing "${loc.key}": invalid syntax`);
    throw new OpError(`error in ${verb} for ${role}: '${path}': Unable to access invalid index: ${loc.key}: invalid index referenced`);
  }

  private test(path: string, expected: Json): undefined {
    const actual = path === "" ? this.root : this.get(this.locate(path, `test operation does not apply: is missing path: ${path}: missing value`), "test", path);
    if (!deepEqual(actual ?? null, expected)) throw new OpError(`testing value ${path} failed: test failed`);
    return undefined;
  }

  private moveOrCopy(op: string, from: unknown, path: string): string {
    if (typeof from !== "string") throw new OpError(`${op} operation failed to decode from: missing value`);
    const source = this.locate(from, `${op} operation does not apply: doc is missing from path: ${from}: missing value`);
    let value: Json;
    if (op === "move") {
      value = this.remove(source, source.key);
    } else {
      value = cloneJson(this.get(source, "copy", from, "from"));
    }
    const dest = this.locate(path, `${op} operation does not apply: doc is missing destination path: ${path}: missing value`);
    return this.add(dest, value, path);
  }
}

/** Go's strconv.Atoi (decimal, optional sign, leading zeros allowed). */
function goAtoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** An index of an existing element, negative counting from the end; undefined when not a number or below the start. */
function arrayIndex(part: string, length: number): number | undefined {
  const n = goAtoi(part);
  if (n === undefined) return undefined;
  if (n < 0) return n < -length ? undefined : n + length;
  return n;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
