/**
 * Parses one layer's YAML text with positions and hard limits, so that hostile files (huge, alias bombs,
 * absurd nesting) are refused quickly with a diagnostic instead of exhausting memory or the stack.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import type { Alias, Document, Node as YamlNode, Pair } from "yaml";
import type { ConfigDiagnostic, ConfigDiagnosticCode, ConfigDiagnosticSeverity } from "./config-diagnostic.js";

/** Where a layer comes from, from lowest to highest precedence: org defaults, `_extends` targets, the repo. */
export type ConfigLayerSource = "org" | "extends" | "repo";

export interface ConfigLayer {
  source: ConfigLayerSource;
  /** Shown in diagnostics, e.g. `.github/fleetward.yml` or `acme/.github:.github/fleetward.yml`. */
  file: string;
  text: string;
}

export interface YamlLimits {
  /** Largest accepted file, in UTF-8 bytes. */
  maxBytes: number;
  /** Most alias nodes (`*name`) accepted in one file. */
  maxAliases: number;
  /** Most nodes the document may have once every alias is expanded (what merging and validation walk). */
  maxExpandedNodes: number;
  /** Deepest accepted nesting of flow collections or compact block collections. */
  maxNesting: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxBytes: 256 * 1024,
  maxAliases: 1000,
  maxExpandedNodes: 250_000,
  maxNesting: 64,
};

/**
 * Node count of the document with aliases expanded, computed on the syntax tree with one memo per node, so
 * an alias bomb is measured without being built. Saturates just above `limit`; null for a cyclic alias.
 */
function expandedNodeCount(doc: Document, aliasTargets: Map<Alias, YamlNode | undefined>, limit: number): number | null {
  const memo = new Map<unknown, number>();
  const active = new Set<unknown>();
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = aliasTargets.get(node);
      return target === undefined ? 1 : size(target);
    }
    if (!isMap(node) && !isSeq(node)) return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (active.has(node)) throw new RangeError("cyclic alias");
    active.add(node);
    let total = 1;
    for (const item of node.items as unknown[]) {
      if (total > limit) break;
      total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    }
    active.delete(node);
    const saturated = Math.min(total, limit + 1);
    memo.set(node, saturated);
    return saturated;
  };
  try {
    return size(doc.contents);
  } catch {
    return null;
  }
}

export interface ParsedConfigLayer extends ConfigLayer {
  /** The parsed document; null when the text was refused before parsing. */
  doc: Document | null;
  /**
   * The node each alias refers to (the last node with that anchor before it, as YAML defines), found in one
   * pass: yaml's `Alias.resolve` walks the whole document per call, which is quadratic over many aliases.
   */
  aliasTargets: Map<Alias, YamlNode | undefined>;
  lineCounter: LineCounter;
  /** The plain value (`{}` for an empty file); undefined when the layer has errors. */
  value: unknown;
}

export interface LayerSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type PathSegment = string | number;

const WHOLE_FILE: LayerSpan = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * A cheap upper bound of the nesting depth, computed before the YAML parser runs (the parser recurses per
 * level and can exhaust memory on tens of thousands of levels). Unbalanced brackets inside strings can only
 * raise the estimate, never lower it, so a file under the limit is really under it.
 */
export function estimateYamlNesting(text: string): number {
  let flow = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      flow++;
      if (flow > max) max = flow;
    } else if ((c === 0x5d || c === 0x7d) && flow > 0) {
      flow--;
    }
  }
  const compact = /^[ \t]*((?:[-?:](?:[ \t]+|$))+)/gm;
  for (const m of text.matchAll(compact)) {
    const indicators = (m[1] ?? "").replace(/[ \t]/g, "").length;
    if (indicators > max) max = indicators;
  }
  return max;
}

function diagnostic(
  layer: ConfigLayer,
  code: ConfigDiagnosticCode,
  message: string,
  span: LayerSpan = WHOLE_FILE,
  severity: ConfigDiagnosticSeverity = "error",
): ConfigDiagnostic {
  return { code, severity, message, file: layer.file, ...span };
}

function spanOfOffsets(lc: LineCounter, start: number, end: number): LayerSpan {
  const a = lc.linePos(start);
  const b = lc.linePos(Math.max(start, end));
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/** `Map keys must be unique at line 3, column 11:\n…` → `Map keys must be unique`. */
function plainYamlMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, "").trim();
}

/** Parses a layer. Never throws; every refusal is a diagnostic in that layer's file. */
export function parseConfigLayer(
  layer: ConfigLayer,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): { parsed: ParsedConfigLayer; diagnostics: ConfigDiagnostic[] } {
  const lineCounter = new LineCounter();
  const parsed: ParsedConfigLayer = { ...layer, doc: null, aliasTargets: new Map(), lineCounter, value: undefined };
  const refuse = (code: ConfigDiagnosticCode, message: string, span?: LayerSpan) => ({
    parsed,
    diagnostics: [diagnostic(layer, code, message, span)],
  });

  const bytes = Buffer.byteLength(layer.text, "utf8");
  if (bytes > limits.maxBytes) {
    return refuse("config_yaml_limit", `file is ${bytes} bytes; the limit is ${limits.maxBytes} bytes`);
  }
  const nesting = estimateYamlNesting(layer.text);
  if (nesting > limits.maxNesting) {
    return refuse("config_yaml_limit", `YAML nests deeper than ${limits.maxNesting} levels`);
  }

  const diagnostics: ConfigDiagnostic[] = [];
  let doc: Document;
  try {
    doc = parseDocument(layer.text, {
      lineCounter,
      prettyErrors: true,
      // yaml's own duplicate-key check is quadratic in the size of a mapping; ours below is linear.
      uniqueKeys: false,
      strict: true,
      version: "1.2",
      merge: false,
    });
  } catch (e) {
    return refuse("config_yaml_limit", `YAML could not be parsed within the loader's limits: ${(e as Error).message}`);
  }
  parsed.doc = doc;

  for (const [list, severity] of [
    [doc.errors, "error"],
    [doc.warnings, "warning"],
  ] as const) {
    for (const err of list) {
      const code: ConfigDiagnosticCode =
        err.code === "DUPLICATE_KEY"
          ? "config_yaml_duplicate_key"
          : err.code === "RESOURCE_EXHAUSTION"
            ? "config_yaml_limit"
            : "config_yaml_syntax";
      const span = spanOfOffsets(lineCounter, err.pos[0], err.pos[1]);
      const message =
        err.code === "MULTIPLE_DOCS"
          ? "a configuration file holds one YAML document; remove the second document (after `---`)"
          : plainYamlMessage(err.message);
      diagnostics.push(diagnostic(layer, code, message, span, severity));
    }
  }
  if (diagnostics.some((d) => d.severity === "error")) return { parsed, diagnostics };

  let aliases = 0;
  const latestAnchor = new Map<string, YamlNode>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      aliases++;
      const target = latestAnchor.get(node.source);
      parsed.aliasTargets.set(node, target);
      if (target === undefined && node.range) {
        const span = spanOfOffsets(lineCounter, node.range[0], node.range[1]);
        diagnostics.push(diagnostic(layer, "config_yaml_syntax", `unresolved alias *${node.source}`, span));
      }
      return;
    }
    if (isNode(node) && node.anchor) latestAnchor.set(node.anchor, node);
    if (!isMap(node)) return;
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const name = String(pair.key.value);
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, pair.key.range[0]);
        continue;
      }
      const span = spanOfOffsets(lineCounter, pair.key.range[0], pair.key.range[1]);
      const firstLine = lineCounter.linePos(first).line;
      diagnostics.push(diagnostic(layer, "config_yaml_duplicate_key", `duplicate key "${name}" (first defined on line ${firstLine})`, span));
    }
  });
  if (aliases > limits.maxAliases) {
    return refuse("config_yaml_limit", `YAML uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`);
  }
  if (diagnostics.some((d) => d.severity === "error")) return { parsed, diagnostics };
  if (aliases > 0) {
    const expanded = expandedNodeCount(doc, parsed.aliasTargets, limits.maxExpandedNodes);
    if (expanded === null) return refuse("config_yaml_limit", "YAML aliases refer to themselves (or nest too deeply to expand)");
    if (expanded > limits.maxExpandedNodes) {
      return refuse("config_yaml_limit", `YAML expands to more than ${limits.maxExpandedNodes} nodes through its aliases`);
    }
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliases });
  } catch (e) {
    return refuse("config_yaml_limit", `YAML expands too much: ${(e as Error).message}`);
  }
  if (value === null || value === undefined) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    const root = doc.contents;
    const span = root?.range ? spanOfOffsets(lineCounter, root.range[0], root.range[1]) : WHOLE_FILE;
    diagnostics.push(
      diagnostic(layer, "config_schema", `the configuration must be a mapping of keys to values, not ${Array.isArray(value) ? "a list" : `a ${typeof value}`}`, span),
    );
    return { parsed, diagnostics };
  }
  parsed.value = value;
  return { parsed, diagnostics };
}

export interface NodeLookup {
  /** How many leading segments of the path exist in this layer. */
  matched: number;
  span: LayerSpan;
  /** Span of the mapping key of the last matched segment, when it was a mapping key. */
  keySpan: LayerSpan | null;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

const pairIndexes = new WeakMap<object, Map<string, Pair>>();

/** First pair of each key of a mapping, indexed once, so locating many problems stays linear. */
function pairIndex(map: { items: Pair[] }): Map<string, Pair> {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const k = keyText(pair.key);
      if (!index.has(k)) index.set(k, pair);
    }
    pairIndexes.set(map, index);
  }
  return index;
}

/**
 * Finds the node at `path` in a layer's document, following aliases. Returns how far the path matched and
 * the span of the deepest matched node (the whole document for an empty match); null without a document.
 */
export function findLayerNode(parsed: ParsedConfigLayer, path: readonly PathSegment[]): NodeLookup | null {
  const doc = parsed.doc;
  if (doc === null) return null;
  const lc = parsed.lineCounter;
  const toSpan = (n: YamlNode | null | undefined): LayerSpan | null =>
    n && n.range ? spanOfOffsets(lc, n.range[0], n.range[1]) : null;

  let current: unknown = doc.contents;
  let span = toSpan(doc.contents as YamlNode | null) ?? WHOLE_FILE;
  let keySpan: LayerSpan | null = null;
  let matched = 0;
  for (const seg of path) {
    if (isAlias(current)) current = parsed.aliasTargets.get(current);
    if (isMap(current)) {
      const pair = pairIndex(current).get(String(seg));
      if (!pair) break;
      const k = toSpan(pair.key as YamlNode);
      keySpan = k;
      current = pair.value;
      span = toSpan(pair.value as YamlNode | null) ?? k ?? span;
      // `key:` with no value: point at the key.
      if (isScalar(pair.value) && pair.value.value === null && pair.value.source === "" && k) span = k;
    } else if (isSeq(current) && typeof seg === "number") {
      const item = current.items[seg];
      if (item === undefined) break;
      keySpan = null;
      current = item;
      span = toSpan(item as YamlNode) ?? span;
    } else {
      break;
    }
    matched++;
  }
  return { matched, span, keySpan };
}
