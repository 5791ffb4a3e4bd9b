import { EVENT_ID, SCALAR_STYLE, getScalarValue, type Event } from "js-yaml";
import type { FieldLocation, FieldPathSegment } from "./manifest-types.js";
import type { LineIndex } from "./line-index.js";

/** Key of a field path inside a position index: segments joined with a separator no YAML key can contain. */
export function pathKey(segments: readonly FieldPathSegment[]): string {
  let key = "";
  for (const s of segments) key += typeof s === "number" ? `\u0001#${s}` : `\u0001$${s}`;
  return key;
}

interface Frame {
  kind: "map" | "seq";
  key: string | undefined; // undefined: inside something we do not index (complex keys)
  expectingKey: boolean;
  pendingKey: { name: string; offset: number } | undefined;
  index: number;
  isKeyFrame: boolean;
}

function nodeStart(ev: Event, source: string): number {
  let start: number;
  switch (ev.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      start = ev.start;
      break;
    case EVENT_ID.SCALAR:
      start = ev.valueStart;
      if (start > 0 && (ev.style === SCALAR_STYLE.SINGLE_QUOTED || ev.style === SCALAR_STYLE.DOUBLE_QUOTED)) {
        const q = source[start - 1];
        if (q === "'" || q === '"') start -= 1;
      }
      break;
    case EVENT_ID.ALIAS:
      start = ev.anchorStart > 0 ? ev.anchorStart - 1 : ev.anchorStart; // include the `*`
      return start;
    default:
      return -1;
  }
  if (ev.anchorStart >= 0 && (start < 0 || ev.anchorStart - 1 < start)) start = ev.anchorStart - 1; // include `&`
  if (ev.tagStart >= 0 && (start < 0 || ev.tagStart < start)) start = Math.max(0, ev.tagStart - 1); // include `!`
  return start;
}

/**
 * Offset of the first content node of each document in a parsed event stream (-1 for a document whose root has no
 * source position, e.g. an empty document).
 */
export function documentStartOffsets(events: readonly Event[], source: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let awaitingRoot = false;
  for (const ev of events) {
    if (ev.type === EVENT_ID.DOCUMENT) {
      depth++;
      awaitingRoot = true;
      continue;
    }
    if (ev.type === EVENT_ID.POP) {
      depth--;
      continue;
    }
    if (awaitingRoot && depth === 1) {
      out.push(nodeStart(ev, source));
      awaitingRoot = false;
    }
    if (ev.type === EVENT_ID.MAPPING || ev.type === EVENT_ID.SEQUENCE) depth++;
  }
  return out;
}

/**
 * Builds the position index of every document in an event stream: for each field path (as `pathKey`), where its key
 * and value start. Complex (non-scalar) mapping keys are not indexed.
 */
export function buildPositionIndex(
  events: readonly Event[],
  source: string,
  lines: LineIndex,
): Map<string, FieldLocation>[] {
  const docs: Map<string, FieldLocation>[] = [];
  let current: Map<string, FieldLocation> | undefined;
  const stack: Frame[] = [];
  let docDepth = 0;

  const record = (key: string | undefined, keyOffset: number | undefined, valueOffset: number): void => {
    if (current === undefined || key === undefined || current.has(key)) return;
    const loc: FieldLocation = { value: lines.locate(Math.max(0, valueOffset)) };
    if (keyOffset !== undefined && keyOffset >= 0) loc.key = lines.locate(keyOffset);
    current.set(key, loc);
  };

  /** Called after a node (scalar/alias, or a collection at its POP) has been fully read. */
  const completed = (): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) return;
    if (top.kind === "seq") top.index++;
    else if (!top.expectingKey) {
      top.expectingKey = true;
      top.pendingKey = undefined;
    }
  };

  for (const ev of events) {
    if (ev.type === EVENT_ID.DOCUMENT) {
      current = new Map();
      docs.push(current);
      docDepth = 1;
      continue;
    }
    if (ev.type === EVENT_ID.POP) {
      if (stack.length === 0) {
        docDepth = 0;
        current = undefined;
        continue;
      }
      const frame = stack.pop();
      const parent = stack[stack.length - 1];
      if (frame?.isKeyFrame && parent !== undefined) {
        // A complex key finished: its value follows, and is not indexed.
        parent.expectingKey = false;
        parent.pendingKey = undefined;
        continue;
      }
      completed();
      continue;
    }
    if (docDepth === 0) continue;
    const start = nodeStart(ev, source);
    const parent = stack[stack.length - 1];
    let key: string | undefined;
    let keyOffset: number | undefined;
    let isKeyFrame = false;
    if (parent === undefined) {
      key = "";
    } else if (parent.kind === "map" && parent.expectingKey) {
      if (ev.type === EVENT_ID.SCALAR) {
        parent.pendingKey = { name: getScalarValue(source, ev), offset: start };
        parent.expectingKey = false;
        continue;
      }
      if (ev.type === EVENT_ID.ALIAS) {
        parent.pendingKey = undefined;
        parent.expectingKey = false;
        continue;
      }
      isKeyFrame = true;
      key = undefined;
    } else if (parent.kind === "map") {
      const pk = parent.pendingKey;
      key = parent.key !== undefined && pk !== undefined ? `${parent.key}\u0001$${pk.name}` : undefined;
      keyOffset = pk?.offset;
    } else {
      key = parent.key !== undefined ? `${parent.key}\u0001#${parent.index}` : undefined;
    }
    if (!isKeyFrame) record(key, keyOffset, start);
    if (ev.type === EVENT_ID.MAPPING || ev.type === EVENT_ID.SEQUENCE) {
      stack.push({
        kind: ev.type === EVENT_ID.MAPPING ? "map" : "seq",
        key: isKeyFrame ? undefined : key,
        expectingKey: true,
        pendingKey: undefined,
        index: 0,
        isKeyFrame,
      });
    } else {
      completed();
    }
  }
  return docs;
}
