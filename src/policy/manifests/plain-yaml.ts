/**
 * A fast path for the YAML most manifests are written in: block mappings and sequences, plain and simple quoted
 * scalars, one-line flow collections, comments, `---` between documents. It gives exactly what js-yaml with the go-yaml
 * v2 schema gives (plain scalars through `resolveGoYamlV2Scalar`, mappings as plain objects) and each document's start
 * line, at a fraction of the cost (js-yaml was ~60% of a 10,000-file `check`). Anything else — anchors, aliases, tags,
 * block scalars, multi-line scalars or flow collections, escapes, duplicate or non-string keys, merge keys, tabs, CR,
 * control characters, directives, odd indentation, very deep nesting — returns undefined, and the caller parses the
 * text with js-yaml, which also reports every error. So a text is either read here identically or not read here at all
 * (test/policy/manifests/plain-yaml.test.ts compares both on every YAML file of the repository and generated ones).
 */
import { resolveGoYamlV2Scalar } from "./go-yaml-dialect.js";

/** The documents of a text and the line each starts at (1 for an empty document), as the loader reports them. */
export interface PlainYamlResult {
  values: unknown[];
  startLines: number[];
}

/** Thrown inside the parser when the text leaves the subset; never escapes `parsePlainYaml`. */
class NotPlain extends Error {}

const bail = (): never => {
  throw new NotPlain();
};

/** Characters outside the subset anywhere in the text: tabs, CR, other controls, C1 controls, separators, BOM, non-characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNSUPPORTED_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

/** Character classes by code (ASCII): 1, a YAML indicator; 2, a flow indicator (`,[]{}`) or `#`. */
const CLASS = new Uint8Array(128);
for (const c of "?:,[]{}#&*!|>'\"%@`") CLASS[c.charCodeAt(0)] = 1;
const FLOW_OR_HASH = 2;
for (const c of ",[]{}#") CLASS[c.charCodeAt(0)] = (CLASS[c.charCodeAt(0)] ?? 0) | FLOW_OR_HASH;

/** Whether a plain scalar or key cannot start at `from`: a YAML indicator (`-` only when a space or the end follows). */
function startsWithIndicator(text: string, from: number): boolean {
  const c = text.charCodeAt(from);
  if (c === 45 /* - */) return from + 1 === text.length || text.charCodeAt(from + 1) === 32;
  return c < 128 && ((CLASS[c] ?? 0) & 1) !== 0;
}

/** Whether `text` holds `#` or a flow indicator (`,[]{}`). */
function hasFlowOrHash(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && ((CLASS[c] ?? 0) & FLOW_OR_HASH) !== 0) return true;
  }
  return false;
}
/** Beyond this nesting, js-yaml's own depth limit must have its say (callers with a lower limit do not use the fast path). */
export const PLAIN_YAML_MAX_DEPTH = 40;
const MAX_DEPTH = PLAIN_YAML_MAX_DEPTH;

interface Line {
  /** 1-based line number. */
  no: number;
  /** Column of the node the line opens (its first non-space character, or past a `- ` for compact mappings). */
  indent: number;
  text: string;
}

interface Cursor {
  lines: Line[];
  at: number;
}

function isSeqItem(text: string, indent: number): boolean {
  return text.charCodeAt(indent) === 45 /* - */ && (indent + 1 === text.length || text.charCodeAt(indent + 1) === 32);
}

/** What follows a value on its line: nothing, or spaces and a `#` comment. */
function restIsEmpty(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i === text.length || (text.charCodeAt(i) === 35 /* # */ && i > from);
}

/** A quoted scalar starting at `from` (single: `''` escapes; double: no backslash), ending on the line. */
function quoted(text: string, from: number): { value: string; end: number } {
  const q = text[from];
  if (q === "'") {
    let out = "";
    let i = from + 1;
    for (;;) {
      const close = text.indexOf("'", i);
      if (close < 0) bail();
      out += text.slice(i, close);
      if (text[close + 1] !== "'") return { value: out, end: close + 1 };
      out += "'";
      i = close + 2;
    }
  }
  const close = text.indexOf('"', from + 1);
  if (close < 0) bail();
  const value = text.slice(from + 1, close);
  if (value.includes("\\")) bail();
  return { value, end: close + 1 };
}

/** A plain scalar's value, or bail when the text is one js-yaml would read otherwise. */
function plainScalar(text: string): unknown {
  if (text === "" || startsWithIndicator(text, 0) || text.includes(": ") || text.endsWith(":") || text.includes(" #")) bail();
  return resolveGoYamlV2Scalar(text);
}

/** A mapping key (plain or quoted) at `from`, followed by `:` and a space or the line's end. */
function keyAt(text: string, from: number): { key: string; next: number } | undefined {
  let key: string;
  let colon: number;
  const c = text[from];
  if (c === "'" || c === '"') {
    const q = quoted(text, from);
    if (text[q.end] !== ":") return undefined;
    if (q.end + 1 < text.length && text.charCodeAt(q.end + 1) !== 32) bail();
    key = q.value;
    colon = q.end;
  } else {
    colon = text.indexOf(":", from);
    while (colon >= 0 && colon + 1 < text.length && text.charCodeAt(colon + 1) !== 32) colon = text.indexOf(":", colon + 1);
    if (colon < 0) return undefined;
    key = text.slice(from, colon);
    if (key === "" || startsWithIndicator(key, 0) || key.endsWith(" ") || hasFlowOrHash(key) || resolveGoYamlV2Scalar(key) !== key) bail();
  }
  if (key === "<<" || key === "__proto__") bail();
  return { key, next: colon + 1 };
}

function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  // No value is undefined: the own-property test runs only for a key seen before or inherited (`constructor`).
  if (map[key] !== undefined && Object.prototype.hasOwnProperty.call(map, key)) bail();
  map[key] = value;
}

/** A one-line flow collection or scalar at `from` inside `[...]`/`{...}`; returns the value and where it ends. */
function flowNode(text: string, from: number, depth: number): { value: unknown; end: number } {
  if (depth > MAX_DEPTH) bail();
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  const c = text[i];
  if (c === "'" || c === '"') {
    const q = quoted(text, i);
    return { value: q.value, end: q.end };
  }
  if (c === "[" || c === "{") {
    const seq = c === "[";
    const close = seq ? "]" : "}";
    const out: unknown[] | Record<string, unknown> = seq ? [] : {};
    i++;
    while (text.charCodeAt(i) === 32) i++;
    if (text[i] === close) return { value: out, end: i + 1 };
    for (;;) {
      if (seq) {
        const item = flowNode(text, i, depth + 1);
        (out as unknown[]).push(item.value);
        i = item.end;
      } else {
        while (text.charCodeAt(i) === 32) i++;
        const k = keyAt(text, i);
        if (k === undefined || text.charCodeAt(k.next) !== 32) bail();
        const item = flowNode(text, (k as { next: number }).next, depth + 1);
        setKey(out as Record<string, unknown>, (k as { key: string }).key, item.value);
        i = item.end;
      }
      while (text.charCodeAt(i) === 32) i++;
      if (text[i] === close) return { value: out, end: i + 1 };
      if (text[i] !== ",") bail();
      i++;
      while (text.charCodeAt(i) === 32) i++;
      if (text[i] === close || text[i] === ",") bail();
    }
  }
  // A plain scalar in flow context: up to the next , ] } (a `:` or `#` in it is left to js-yaml).
  let end = i;
  for (let c = text.charCodeAt(end); end < text.length && c !== 44 && c !== 93 && c !== 125 && c !== 91 && c !== 123; c = text.charCodeAt(++end));
  const raw = text.slice(i, end).trimEnd();
  if (raw.includes(":") || raw.includes("#")) bail();
  return { value: plainScalar(raw), end };
}

/** A value written on the key's (or dash's) line, from `from` to the line's end. */
function inlineValue(text: string, from: number, depth: number): unknown {
  const c = text[from];
  if (c === "'" || c === '"' || c === "[" || c === "{") {
    const node = c === "[" || c === "{" ? flowNode(text, from, depth + 1) : quoted(text, from);
    if (!restIsEmpty(text, node.end)) bail();
    return node.value;
  }
  const comment = text.indexOf(" #", from);
  return plainScalar((comment < 0 ? text.slice(from) : text.slice(from, comment)).trimEnd());
}

/** After a value on its line: a more indented next line would continue it (or be an error): left to js-yaml. */
function endOfInlineValue(cur: Cursor, indent: number): void {
  cur.at++;
  const next = cur.lines[cur.at];
  if (next !== undefined && next.indent > indent) bail();
}

/** The block node (mapping or sequence) starting on the current line. */
function blockNode(cur: Cursor, depth: number): unknown {
  if (depth > MAX_DEPTH) bail();
  const line = cur.lines[cur.at] as Line;
  return isSeqItem(line.text, line.indent) ? blockSequence(cur, line.indent, depth) : blockMapping(cur, line.indent, depth);
}

/** The value of an entry whose line ends after the key or dash: a nested block, a compact sequence, or null. */
function valueBelow(cur: Cursor, indent: number, depth: number, sequenceAtSameIndent: boolean): unknown {
  cur.at++;
  const next = cur.lines[cur.at];
  if (next === undefined || next.indent < indent) return null;
  if (next.indent > indent) return blockNode(cur, depth + 1);
  return sequenceAtSameIndent && isSeqItem(next.text, indent) ? blockSequence(cur, indent, depth + 1) : null;
}

function blockMapping(cur: Cursor, indent: number, depth: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (let line = cur.lines[cur.at]; line !== undefined && line.indent === indent; line = cur.lines[cur.at]) {
    if (isSeqItem(line.text, indent)) bail();
    const k = keyAt(line.text, indent);
    if (k === undefined) bail();
    const { key, next } = k as { key: string; next: number };
    if (restIsEmpty(line.text, next)) setKey(map, key, valueBelow(cur, indent, depth, true));
    else {
      let from = next;
      while (line.text.charCodeAt(from) === 32) from++;
      setKey(map, key, inlineValue(line.text, from, depth));
      endOfInlineValue(cur, indent);
    }
  }
  return map;
}

function blockSequence(cur: Cursor, indent: number, depth: number): unknown[] {
  const seq: unknown[] = [];
  for (let line = cur.lines[cur.at]; line !== undefined && line.indent === indent && isSeqItem(line.text, indent); line = cur.lines[cur.at]) {
    let from = indent + 1;
    while (line.text.charCodeAt(from) === 32) from++;
    if (restIsEmpty(line.text, indent + 1)) {
      seq.push(valueBelow(cur, indent, depth, false));
      continue;
    }
    if (isSeqItem(line.text, from)) bail();
    if (keyAt(line.text, from) !== undefined) {
      // `- key: value`: a mapping whose keys line up with this first one (a virtual line replaces the dash's).
      cur.lines[cur.at] = { no: line.no, indent: from, text: line.text };
      seq.push(blockMapping(cur, from, depth + 1));
      continue;
    }
    seq.push(inlineValue(line.text, from, depth));
    endOfInlineValue(cur, indent);
  }
  return seq;
}

/** The content lines of the text split into documents (`---` lines), or bail on what the subset leaves out. */
function documents(text: string): Line[][] {
  const docs: Line[][] = [];
  let current: Line[] | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.startsWith("---") || raw.startsWith("...") || raw.startsWith("%")) {
      if (raw.trimEnd() !== "---") bail();
      current = [];
      docs.push(current);
      continue;
    }
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    if (indent === raw.length || raw.charCodeAt(indent) === 35 /* # */) continue;
    if (current === undefined) {
      current = [];
      docs.push(current);
    }
    current.push({ no: i + 1, indent, text: raw });
  }
  return docs;
}

/** The documents of `text` and their start lines, or undefined when the text is not in the subset. */
export function parsePlainYaml(text: string): PlainYamlResult | undefined {
  if (UNSUPPORTED_CHARACTER.test(text)) return undefined;
  try {
    const out: PlainYamlResult = { values: [], startLines: [] };
    for (const lines of documents(text)) {
      const first = lines[0];
      if (first === undefined) {
        out.values.push(null);
        out.startLines.push(1);
        continue;
      }
      const cur: Cursor = { lines, at: 0 };
      out.values.push(blockNode(cur, 0));
      if (cur.at !== lines.length) bail();
      out.startLines.push(first.no);
    }
    return out;
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}
