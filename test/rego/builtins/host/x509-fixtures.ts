/**
 * Test certificates built here: a tiny DER writer and node:crypto signatures, so the X.509 tests control every
 * field (names, validity, CA flag, SANs, key usages) without fixture files.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

const tlv = (tag: number, content: Buffer): Buffer => {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
};
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
function int(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; bytes.length === 0 || v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}
const bool = (b: boolean): Buffer => tlv(0x01, Buffer.from([b ? 0xff : 0]));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, "utf8"));
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner);

function oid(text: string): Buffer {
  const [a = 0, b = 0, ...rest] = text.split(".").map(Number);
  const bytes = [a * 40 + b];
  for (const arc of rest) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    bytes.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(d: Date): Buffer {
  const iso = d.toISOString();
  return tlv(0x17, Buffer.from(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`));
}

const name = (cn: string, org?: string): Buffer => seq(
  ...(org ? [set(seq(oid("2.5.4.10"), utf8(org)))] : []),
  set(seq(oid("2.5.4.3"), utf8(cn))),
);

const extension = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

export interface CertSpec {
  cn: string;
  org?: string;
  serial: number;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  dnsNames?: string[];
  uris?: string[];
  /** IP addresses (4 or 16 bytes). */
  ips?: Buffer[];
  /** OIDs of extended key usages. */
  extKeyUsages?: string[];
  publicKey: KeyObject;
  issuer?: { cn: string; org?: string; privateKey: KeyObject };
  /** Signs with this key (defaults to the issuer's, or the certificate's own for a self-signed one). */
  signingKey: KeyObject;
}

const ECDSA_SHA256 = "1.2.840.10045.4.3.2";

/** A DER certificate signed with ECDSA P-256 / SHA-256. */
export function buildCertificate(spec: CertSpec): Buffer {
  const sans = [...(spec.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d))), ...(spec.uris ?? []).map((u) => tlv(0x86, Buffer.from(u))), ...(spec.ips ?? []).map((ip) => tlv(0x87, ip))];
  const exts = [
    extension("2.5.29.19", true, seq(...(spec.ca ? [bool(true)] : []))),
    extension("2.5.29.15", true, bits(Buffer.from([spec.ca ? 0x06 : 0x80]))),
    ...(sans.length > 0 ? [extension("2.5.29.17", false, seq(...sans))] : []),
    ...(spec.extKeyUsages ? [extension("2.5.29.37", false, seq(...spec.extKeyUsages.map(oid)))] : []),
  ];
  const issuer = spec.issuer ?? { cn: spec.cn, ...(spec.org ? { org: spec.org } : {}) };
  const tbs = seq(
    explicit(0, int(2)), int(spec.serial), seq(oid(ECDSA_SHA256)), name(issuer.cn, issuer.org),
    seq(utcTime(spec.notBefore), utcTime(spec.notAfter)), name(spec.cn, spec.org),
    spec.publicKey.export({ format: "der", type: "spki" }), explicit(3, seq(...exts)),
  );
  const signature = sign("sha256", tbs, spec.signingKey);
  return seq(tbs, seq(oid(ECDSA_SHA256)), bits(signature));
}

export function pem(der: Buffer, type = "CERTIFICATE"): string {
  const body = der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
}

export const ecKeys = (): { publicKey: KeyObject; privateKey: KeyObject } => generateKeyPairSync("ec", { namedCurve: "P-256" });

const DAY = 86_400_000;

/** Root CA → intermediate CA → leaf, valid around `now`, the leaf for `leafDns` with server and client auth. */
export function chain(now = Date.now(), leafDns = "service.example.test", leafDays = 30, intermediateIsCa = true): { root: Buffer; intermediate: Buffer; leaf: Buffer; leafKey: KeyObject } {
  const rootKeys = ecKeys();
  const midKeys = ecKeys();
  const leafKeys = ecKeys();
  const from = new Date(now - DAY);
  const root = buildCertificate({
    cn: "Test Root CA", org: "Fleetward Test", serial: 1, notBefore: from, notAfter: new Date(now + 3650 * DAY), ca: true,
    publicKey: rootKeys.publicKey, signingKey: rootKeys.privateKey,
  });
  const intermediate = buildCertificate({
    cn: "Test Intermediate CA", org: "Fleetward Test", serial: 2, notBefore: from, notAfter: new Date(now + 1825 * DAY), ca: intermediateIsCa,
    publicKey: midKeys.publicKey, issuer: { cn: "Test Root CA", org: "Fleetward Test", privateKey: rootKeys.privateKey }, signingKey: rootKeys.privateKey,
  });
  const leaf = buildCertificate({
    cn: leafDns, serial: 300, notBefore: from, notAfter: new Date(now + leafDays * DAY), ca: false, dnsNames: [leafDns],
    uris: ["spiffe://example.test/service"], extKeyUsages: ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
    publicKey: leafKeys.publicKey, issuer: { cn: "Test Intermediate CA", org: "Fleetward Test", privateKey: midKeys.privateKey }, signingKey: midKeys.privateKey,
  });
  return { root, intermediate, leaf, leafKey: leafKeys.privateKey };
}

/** A DER certificate signing request for `cn` with DNS name SANs, signed by `keys`. */
export function buildCsr(cn: string, dnsNames: string[], keys: { publicKey: KeyObject; privateKey: KeyObject }): Buffer {
  const san = extension("2.5.29.17", false, seq(...dnsNames.map((d) => tlv(0x82, Buffer.from(d)))));
  const extensionRequest = seq(oid("1.2.840.113549.1.9.14"), set(seq(san)));
  const info = seq(int(0), name(cn, "Fleetward Test"), keys.publicKey.export({ format: "der", type: "spki" }), explicit(0, extensionRequest));
  return seq(info, seq(oid(ECDSA_SHA256)), bits(sign("sha256", info, keys.privateKey)));
}
