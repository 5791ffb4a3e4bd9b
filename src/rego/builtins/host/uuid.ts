/**
 * `uuid.parse` with OPA's semantics: the forms Go's `github.com/google/uuid` accepts (plain, `{…}`, `urn:uuid:…`,
 * 32 hex digits), decoded into `version` and `variant`, plus time, clock sequence and node of versions 1 and 2
 * (and the local id and domain of version 2). Anything else is undefined.
 */
import { str, type HostBuiltinFamily, type Json } from "./operands.js";

/** The 16 bytes of a UUID text, or `undefined`. */
function uuidBytes(text: string): Buffer | undefined {
  let s = text;
  if (s.length === 45 && s.slice(0, 9).toLowerCase() === "urn:uuid:") s = s.slice(9);
  else if (s.length === 38 && s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  if (s.length === 36) {
    if (![8, 13, 18, 23].every((i) => s[i] === "-")) return undefined;
    s = s.replace(/-/g, "");
  }
  if (!/^[0-9a-fA-F]{32}$/.test(s)) return undefined;
  return Buffer.from(s, "hex");
}

function variantName(b: number): string {
  if ((b & 0xc0) === 0x80) return "RFC4122";
  if ((b & 0xe0) === 0xc0) return "Microsoft";
  if ((b & 0xe0) === 0xe0) return "Future";
  return "Reserved";
}

function macVariables(first: number): string {
  if ((first & 0b11) === 0b11) return "local:multicast";
  if ((first & 0b01) === 0b01) return "global:multicast";
  if ((first & 0b10) === 0b10) return "local:unicast";
  return "global:unicast";
}

/** 100-nanosecond intervals between 1582-10-15 and the Unix epoch. */
const GREGORIAN_OFFSET = 122192928000000000n;

/** Unix time in nanoseconds of a version 1 or 2 UUID (for version 2, as Go's library, the local id stays in the low bits). */
function unixNanos(u: Buffer): bigint {
  const t = (BigInt(u.readUInt16BE(6) & 0x0fff) << 48n) | (BigInt(u.readUInt16BE(4)) << 32n) | BigInt(u.readUInt32BE(0));
  return (t - GREGORIAN_OFFSET) * 100n;
}

const DOMAINS = ["Person", "Group", "Org"];

function exactInteger(n: bigint): Json {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

export const uuidBuiltins: HostBuiltinFamily = {
  "uuid.parse": (x) => {
    const u = uuidBytes(str("uuid.parse", 0, x));
    if (!u) return undefined;
    const version = (u[6] as number) >> 4;
    const out: Record<string, Json> = { version, variant: variantName(u[8] as number) };
    if (version === 1 || version === 2) {
      out.time = exactInteger(unixNanos(u));
      out.macvariables = macVariables(u[10] as number);
      out.nodeid = [...u.subarray(10)].map((b) => b.toString(16).padStart(2, "0")).join("-");
      out.clocksequence = u.readUInt16BE(8) & 0x3fff;
      if (version === 2) {
        out.id = u.readUInt32BE(0);
        out.domain = DOMAINS[u[9] as number] ?? `Domain${u[9] as number}`;
      }
    }
    return out;
  },
};
