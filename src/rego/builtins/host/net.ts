/** Host builtins of the net family: CIDR arithmetic on IPv4 and IPv6 (addresses as BigInt). */
import { RegoSet } from "./rego-set.js";
import { builtinError, isObject, sortedUnique, str, typeError, typeName, type HostBuiltinFamily, type Json } from "./operands.js";

interface Cidr {
  v6: boolean;
  addr: bigint;
  /** Prefix length; the full size for a plain address. */
  bits: number;
  size: number;
  /** Whether the text had a `/prefix`. */
  hasPrefix: boolean;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let addr = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    addr = (addr << 8n) | BigInt(Number(p));
  }
  return addr;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined): string[] | undefined => {
    if (!part) return [];
    const gs = part.split(":");
    const last = gs[gs.length - 1] as string;
    // An embedded IPv4 address (`::ffff:1.2.3.4`) stands for the last two groups.
    if (last.includes(".")) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      gs.splice(gs.length - 1, 1, (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
    }
    return gs;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  let addr = 0n;
  for (const g of [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => "0"), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    addr = (addr << 16n) | BigInt(parseInt(g, 16));
  }
  return addr;
}

/** An IPv4/IPv6 address or CIDR; `invalid CIDR address` builtin error otherwise. */
function parseCidr(name: string, text: string): Cidr {
  const slash = text.indexOf("/");
  const ip = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? undefined : text.slice(slash + 1);
  const v6 = ip.includes(":");
  const addr = v6 ? parseIpv6(ip) : parseIpv4(ip);
  const size = v6 ? 128 : 32;
  if (addr === undefined || (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > size))) {
    throw builtinError(`${name}: invalid CIDR address: ${text}`);
  }
  return { v6, addr, bits: prefix === undefined ? size : Number(prefix), size, hasPrefix: prefix !== undefined };
}

function hostBits(c: Cidr): bigint {
  return BigInt(c.size - c.bits);
}

function network(c: Cidr): bigint {
  return (c.addr >> hostBits(c)) << hostBits(c);
}

function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.v6 === inner.v6 && inner.bits >= outer.bits && inner.addr >> hostBits(outer) === outer.addr >> hostBits(outer);
}

/** Address text as Go prints it: dotted IPv4; IPv6 in lower case with the longest run of zero groups as `::`. */
function formatAddr(v6: boolean, addr: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((addr >> s) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((addr >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(":");
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

/** Largest number of addresses `net.cidr_expand` lists. */
const MAX_EXPAND = 1 << 20;

/** `net.cidr_merge`: an address without prefix gets its classful default mask (IPv4) or is an error (IPv6). */
function mergeInput(text: string): Cidr {
  const c = parseCidr("net.cidr_merge", text);
  if (c.hasPrefix) return c;
  if (c.v6) throw builtinError("net.cidr_merge: IPv6 invalid: needs prefix length");
  const first = Number(c.addr >> 24n);
  const bits = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : undefined;
  if (bits === undefined) throw builtinError(`net.cidr_merge: IP invalid: no default mask for ${text}`);
  return { ...c, bits };
}

function mergeFamily(cidrs: Cidr[]): Cidr[] {
  const sorted = cidrs.map((c) => ({ ...c, addr: network(c) })).sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.bits - b.bits));
  const stack: Cidr[] = [];
  for (const c of sorted) {
    const top = stack[stack.length - 1];
    if (top && contains(top, c)) continue;
    stack.push(c);
    // Two halves of one network become that network.
    for (;;) {
      const b = stack[stack.length - 1] as Cidr;
      const a = stack[stack.length - 2];
      if (!a || a.bits !== b.bits || a.bits === 0) break;
      const parent = { ...a, bits: a.bits - 1 };
      if (network(parent) !== a.addr || !contains(parent, b)) break;
      stack.splice(stack.length - 2, 2, parent);
    }
  }
  return stack;
}

/** The terms of `net.cidr_contains_matches`: [key, CIDR text] pairs of a string, array, set or object operand. */
function matchTerms(i: number, v: Json): Array<[Json, string]> {
  const name = "net.cidr_contains_matches";
  const cidrOf = (x: Json): string => {
    if (typeof x === "string") return x;
    if (Array.isArray(x) && typeof x[0] === "string") return x[0];
    throw builtinError(`${name}: operand ${i + 1}: element must be string or non-empty array`);
  };
  if (typeof v === "string") return [[v, v]];
  if (Array.isArray(v)) return v.map((x, k) => [k, cidrOf(x)]);
  if (v instanceof RegoSet) return v.items.map((x) => [x, cidrOf(x)]);
  if (isObject(v)) return Object.keys(v).sort().map((k) => [k, cidrOf(v[k])]);
  throw typeError(`${name}: operand ${i + 1} must be one of {string, array, set, object} but got ${typeName(v)}`);
}

export const netBuiltins: HostBuiltinFamily = {
  "net.cidr_contains": (cidr, x) => contains(parseCidr("net.cidr_contains", str("net.cidr_contains", 0, cidr)), parseCidr("net.cidr_contains", str("net.cidr_contains", 1, x))),
  "net.cidr_intersects": (a, b) => {
    const x = parseCidr("net.cidr_intersects", str("net.cidr_intersects", 0, a));
    const y = parseCidr("net.cidr_intersects", str("net.cidr_intersects", 1, b));
    return contains(x, y) || contains(y, x);
  },
  "net.cidr_is_valid": (c) => {
    if (typeof c !== "string" || !c.includes("/")) return false;
    try {
      parseCidr("net.cidr_is_valid", c);
      return true;
    } catch {
      return false;
    }
  },
  "net.cidr_expand": (x) => {
    const c = parseCidr("net.cidr_expand", str("net.cidr_expand", 0, x));
    const count = 1n << hostBits(c);
    if (count > BigInt(MAX_EXPAND)) throw builtinError(`net.cidr_expand: ${x as string} has more than ${MAX_EXPAND} addresses`);
    const first = network(c);
    const out: string[] = [];
    for (let i = 0n; i < count; i++) out.push(formatAddr(c.v6, first + i));
    return sortedUnique(out);
  },
  "net.cidr_merge": (xs) => {
    if (!Array.isArray(xs)) throw typeError(`net.cidr_merge: operand 1 must be one of {array, set} but got ${typeName(xs)}`);
    const cidrs = xs.map((x, i) => {
      if (typeof x !== "string") throw typeError(`net.cidr_merge: operand 1 must be one of {array, set} of strings but got element ${i} of type ${typeName(x)}`);
      return mergeInput(x);
    });
    const merged = [...mergeFamily(cidrs.filter((c) => !c.v6)), ...mergeFamily(cidrs.filter((c) => c.v6))];
    return sortedUnique(merged.map((c) => `${formatAddr(c.v6, c.addr)}/${c.bits}`));
  },
  "net.cidr_contains_matches": (a, b) => {
    const name = "net.cidr_contains_matches";
    const outer = matchTerms(0, a);
    const inner = matchTerms(1, b);
    const out: Json[] = [];
    for (const [ka, ca] of outer) {
      const x = parseCidr(name, ca);
      for (const [kb, cb] of inner) if (contains(x, parseCidr(name, cb))) out.push([ka, kb]);
    }
    return new RegoSet(sortedUnique(out));
  },
};
