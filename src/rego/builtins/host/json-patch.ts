/**
 * `json.patch`: RFC 6902 operations (add, remove, replace, move, copy, test) applied in order to a copy of
 * a document. Paths are JSON pointers ("/a/b", OPA also accepts "a/b") or arrays of segments. A failing
 * operation is a builtin error (the call is undefined unless strict).
 */
import { builtinError, compareJson, isObject, typeError, typeName, type Json } from "./operands.js";
import { RegoSet } from "./rego-set.js";
import { formatValueText } from "./value-text.js";

/** A path segment: a JSON pointer part, an array index, or (into a set) the element itself. */
type Segment = Json;

/** The index of the set element a segment names (-1 when absent). */
function setIndex(set: RegoSet, seg: Segment): number {
  return set.items.findIndex((x) => compareJson(x, seg) === 0);
}

function pointer(p: Json, what: string): Segment[] {
  if (typeof p === "string") {
    if (p === "" || p === "/") return p === "" ? [] : [""];
    return p.replace(/^\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  }
  if (Array.isArray(p)) {
    return p;
  }
  throw builtinError(`json.patch: ${what} must be a string or an array but got ${typeName(p)}`);
}

/** The object key or array index text a segment gives (undefined for a segment that is not a string or number). */
function segText(seg: Segment): string | undefined {
  return typeof seg === "string" || typeof seg === "number" ? String(seg) : undefined;
}

function has(obj: Record<string, Json>, seg: Segment): seg is string | number {
  const k = segText(seg);
  return k !== undefined && Object.prototype.hasOwnProperty.call(obj, k);
}

function pathText(path: readonly Segment[]): string {
  return formatValueText([...path]);
}

function arrayIndex(seg: Segment, length: number, allowEnd: boolean): number {
  const text = segText(seg);
  if (text === undefined) throw builtinError(`json.patch: array index must be a string or number but got ${typeName(seg)}`);
  if (allowEnd && text === "-") return length;
  if (!/^(0|[1-9]\d*)$/.test(text)) throw builtinError(`json.patch: invalid array index ${JSON.stringify(text)}`);
  const i = Number(text);
  if (i > length || (!allowEnd && i === length)) throw builtinError(`json.patch: array index ${i} out of range`);
  return i;
}

function get(doc: Json, path: readonly Segment[]): Json {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(seg, cur.length, false)];
    else if (cur instanceof RegoSet && setIndex(cur, seg) >= 0) cur = seg;
    else if (isObject(cur) && has(cur, seg)) cur = cur[String(seg)];
    else throw builtinError(`json.patch: path ${pathText(path)} does not exist`);
  }
  return cur;
}

/** A copy of `doc` with `change` applied to the container at `path` (which must exist). */
function update(doc: Json, path: readonly Segment[], change: (container: Json, last: Segment) => Json): Json {
  if (path.length === 0) throw builtinError("json.patch: the root cannot be changed this way");
  const [head, ...rest] = path as [Segment, ...Segment[]];
  if (rest.length === 0) return change(doc, head);
  if (Array.isArray(doc)) {
    const i = arrayIndex(head, doc.length, false);
    const copy = [...doc];
    copy[i] = update(doc[i], rest, change);
    return copy;
  }
  if (isObject(doc) && has(doc, head)) {
    return { ...doc, [String(head)]: update(doc[String(head)], rest, change) };
  }
  if (doc instanceof RegoSet) {
    const i = setIndex(doc, head);
    if (i >= 0) return withoutDuplicates(doc.items.map((x, j) => (j === i ? update(x, rest, change) : x)));
  }
  throw builtinError(`json.patch: path ${pathText(path)} does not exist`);
}

function add(doc: Json, path: readonly Segment[], value: Json): Json {
  if (path.length === 0) return value;
  return update(doc, path, (container, last) => {
    if (Array.isArray(container)) {
      const copy = [...container];
      copy.splice(arrayIndex(last, container.length, true), 0, value);
      return copy;
    }
    if (isObject(container)) {
      const k = segText(last);
      if (k === undefined) throw builtinError(`json.patch: object key must be a string but got ${typeName(last)}`);
      return { ...container, [k]: value };
    }
    if (container instanceof RegoSet) {
      // A set element is its own key: the path must name the value added.
      if (compareJson(last, value) !== 0) throw builtinError(`json.patch: set element ${formatValueText(value)} added at key ${formatValueText(last)}`);
      return withoutDuplicates([...container.items, value]);
    }
    throw builtinError(`json.patch: cannot add to ${typeName(container)}`);
  });
}

function remove(doc: Json, path: readonly Segment[]): Json {
  return update(doc, path, (container, last) => {
    if (Array.isArray(container)) {
      const copy = [...container];
      copy.splice(arrayIndex(last, container.length, false), 1);
      return copy;
    }
    if (isObject(container) && has(container, last)) {
      const copy = { ...container };
      delete copy[String(last)];
      return copy;
    }
    if (container instanceof RegoSet && setIndex(container, last) >= 0) {
      return new RegoSet(container.items.filter((_, j) => j !== setIndex(container, last)));
    }
    throw builtinError(`json.patch: path ${pathText(path)} does not exist`);
  });
}

function withoutDuplicates(items: readonly Json[]): RegoSet {
  return new RegoSet(items.filter((x, i) => items.findIndex((y) => compareJson(x, y) === 0) === i));
}

function field(op: Record<string, Json>, key: string): Json {
  if (!Object.prototype.hasOwnProperty.call(op, key)) throw builtinError(`json.patch: operation ${JSON.stringify(op.op)} needs ${JSON.stringify(key)}`);
  return op[key];
}

export function applyJsonPatch(doc: Json, patches: readonly Json[]): Json {
  let out = doc;
  for (const p of patches) {
    if (!isObject(p)) throw typeError(`json.patch: operand 2 must be array of objects but got array containing ${typeName(p)}`);
    const path = pointer(field(p, "path"), "path");
    switch (field(p, "op")) {
      case "add":
        out = add(out, path, field(p, "value"));
        break;
      case "remove":
        out = remove(out, path);
        break;
      case "replace":
        get(out, path);
        out = path.length === 0 ? field(p, "value") : add(remove(out, path), path, field(p, "value"));
        break;
      case "move": {
        const from = pointer(field(p, "from"), "from");
        if (from.length < path.length && from.every((s, i) => (segText(s) ?? s) === (segText(path[i]) ?? path[i]) || compareJson(s, path[i]) === 0)) throw builtinError("json.patch: cannot move a value into one of its children");
        const value = get(out, from);
        out = add(remove(out, from), path, value);
        break;
      }
      case "copy":
        out = add(out, path, get(out, pointer(field(p, "from"), "from")));
        break;
      case "test":
        if (compareJson(get(out, path), field(p, "value")) !== 0) throw builtinError(`json.patch: test failed at ${pathText(path)}`);
        break;
      default:
        throw builtinError(`json.patch: unknown operation ${JSON.stringify(p.op)}`);
    }
  }
  return out;
}
