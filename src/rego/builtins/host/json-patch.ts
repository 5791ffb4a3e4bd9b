/**
 * `json.patch`: RFC 6902 operations (add, remove, replace, move, copy, test) applied in order to a copy of
 * a document. Paths are JSON pointers ("/a/b", OPA also accepts "a/b") or arrays of segments. A failing
 * operation is a builtin error (the call is undefined unless strict).
 */
import { builtinError, compareJson, isObject, typeError, typeName, type Json } from "./operands.js";

type Segment = string | number;

function pointer(p: Json, what: string): Segment[] {
  if (typeof p === "string") {
    if (p === "" || p === "/") return p === "" ? [] : [""];
    return p.replace(/^\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  }
  if (Array.isArray(p)) {
    return p.map((s) => {
      if (typeof s === "string" || typeof s === "number") return s;
      throw builtinError(`json.patch: ${what} segment must be a string or number but got ${typeName(s)}`);
    });
  }
  throw builtinError(`json.patch: ${what} must be a string or an array but got ${typeName(p)}`);
}

function arrayIndex(seg: Segment, length: number, allowEnd: boolean): number {
  const text = String(seg);
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
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, String(seg))) cur = cur[String(seg)];
    else throw builtinError(`json.patch: path ${JSON.stringify(path)} does not exist`);
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
  if (isObject(doc) && Object.prototype.hasOwnProperty.call(doc, String(head))) {
    return { ...doc, [String(head)]: update(doc[String(head)], rest, change) };
  }
  throw builtinError(`json.patch: path ${JSON.stringify(path)} does not exist`);
}

function add(doc: Json, path: readonly Segment[], value: Json): Json {
  if (path.length === 0) return value;
  return update(doc, path, (container, last) => {
    if (Array.isArray(container)) {
      const copy = [...container];
      copy.splice(arrayIndex(last, container.length, true), 0, value);
      return copy;
    }
    if (isObject(container)) return { ...container, [String(last)]: value };
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
    if (isObject(container) && Object.prototype.hasOwnProperty.call(container, String(last))) {
      const copy = { ...container };
      delete copy[String(last)];
      return copy;
    }
    throw builtinError(`json.patch: path ${JSON.stringify(path)} does not exist`);
  });
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
        if (from.length < path.length && from.every((s, i) => String(s) === String(path[i]))) throw builtinError("json.patch: cannot move a value into one of its children");
        const value = get(out, from);
        out = add(remove(out, from), path, value);
        break;
      }
      case "copy":
        out = add(out, path, get(out, pointer(field(p, "from"), "from")));
        break;
      case "test":
        if (compareJson(get(out, path), field(p, "value")) !== 0) throw builtinError(`json.patch: test failed at ${JSON.stringify(path)}`);
        break;
      default:
        throw builtinError(`json.patch: unknown operation ${JSON.stringify(p.op)}`);
    }
  }
  return out;
}
