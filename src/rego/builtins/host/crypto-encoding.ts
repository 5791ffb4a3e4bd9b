/**
 * Encodings the crypto, JWT and X.509 host builtins share, with Go's error texts (OPA's messages quote them):
 * strict base64 (standard and URL alphabets, `illegal base64 data at input byte N`), PEM blocks as Go's
 * `pem.Decode` finds them, and the wrapper that turns a family's thrown errors into OPA builtin errors.
 */
import { HostBuiltinError } from "./host-builtin-error.js";
import { builtinError, type HostBuiltinFamily, type HostFn } from "./operands.js";

/** An error whose message is Go's text, before the builtin's name is put in front. */
export class CryptoError extends Error {}

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Go's `base64.Encoding.DecodeString` with padding: `\r` and `\n` are skipped, anything else outside the
 * alphabet, or padding in the wrong place, fails at its byte offset.
 */
export function decodeBase64(text: string, alphabet: "std" | "url" = "std"): Buffer {
  const chars = alphabet === "std" ? STD : URL;
  const bytes = Buffer.from(text, "utf8");
  const out: number[] = [];
  let quantum: number[] = [];
  let i = 0;
  const fail = (at: number): never => {
    throw new CryptoError(`illegal base64 data at input byte ${at}`);
  };
  for (; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d) break;
    const v = chars.indexOf(String.fromCharCode(c));
    if (v < 0 || c > 0x7f) fail(i);
    quantum.push(v);
    if (quantum.length === 4) {
      out.push(...quantumBytes(quantum));
      quantum = [];
    }
  }
  if (i < bytes.length) {
    // Padding: only after 2 or 3 characters of a quantum, exactly enough of it, then nothing else.
    const need = quantum.length === 2 ? 2 : quantum.length === 3 ? 1 : 0;
    if (need === 0) fail(i);
    let seen = 0;
    for (; i < bytes.length; i++) {
      const c = bytes[i] as number;
      if (c === 0x0a || c === 0x0d) continue;
      if (c !== 0x3d || seen === need) fail(i);
      seen++;
    }
    if (seen !== need) fail(bytes.length);
    out.push(...quantumBytes(quantum));
    return Buffer.from(out);
  }
  if (quantum.length === 1) fail(bytes.length - 1);
  if (quantum.length > 0) fail(bytes.length);
  return Buffer.from(out);
}

function quantumBytes(q: number[]): number[] {
  const [a = 0, b = 0, c = 0, d = 0] = q;
  const n = (a << 18) | (b << 12) | (c << 6) | d;
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff].slice(0, q.length - 1);
}

/** OPA's `base64url.decode`: padding is optional (added back as RFC 7515 appendix C says). */
export function decodeBase64Url(text: string): Buffer {
  let s = text;
  if (!s.endsWith("=")) {
    const rest = s.length % 4;
    if (rest === 1) throw new CryptoError(`illegal base64url string: ${text}`);
    if (rest > 0) s += "=".repeat(4 - rest);
  }
  return decodeBase64(s, "url");
}

export function encodeBase64Url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** A PEM BEGIN line, matched where `lastIndex` puts it (no copy of the rest of the input per candidate). */
const BEGIN_LINE = /-----BEGIN ([^\r\n]*?)-----[ \t]*\r?\n/y;

export interface PemBlock {
  type: string;
  bytes: Buffer;
}

/**
 * The first PEM block of `data` and what follows it, as Go's `pem.Decode`: text before the block is skipped, a
 * block whose body is not base64 is skipped too; `undefined` when there is none.
 */
export function decodePem(data: string): { block: PemBlock; rest: string } | undefined {
  let from = 0;
  // Where each block type's END line is next (-1: nowhere after), so look-alike BEGIN lines cost no rescans.
  const ends = new Map<string, number>();
  for (;;) {
    const begin = data.indexOf("-----BEGIN ", from);
    if (begin < 0) return undefined;
    from = begin + 11;
    if (begin > 0 && data[begin - 1] !== "\n") continue;
    BEGIN_LINE.lastIndex = begin;
    const m = BEGIN_LINE.exec(data);
    if (!m) continue;
    const type = m[1] as string;
    const bodyStart = begin + m[0].length;
    const endMarker = `-----END ${type}-----`;
    let end = ends.get(type);
    if (end === undefined || (end >= 0 && end < bodyStart)) {
      end = data.indexOf(endMarker, bodyStart);
      ends.set(type, end);
    }
    if (end < 0) continue;
    const body = data.slice(bodyStart, end).split(/\r?\n/).filter((line) => !line.includes(":")).join("").replace(/[ \t]/g, "");
    let bytes: Buffer;
    try {
      bytes = decodeBase64(body);
    } catch {
      continue;
    }
    let rest = data.slice(end + endMarker.length);
    rest = rest.replace(/^[ \t]*(\r?\n|$)/, "");
    return { block: { type, bytes }, rest };
  }
}

/** Every PEM block of `data`, in order. */
export function decodePemBlocks(data: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let rest = data;
  for (;;) {
    const next = decodePem(rest);
    if (!next) return blocks;
    blocks.push(next.block);
    rest = next.rest;
  }
}

/**
 * Wraps a family so that errors its builtins throw become OPA builtin errors named after the builtin
 * (`io.jwt.decode: encoded JWT had no period separators`); `HostBuiltinError`s pass through.
 */
export function namedErrors(family: Record<string, HostFn>): HostBuiltinFamily {
  return Object.fromEntries(Object.entries(family).map(([name, fn]) => [name, (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof HostBuiltinError) throw e;
      throw builtinError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }]));
}
