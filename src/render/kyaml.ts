/**
 * Kustomize's YAML dialect (go-yaml v3), in one place: what kustomizations, resources and patches are read with,
 * and how rendered objects are written.
 *
 * - YAML 1.2 core schema: `yes`/`no`/`on`/`off` stay strings, `true`/`True`/`TRUE` are booleans, `~`/`null` are null.
 * - go-yaml v3's integers on top: a leading `0` is octal (`0777` = 511), `0b` binary, `0o` octal, `0x` hex,
 *   underscores ignored (`1_000`), as Go's `strconv.ParseInt(s, 0, 64)` reads them.
 * - `<<` merge keys, duplicate keys are an error, aliases limited (YAML bombs), size and document count limited.
 * - Every document keeps the line it starts on and the line of each of its fields (by JSON pointer).
 *
 * Writing uses YAML 1.1 quoting, so a string that another reader could take for a boolean or a number (`"yes"`,
 * `"0777"`) is quoted, as go-yaml v3 does; block style, sequences not indented under their key, no line folding.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, stringify, visit } from "yaml";
import type { Document, Node as YamlNode, ScalarTag } from "yaml";
import { cloneJson } from "./patch/kyaml-lists.js";
import { RenderError } from "./render-error.js";

export interface KYamlLimits {
  /** Largest accepted text, in bytes (UTF-8). Default 1 MiB, as for manifests. */
  maxFileBytes: number;
  /** Most documents in one file. Default 1,000. */
  maxDocuments: number;
  /** Most alias expansions per document (billion-laughs guard). Default 1,000. */
  maxAliases: number;
  /** Duplicate keys are an error (go-yaml v3, resources); false: the last one wins (kustomization files, read as JSON by Kustomize). */
  uniqueKeys: boolean;
}

export const DEFAULT_KYAML_LIMITS: Readonly<KYamlLimits> = Object.freeze({
  maxFileBytes: 1024 * 1024,
  maxDocuments: 1000,
  maxAliases: 1000,
  uniqueKeys: true,
});

/** One YAML document of a file: its value, the line it starts on, and the line of each field by JSON pointer. */
export interface KDocument {
  value: unknown;
  /** 1-based line of the document's first content. */
  line: number;
  /** The line of the field at `pointer` (`""` is the document); for a pointer with no node of its own, its nearest ancestor's. */
  lineOf(pointer: string): number;
}

const GO_INT: ScalarTag = {
  tag: "tag:yaml.org,2002:int",
  default: true,
  identify: (v) => typeof v === "number" && Number.isInteger(v),
  test: /^[-+]?(?:0[0-7_]+|0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/,
  resolve: (text: string) => goParseInt(text),
};

/** Go's `strconv.ParseInt(s, 0, 64)` after go-yaml's removal of underscores. */
export function goParseInt(text: string): number {
  const plain = text.replace(/_/g, "");
  const negative = plain.startsWith("-");
  const digits = plain.replace(/^[-+]/, "");
  let n: number;
  if (/^0[bB]/.test(digits)) n = parseInt(digits.slice(2), 2);
  else if (/^0[oO]/.test(digits)) n = parseInt(digits.slice(2), 8);
  else if (/^0[xX]/.test(digits)) n = parseInt(digits.slice(2), 16);
  else if (/^0[0-7]+$/.test(digits)) n = parseInt(digits, 8);
  else n = parseInt(digits, 10);
  return negative ? -n : n;
}

/** JSON pointer of a path (`~` → `~0`, `/` → `~1`). */
export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/**
 * Parses a YAML stream in Kustomize's dialect. Empty documents (only comments, or `---` alone) are dropped, as
 * Kustomize drops them. Throws RenderError `render_yaml` (syntax), `render_yaml_limit` (size, documents, aliases),
 * `render_yaml_alias_cycle` (an alias inside the node it names, `a: &x [1, *x]`: its value would contain itself).
 */
export function parseKYaml(text: string, file: string, limits: Partial<KYamlLimits> = {}): KDocument[] {
  const lim = { ...DEFAULT_KYAML_LIMITS, ...limits };
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > lim.maxFileBytes) {
    throw new RenderError("render_yaml_limit", `${file} is ${bytes} bytes, more than the limit of ${lim.maxFileBytes}`, { file, line: 1 });
  }
  const lineCounter = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: lim.uniqueKeys, customTags: (tags) => [GO_INT, ...tags] });
  } catch (e) {
    throw new RenderError("render_yaml", `cannot parse ${file}: ${(e as Error).message}`, { file, line: 1 });
  }
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > lim.maxDocuments) {
    throw new RenderError("render_yaml_limit", `${file} has ${list.length} documents, more than the limit of ${lim.maxDocuments}`, { file, line: 1 });
  }
  const out: KDocument[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0].line ?? 1;
      throw new RenderError("render_yaml", `cannot parse ${file}: ${err.message.split("\n")[0]}`, { file, line });
    }
    if (doc.contents === null) continue;
    refuseAliasCycle(doc, file, lineCounter);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: lim.maxAliases });
    } catch (e) {
      const line = doc.contents.range ? lineCounter.linePos(doc.contents.range[0]).line : 1;
      const msg = (e as Error).message;
      const code = /alias/i.test(msg) ? "render_yaml_limit" : "render_yaml";
      throw new RenderError(code, `cannot read ${file}: ${msg}`, { file, line });
    }
    if (value === null || value === undefined) continue;
    const bad = plainColonInFlow(doc.contents as YamlNode, text);
    if (bad !== undefined) {
      throw new RenderError("render_yaml", `cannot parse ${file}: did not find expected node content (a plain scalar in a flow collection cannot start with ':'; quote it)`, { file, line: lineCounter.linePos(bad).line });
    }
    const lines = new Map<string, number>();
    collectLines(doc.contents as YamlNode, "", lines, lineCounter);
    const line = lines.get("") ?? 1;
    out.push({ value, line, lineOf: (p) => lookupLine(lines, p, line) });
  }
  return out;
}

/** An alias inside the node its anchor names would make a value that contains itself: an error at the alias's line. */
function refuseAliasCycle(doc: Document.Parsed, file: string, lc: LineCounter): void {
  visit(doc, {
    Alias(_key, alias) {
      const target = alias.resolve(doc);
      const [start, end] = [target?.range?.[0], target?.range?.[2]];
      const at = alias.range?.[0];
      if (start === undefined || end === undefined || at === undefined || at < start || at >= end) return;
      const line = lc.linePos(at).line;
      throw new RenderError("render_yaml_alias_cycle", `in ${file}, the alias *${alias.source} is inside the node &${alias.source} names, so its value would contain itself`, { file, line });
    },
  });
}

/** go-yaml v3 rejects a plain scalar starting with ':' inside a flow collection (`[--listen, :8081]`); the offset of one. */
function plainColonInFlow(node: YamlNode, text: string, inFlow = false): number | undefined {
  if (isScalar(node)) {
    const start = node.range?.[0];
    return inFlow && node.type === "PLAIN" && start !== undefined && text[start] === ":" ? start : undefined;
  }
  if (isMap(node) || isSeq(node)) {
    const flow = inFlow || node.flow === true;
    for (const item of node.items) {
      const parts = isPair(item) ? [item.key, item.value] : [item];
      for (const part of parts) {
        if (part && typeof part === "object") {
          const found = plainColonInFlow(part as YamlNode, text, flow);
          if (found !== undefined) return found;
        }
      }
    }
  }
  return undefined;
}

function lookupLine(lines: Map<string, number>, pointer: string, fallback: number): number {
  let p = pointer;
  for (;;) {
    const l = lines.get(p);
    if (l !== undefined) return l;
    if (p === "") return fallback;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

function collectLines(node: YamlNode, pointer: string, lines: Map<string, number>, lc: LineCounter): void {
  if (node.range && !lines.has(pointer)) lines.set(pointer, lc.linePos(node.range[0]).line);
  if (isAlias(node)) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || key === "<<") continue;
      const child = pointer + "/" + key.replace(/~/g, "~0").replace(/\//g, "~1");
      const keyNode = pair.key as YamlNode;
      if (keyNode.range) lines.set(child, lc.linePos(keyNode.range[0]).line);
      if (pair.value && typeof pair.value === "object") collectLines(pair.value as YamlNode, child, lines, lc);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item && typeof item === "object") collectLines(item as YamlNode, `${pointer}/${i}`, lines, lc);
    });
  }
}

const CACHE_LIMIT = 4096;
/** Most characters of text the cache keeps (64 Mi, about 64 MiB of YAML): a few big files must not fill the memory. */
const CACHE_CHARS = 64 * 1024 * 1024;
let cachedChars = 0;
const cache = new Map<string, KDocument[]>();

/**
 * parseKYaml for texts read many times (a base shared by hundreds of overlays): parsed once per process (by file
 * and text, up to 4,096 texts and 64 Mi characters, oldest out first), each call gets fresh copies of the values,
 * which the caller may change. The copies keep what JSON cannot hold (`.inf`, `.nan`, `-0`).
 */
export function parseKYamlCached(text: string, file: string, limits: Partial<KYamlLimits> = {}): KDocument[] {
  const key = `${file}\u0000${JSON.stringify(limits)}\u0000${text}`;
  let docs = cache.get(key);
  if (!docs) {
    docs = parseKYaml(text, file, limits);
    while (cache.size > 0 && (cache.size >= CACHE_LIMIT || cachedChars + key.length > CACHE_CHARS)) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
      cachedChars -= oldest.length;
    }
    if (key.length <= CACHE_CHARS) {
      cache.set(key, docs);
      cachedChars += key.length;
    }
  }
  return docs.map((d) => ({ value: copyAt(d, file), line: d.line, lineOf: d.lineOf }));
}

/** A copy of a document's value; too deep a document (or one that refers to itself) is an error at its line. */
function copyAt(doc: KDocument, file: string): unknown {
  try {
    return cloneJson(doc.value);
  } catch (error) {
    if (error instanceof RenderError && !error.at) throw new RenderError(error.code, error.message, { file, line: doc.line });
    throw error;
  }
}

/** One value as YAML text (ends with a newline). */
export function stringifyKYaml(value: unknown): string {
  return stringify(value, { version: "1.1", indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/** Values as a YAML stream, documents separated by `---`, as `kustomize build` prints them. */
export function stringifyKYamlStream(values: readonly unknown[]): string {
  return values.map(stringifyKYaml).join("---\n");
}
