/**
 * Promotes listed YAML fields from a source file to a target file, keeping the target's comments and layout:
 * an existing scalar is replaced in place by the source's own text for it (byte for byte), so nothing else in
 * the file moves; only a field missing from the target is added through the `yaml` Document API (`setIn`).
 */
import { isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Document, Node as YamlNode, Scalar, YAMLMap } from "yaml";

export interface FieldChange {
  /** Document index in a multi-document file. */
  document: number;
  /** Concrete path, e.g. `images[name=api].newTag`. */
  path: string;
  from: unknown;
  to: unknown;
}

export type EditYamlFieldsResult = { ok: true; text: string; changes: FieldChange[] } | { ok: false; error: string };

interface Segment {
  key: string;
  each: boolean;
}

function segmentsOf(path: string): Segment[] {
  return path.split(".").map((s) => (s.endsWith("[]") ? { key: s.slice(0, -2), each: true } : { key: s, each: false }));
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

interface Creation {
  document: number;
  path: (string | number)[];
  value: unknown;
}

function nameOf(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  const n = node.get("name");
  return typeof n === "string" ? n : undefined;
}

function isBlockScalar(s: Scalar): boolean {
  return s.type === "BLOCK_LITERAL" || s.type === "BLOCK_FOLDED";
}

function parseErrors(docs: Document.Parsed[], which: string): string | null {
  for (const d of docs) {
    const e = d.errors[0];
    if (e) return `${which}: ${e.message}`;
  }
  return null;
}

/** Applies `paths` (syntax of `promotion.components[].fields[].path`) from `sourceText` to `targetText`. */
export function editYamlFields(sourceText: string, targetText: string, paths: readonly string[]): EditYamlFieldsResult {
  const src = parseAllDocuments(sourceText);
  const tgt = parseAllDocuments(targetText);
  if (!Array.isArray(src)) return { ok: false, error: "source: not a YAML stream" };
  if (!Array.isArray(tgt)) return { ok: false, error: "target: not a YAML stream" };
  const err = parseErrors(src, "source") ?? parseErrors(tgt, "target");
  if (err !== null) return { ok: false, error: err };

  const splices: Splice[] = [];
  const creations: Creation[] = [];
  const changes: FieldChange[] = [];

  const walk = (document: number, s: unknown, t: unknown, segs: Segment[], at: (string | number)[], shown: string) => {
    const [seg, ...rest] = segs;
    if (!seg || !isMap(s) || !isMap(t)) return;
    const sChild = (s as YAMLMap).get(seg.key, true) as YamlNode | undefined;
    if (sChild === undefined || sChild === null) return;
    const tChild = (t as YAMLMap).get(seg.key, true) as YamlNode | undefined;
    const here = shown === "" ? seg.key : `${shown}.${seg.key}`;
    if (seg.each) {
      if (!isSeq(sChild) || !isSeq(tChild)) return;
      sChild.items.forEach((sItem, i) => {
        const name = nameOf(sItem);
        const j = name === undefined ? i : tChild.items.findIndex((x) => nameOf(x) === name);
        const tItem = tChild.items[j];
        if (j < 0 || tItem === undefined) return;
        walk(document, sItem, tItem, rest, [...at, seg.key, j], `${here}[${name === undefined ? i : `name=${name}`}]`);
      });
      return;
    }
    if (rest.length > 0) {
      walk(document, sChild, tChild, rest, [...at, seg.key], here);
      return;
    }
    if (!isScalar(sChild)) return;
    if (isScalar(tChild)) {
      if (tChild.value === sChild.value && typeof tChild.value === typeof sChild.value) return;
      const sr = sChild.range;
      const tr = tChild.range;
      if (sr && tr && !isBlockScalar(sChild) && !isBlockScalar(tChild)) {
        splices.push({ start: tr[0], end: tr[1], text: sourceText.slice(sr[0], sr[1]) });
      } else {
        creations.push({ document, path: [...at, seg.key], value: sChild.value });
      }
      changes.push({ document, path: here, from: tChild.value, to: sChild.value });
    } else if (tChild === undefined) {
      creations.push({ document, path: [...at, seg.key], value: sChild.value });
      changes.push({ document, path: here, from: undefined, to: sChild.value });
    }
  };

  const count = Math.min(src.length, tgt.length);
  for (let d = 0; d < count; d++) {
    for (const p of paths) walk(d, src[d]?.contents, tgt[d]?.contents, segmentsOf(p), [], "");
  }
  if (changes.length === 0) return { ok: true, text: targetText, changes };

  let text = targetText;
  for (const sp of [...splices].sort((a, b) => b.start - a.start)) text = text.slice(0, sp.start) + sp.text + text.slice(sp.end);
  if (creations.length > 0) {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) return { ok: false, error: "target: not a YAML stream after editing" };
    for (const c of creations) docs[c.document]?.setIn(c.path, c.value);
    text = docs.map((d) => d.toString({ lineWidth: 0 })).join("");
  }
  return { ok: true, text, changes };
}
