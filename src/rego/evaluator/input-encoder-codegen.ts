/**
 * The input encoder's writers for an access tree (see input-encoder.ts), compiled to JavaScript once per tree: one
 * function per node that is not used whole, calling its children's functions directly, with the keys as constants.
 *
 * An object under a node is read with one `for…in` over its own keys (what JSON.stringify writes: own, enumerable,
 * string keys; `hasOwnProperty` drops inherited ones), each key the node names kept in a local, then written in the
 * node's key order (the order serializeInput writes), each key's item stored as constant bytes. This reads no key
 * twice, calls no `propertyIsEnumerable` (a slow builtin) and gives V8 one site per node and key, so loads, type
 * tests and calls stay monomorphic on inputs of one shape. A value is written by the first of these that holds:
 * string, number, plain object (`constructor` is Object and no `toJSON`: JSON.stringify's view of it is itself),
 * boolean; anything else goes through `jsonValue` (toJSON, boxed primitives) and may be left out.
 *
 * Keys enter the source only as `JSON.stringify`'d string literals (they are user input); key bytes longer than
 * `INLINE_KEY_BYTES` are passed in a table.
 */
import type { InputAccess } from "../planner/input-access.js";
import { JSON_MAX_DEPTH } from "../runtime/runtime-abi.js";
import type { InputEncoder } from "./input-encoder.js";
import { encodedString, jsonValue, SURROGATE, TAG_ARRAY, TAG_NULL, TAG_OBJECT, TAG_OBJECT_DISTINCT, TOO_DEEP } from "./input-encoder-format.js";

/**
 * Writes an object or array (`toJSON` applied, not skipped) under a node of the access tree that is not used whole:
 * of an object, the members the node names, each pruned by its child, or every member when the node has `each`;
 * an array whole, or every element pruned by `each`.
 */
export type PrunedWriter = (e: InputEncoder, o: object, depth: number) => void;

/** Key items (tag, length, UTF-8) at most this long are written by constant stores, longer ones from a table. */
const INLINE_KEY_BYTES = 32;

/** How one value is written: where it is, what to write before it (its key) and after, what to do if it is left out. */
interface ValueSite {
  /** The local holding the value (reassigned by `jsonValue`). */
  v: string;
  /** The key passed to `toJSON`: an expression. */
  key: string;
  /** Code writing the member's key, run only when the value is written. */
  before: string;
  /** Code run after the value is written. */
  after: string;
  /** Code run when the value is left out. */
  skip: string;
  /** The child node's function, or undefined when the value is written whole. */
  child: string | undefined;
}

class WriterSource {
  private readonly functions: string[] = [];
  readonly keyBytes: Uint8Array[] = [];

  /** The source of the functions of `access`'s subtree; returns the name of `access`'s function. */
  node(access: InputAccess): string {
    const name = `w${this.functions.length}`;
    this.functions.push("");
    const body = access.each === undefined ? this.keyed(access) : this.iterated(access, access.each);
    this.functions[Number(name.slice(1))] = `function ${name}(e, o, depth) {\n${body}}\n`;
    return name;
  }

  text(root: string): string {
    return `"use strict";\nconst isArray = Array.isArray;\n${this.functions.join("\n")}\nreturn ${root};`;
  }

  /** A node without `each`: the named members in the node's order (an array is written whole). */
  private keyed(access: InputAccess): string {
    const keys = [...access.keys.keys()];
    const children = [...access.keys.values()].map((c) => (c.whole ? undefined : this.node(c)));
    const tag = keys.some((k) => SURROGATE.test(k)) ? TAG_OBJECT : TAG_OBJECT_DISTINCT;
    let out = "  if (isArray(o)) { e.whole(o, depth); return; }\n  if (depth >= MAX_DEPTH) throw TOO_DEEP;\n";
    if (keys.length > 0) {
      out += `  let ${keys.map((_, i) => `v${i}`).join(", ")};\n  for (const k in o) {\n    switch (k) {\n`;
      keys.forEach((k, i) => (out += `      case ${JSON.stringify(k)}: if (hasOwn.call(o, k)) v${i} = o[k]; break;\n`));
      out += "    }\n  }\n";
    }
    out += `  e.ensure(5);\n  const at = e.pos;\n  e.buffer[at] = ${tag};\n  e.pos = at + 5;\n  let n = 0;\n`;
    keys.forEach((k, i) => {
      const site = { v: `v${i}`, key: JSON.stringify(k), before: this.constantKey(k), after: "n++;", skip: "", child: children[i] };
      out += `  if (v${i} !== undefined) {\n${this.value(site, "    ")}  }\n`;
    });
    return `${out}  e.u32At(at + 1, n);\n`;
  }

  /** A node with `each`: every element of an array, every own member of an object (named members by their child). */
  private iterated(access: InputAccess, each: InputAccess): string {
    const eachChild = each.whole ? undefined : this.node(each);
    const named = [...access.keys].map(([k, c]) => [k, c.whole ? undefined : this.node(c)] as const);
    const element: ValueSite = { v: "v", key: "i", before: "", after: "", skip: `e.ensure(1); e.buffer[e.pos++] = ${TAG_NULL};`, child: eachChild };
    let out = `  if (depth >= MAX_DEPTH) throw TOO_DEEP;
  if (isArray(o)) {
    const len = o.length;
    e.ensure(5);
    e.buffer[e.pos] = ${TAG_ARRAY};
    e.u32At(e.pos + 1, len);
    e.pos += 5;
    for (let i = 0; i < len; i++) {
      let v = o[i];
${this.value(element, "      ")}    }
    return;
  }
  e.ensure(5);
  const at = e.pos;
  e.buffer[at] = ${TAG_OBJECT_DISTINCT};
  e.pos = at + 5;
  let n = 0;
  let distinct = true;
  for (const k in o) {
    if (!hasOwn.call(o, k)) continue;
    let v = o[k];
`;
    const member = (child: string | undefined, before: string): ValueSite => ({ v: "v", key: "k", before, after: "n++;", skip: "", child });
    if (named.length > 0) {
      out += "    switch (k) {\n";
      for (const [k, child] of named) {
        const before = this.constantKey(k) + (SURROGATE.test(k) ? " distinct = false;" : "");
        out += `      case ${JSON.stringify(k)}:\n${this.value(member(child, before), "        ")}        break;\n`;
      }
      out += `      default:\n${this.value(member(eachChild, "if (!e.key(k)) distinct = false;"), "        ")}    }\n`;
    } else {
      out += this.value(member(eachChild, "if (!e.key(k)) distinct = false;"), "    ");
    }
    return `${out}  }\n  if (!distinct) e.buffer[at] = ${TAG_OBJECT};\n  e.u32At(at + 1, n);\n`;
  }

  /** Code writing `site.v` (see ValueSite), indented by `pad`. */
  private value(site: ValueSite, pad: string): string {
    const { v, before, after, child } = site;
    const object = child === undefined ? `e.object(${v}, depth + 1);` : `${child}(e, ${v}, depth + 1);`;
    const any = child === undefined ? `e.whole(${v}, depth + 1);` : `if (typeof ${v} === "object" && ${v} !== null) ${object} else e.whole(${v}, depth + 1);`;
    return `${pad}if (typeof ${v} === "string") { ${before} e.string(${v}); ${after} }
${pad}else if (typeof ${v} === "number") { ${before} e.number(${v}); ${after} }
${pad}else if (typeof ${v} === "object" && ${v} !== null && ${v}.toJSON === undefined && ${v}.constructor === Object) { ${before} ${object} ${after} }
${pad}else if (typeof ${v} === "boolean") { ${before} e.boolean(${v}); ${after} }
${pad}else {
${pad}  ${v} = jsonValue(${v}, ${site.key});
${pad}  if (${v} === undefined || typeof ${v} === "function" || typeof ${v} === "symbol") { ${site.skip} }
${pad}  else { ${before} ${any} ${after} }
${pad}}
`;
  }

  /** Code writing the item of a constant key. */
  private constantKey(key: string): string {
    const bytes = encodedString(key);
    if (bytes.length > INLINE_KEY_BYTES) {
      this.keyBytes.push(bytes);
      return `e.bytes(keyBytes[${this.keyBytes.length - 1}]);`;
    }
    let out = `e.ensure(${bytes.length}); const b = e.buffer, p = e.pos;`;
    bytes.forEach((x, j) => (out += ` b[p${j === 0 ? "" : ` + ${j}`}] = ${x};`));
    return `{ ${out} e.pos = p + ${bytes.length}; }`;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The writer of values under `access` (not whole) compiled to JavaScript; undefined where code generation from
 * strings is disallowed (e.g. node --disallow-code-generation-from-strings).
 */
export function generatedWriter(access: InputAccess): PrunedWriter | undefined {
  const source = new WriterSource();
  const root = source.node(access);
  let make: (...args: unknown[]) => PrunedWriter;
  try {
    make = new Function("MAX_DEPTH", "TOO_DEEP", "hasOwn", "jsonValue", "keyBytes", source.text(root)) as typeof make;
  } catch (error) {
    if (error instanceof EvalError) return undefined;
    throw error;
  }
  return make(JSON_MAX_DEPTH, TOO_DEEP, hasOwn, jsonValue, source.keyBytes);
}
