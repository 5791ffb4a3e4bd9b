/** A small reader of ASN.1 DER (what X.509 certificates and requests are made of): nodes, OIDs, strings, times. */

export interface DerNode {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  tag: number;
  /** The whole encoding: identifier, length and content. */
  raw: Buffer;
  content: Buffer;
}

export class DerError extends Error {}

/** The node at `offset` of `data`. */
export function readNode(data: Buffer, offset = 0): DerNode {
  if (offset + 2 > data.length) throw new DerError("truncated");
  const tag = data[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError("high tag numbers are not supported");
  let length = data[offset + 1] as number;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || offset + 2 + n > data.length) throw new DerError("bad length");
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (data[offset + 2 + i] as number);
    header += n;
  }
  const end = offset + header + length;
  if (end > data.length) throw new DerError("truncated");
  return { tag, raw: data.subarray(offset, end), content: data.subarray(offset + header, end) };
}

/** The single node `data` holds (nothing may follow). */
export function readOne(data: Buffer): DerNode {
  const node = readNode(data);
  if (node.raw.length !== data.length) throw new DerError("trailing data");
  return node;
}

/** The children of a constructed node. */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let at = 0; at < node.content.length;) {
    const child = readNode(node.content, at);
    out.push(child);
    at += child.raw.length;
  }
  return out;
}

/** Children of a node that must have the given tag. */
export function expect(node: DerNode | undefined, tag: number): DerNode {
  if (!node || node.tag !== tag) throw new DerError(`tags don't match (${tag} vs ${node?.tag ?? "nothing"})`);
  return node;
}

export const SEQUENCE = 0x30;
export const SET = 0x31;
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const OID = 0x06;
export const BOOLEAN = 0x01;

/** An OBJECT IDENTIFIER's arcs. */
export function oidArcs(node: DerNode): number[] {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of node.content) {
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  return arcs;
}

export function oidText(node: DerNode): string {
  return oidArcs(node).join(".");
}

/** An INTEGER's value. */
export function integer(node: DerNode): bigint {
  if (node.content.length === 0) return 0n;
  let v = BigInt(`0x${node.content.toString("hex")}`);
  if ((node.content[0] as number) & 0x80) v -= 1n << BigInt(node.content.length * 8);
  return v;
}

/** A BIT STRING's bytes (the unused-bits count dropped) and bit count. */
export function bitString(node: DerNode): { bytes: Buffer; bitLength: number } {
  const unused = node.content[0] ?? 0;
  const bytes = node.content.subarray(1);
  return { bytes, bitLength: bytes.length * 8 - unused };
}

/** The text of a string type (UTF8, Printable, IA5, T61, BMP, Universal). */
export function stringValue(node: DerNode): string {
  switch (node.tag) {
    case 0x1e: {
      let s = "";
      for (let i = 0; i + 1 < node.content.length; i += 2) s += String.fromCharCode(node.content.readUInt16BE(i));
      return s;
    }
    case 0x14:
      return node.content.toString("latin1");
    default:
      return node.content.toString("utf8");
  }
}

/** UTCTime or GeneralizedTime as Go's `time.Time` JSON (RFC 3339). */
export function timeValue(node: DerNode): string {
  const text = node.content.toString("latin1");
  const m = node.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new DerError(`invalid time ${text}`);
  const [, y = "", mo, d, h, mi, s] = m;
  const year = node.tag === 0x17 ? (Number(y) >= 50 ? `19${y}` : `20${y}`) : y;
  return `${year}-${mo}-${d}T${h}:${mi}:${s}Z`;
}
